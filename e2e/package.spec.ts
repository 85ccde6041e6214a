/**
 * The package as its users get it: a fresh `git clone` of this repository (its committed HEAD: commit
 * before running this), packed with `npm pack` (whose `prepack` builds it), then installed from the
 * tarball:
 * - by a Node tool, which gets the store and none of the UI libraries (optional peer dependencies);
 * - by another Vite app that also installs those libraries for `trajectory-store/elements`, whose only
 *   configuration is the one line the README documents, built and run, and run on Vite's dev server too.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';

const ROOT = new URL('..', import.meta.url).pathname;
const { devDependencies, peerDependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

// One test clones, installs, builds and installs again; it takes a while.
test.describe.configure({ timeout: 12 * 60_000 });

/** The one line of configuration the README suggests; Vite 8 also manages without it (the last run). */
const EXCLUDE_CONFIG = `export default {
  // Serve the package as it is: not pre-bundled, so that its worker and wasm stay beside it.
  optimizeDeps: { exclude: ['trajectory-store'] },
};
`;
const NO_CONFIG = 'export default {};\n';

/** What a Node tool does with the package: the in-process store, in memory. */
const NODE_SCRIPT = `
const { openTrajectoryStore, createHudRecorder } = await import('trajectory-store');
const store = await openTrajectoryStore();
await store.insertTrajectory({ schema_version: 'ATIF-v1.6', session_id: 'node-1', agent: { name: 'cli', version: '1' },
  steps: [{ step_id: 1, source: 'user', message: 'saved from node' }] });
const hits = (await store.searchTrajectories('node')).items.map((hit) => hit.id);
console.log(JSON.stringify({ info: await store.info(), hits, recorder: typeof createHudRecorder }));
`;

const NODE_DOCUMENT = JSON.stringify({
  schema_version: 'ATIF-v1.6',
  session_id: 'cli-1',
  agent: { name: 'cli-agent', version: '1' },
  steps: [{ step_id: 1, source: 'user', message: 'saved from the command line' }],
});

const CONSUMER_FILES: Record<string, string> = {
  'index.html': `<!doctype html>
<html><head><meta charset="utf-8" /><script type="module" src="/main.ts"></script></head>
<body><pre id="out">…</pre></body></html>
`,
  'main.ts': `import { openTrajectoryStore, TrajectoryStoreError, type StoreInfo } from 'trajectory-store';
import 'trajectory-store/elements';

/** All the text of an element, its shadow roots included. */
function deepText(node: Node): string {
  const own = node instanceof Element && node.shadowRoot ? deepText(node.shadowRoot) : '';
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  return own + Array.from(node.childNodes, deepText).join(' ');
}

async function panelShows(text: string, panel: Element): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (deepText(panel).includes(text)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

const out = document.querySelector('#out')!;
try {
  const store = await openTrajectoryStore({ name: 'consumer' });
  await store.insertTrajectory({
    schema_version: 'ATIF-v1.6',
    session_id: 'consumer-1',
    agent: { name: 'consumer-agent', version: '1' },
    steps: [{ step_id: 1, source: 'user', message: 'hello from another app' }],
  });
  const hits = await store.searchTrajectories('another');
  const invalid = await store.insertTrajectory({} as never).then(() => null, (error: unknown) => error);
  const info: StoreInfo = await store.info();
  const snapshot = await store.exportSnapshot();
  // The embeddable panel, from the package's elements entry, given the store.
  const panel = Object.assign(document.createElement('trajectory-browser'), { store });
  document.body.append(panel);
  const panelShowsIt = await panelShows('consumer-agent', panel);
  out.textContent = JSON.stringify({
    panel: panelShowsIt,
    storage: info.storage,
    role: info.role,
    count: info.trajectoryCount,
    hits: hits.items.map((hit) => hit.id),
    invalid: invalid instanceof TrajectoryStoreError ? invalid.code : String(invalid),
    snapshotHeader: new TextDecoder().decode(snapshot.subarray(0, 15)),
  });
} catch (error) {
  out.textContent = JSON.stringify({ failed: String(error) });
}
`,
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'bundler',
      lib: ['ES2023', 'DOM'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
    },
    include: ['main.ts'],
  }),
};

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Starts a server; resolves once it answers on `port`. */
async function serve(args: string[], cwd: string, port: number): Promise<ChildProcess> {
  const server = spawn('npx', ['vite', ...args, '--port', String(port), '--strictPort'], {
    cwd,
    stdio: 'ignore',
    detached: true,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`http://localhost:${port}/`)).ok) return server;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`vite ${args.join(' ')} did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function stop(server: ChildProcess): void {
  if (server.pid) process.kill(-server.pid); // the npx process group we started, and only it
}

async function resultOf(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator('#out')).not.toHaveText('…', { timeout: 60_000 });
  return JSON.parse((await page.locator('#out').textContent())!) as Record<string, unknown>;
}

test('another Vite app installs the packed package and uses the store, built and on the dev server; Node gets its own entry', async ({
  browser,
}) => {
  // Outside the project, so that nothing resolves from its node_modules by accident.
  const dir = mkdtempSync(join(tmpdir(), 'trajectory-store-consumer-'));
  try {
    await buildAndRunConsumer(dir, browser);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund'];

/** A fresh clone of the repository, packed: the tarball's path. */
function packFreshClone(dir: string): string {
  const clone = join(dir, 'clone');
  run('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], dir);
  run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], clone);
  const tarball = run('npm', ['pack', '--pack-destination', dir, '--silent'], clone).trim().split('\n').at(-1)!;
  return join(dir, tarball);
}

/** A new package in `dir` with these dependencies, installed. */
function installApp(dir: string, dependencies: Record<string, string>, devDeps: Record<string, string> = {}): void {
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer-app', private: true, type: 'module', dependencies, devDependencies: devDeps }),
  );
  run('npm', INSTALL, dir);
}

async function buildAndRunConsumer(dir: string, browser: Browser): Promise<void> {
  const tarball = packFreshClone(dir);
  const contents = run('tar', ['-tzf', tarball], dir).split('\n');
  expect(contents).toContain('package/dist/node.js');
  expect(contents.filter((file) => /\.map$|\.test\.|(^|\/)(test|e2e)\//.test(file))).toEqual([]);

  // A Node tool: `exports` gives the in-process store, in memory; the UI libraries are not installed.
  const tool = join(dir, 'tool');
  installApp(tool, { 'trajectory-store': `file:${tarball}` });
  for (const name of Object.keys(peerDependencies))
    expect(existsSync(join(tool, 'node_modules', name)), name).toBe(false);
  const inNode = run(process.execPath, ['--input-type=module', '-e', NODE_SCRIPT], tool);
  expect(JSON.parse(inNode)).toMatchObject({
    info: { storage: 'memory', role: 'standalone', trajectoryCount: 1 },
    hits: ['node-1'],
    recorder: 'function',
  });
  // The package's command, as `npx trajectory-store` runs it after install: plain Node on the built files,
  // without the UI libraries.
  const bin = join(tool, 'node_modules/.bin/trajectory-store');
  writeFileSync(join(tool, 'one.json'), NODE_DOCUMENT);
  expect(run(bin, ['import', 'one.json'], tool)).toContain('1 inserted');
  expect(run(bin, ['search', 'command', '--json'], tool)).toContain('"id":"cli-1"');
  expect(existsSync(join(tool, 'node_modules/trajectory-store/dist/app/index.html')), 'the app `view` serves').toBe(
    true,
  );

  // A Vite app with the panels: it installs the UI libraries beside the package.
  const app = join(dir, 'app');
  installApp(app, { 'trajectory-store': `file:${tarball}`, ...peerDependencies }, { vite: devDependencies.vite! });
  for (const [name, text] of Object.entries(CONSUMER_FILES)) writeFileSync(join(app, name), text);
  writeFileSync(join(app, 'vite.config.js'), EXCLUDE_CONFIG);
  // The package's types, as the app's TypeScript sees them through `exports`.
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
  run('npx', ['vite', 'build'], app);

  const expected = {
    panel: true,
    storage: 'opfs',
    role: 'leader',
    count: 1,
    hits: ['consumer-1'],
    invalid: 'validation',
    snapshotHeader: 'SQLite format 3',
  };
  for (const [mode, args, config] of [
    ['built', ['preview'], EXCLUDE_CONFIG],
    ['dev server', [], EXCLUDE_CONFIG],
    ['dev server, no configuration', ['--force'], NO_CONFIG],
  ] as const) {
    writeFileSync(join(app, 'vite.config.js'), config);
    const port = await freePort();
    const server = await serve([...args], app, port);
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      expect(await resultOf(page, `http://localhost:${port}/`), mode).toEqual(expected);
      await context.close();
    } finally {
      stop(server);
    }
  }
}
