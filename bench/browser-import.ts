/**
 * Replace-import of a large snapshot in the browser (npm run bench:browser:import): issue 9's goal is 100,000
 * trajectories under 20 s, every row still checked as untrusted. BENCH_IMPORT_N (default 100,000) small documents
 * (bench/scale-data.ts, 2-3 KiB each) are saved in Node once and exported; the file is kept in the temp folder and
 * reused by later runs. Then, in headless Chromium on a persistent profile (OPFS on disk), the store imports it with
 * `mode: 'replace'` twice: into an empty database, and over the same 100,000 (what replacing a database costs). Each
 * time from the page around the awaited call, with the browser's peak resident memory. Saves
 * bench/results/browser-import.json (bench/run.mjs takes its goal from there). Asserts nothing about time.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PREVIEW_PORT } from '../playwright.config.js';
import { withPeakMemory } from './browser-memory.js';
import type { BenchPageApi } from './pages/bench-page.js';
import { saveReport, type Figure } from './report.js';

declare global {
  interface Window {
    bench: BenchPageApi;
  }
}

const N = Number(process.env.BENCH_IMPORT_N ?? 100_000);
/** `memory` runs the same import on a store in the worker's memory: the difference to OPFS is what storage adds. */
const STORAGE: 'memory' | 'opfs' = process.env.BENCH_IMPORT_STORAGE === 'memory' ? 'memory' : 'opfs';
const BASE = `http://localhost:${PREVIEW_PORT}`;
const log = (line: string) => console.log(`[bench] ${line}`);

/** The snapshot of N scale documents, made by bench/scale-snapshot.bench.ts the first time and kept. */
function snapshotFile(): string {
  const file = join(tmpdir(), `trajectory-store-bench-import-${N}-v1.sqlite`);
  if (existsSync(file)) return file;
  log(`making ${file} in Node`);
  const made = spawnSync(
    'npx',
    ['vitest', 'run', '--config', 'bench/vitest.config.ts', 'bench/scale-snapshot.bench.ts'],
    {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, BENCH_IMPORT_N: String(N), BENCH_SNAPSHOT_FILE: file },
      stdio: 'inherit',
    },
  );
  if (made.status !== 0 || !existsSync(file)) throw new Error(`making the snapshot failed (exit ${made.status})`);
  return file;
}

/** Serves `file` on a free port of this machine, to any origin. */
async function serveFile(file: string): Promise<{ url: string; close(): void }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'access-control-allow-origin': '*' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/snapshot.sqlite`, close: () => server.close() };
}

test(`replace-import of ${N} trajectories`, async () => {
  test.setTimeout(120 * 60_000);
  const file = snapshotFile();
  const megabytes = statSync(file).size / 1e6;
  const profile = mkdtempSync(join(tmpdir(), 'trajectory-store-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    headless: true,
    ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
    args: CHROMIUM_ARGS,
  });
  // Served from here (Playwright's route.fulfill cannot hand over a file of hundreds of MB).
  const fileServer = await serveFile(file);
  const figures: Figure[] = [
    { key: 'import.n', name: 'trajectories in the snapshot', value: N, unit: '', note: `storage ${STORAGE}` },
  ];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => log(`pageerror: ${error.message}`));
    await page.goto(`${BASE}/bench/pages/bench.html`);
    await page.evaluate(
      async ({ url, storage }) => {
        window.store = await window.bench.openTrajectoryStore({ name: 'bench-import', storage });
        const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
        (window as unknown as { snapshot: Uint8Array }).snapshot = bytes;
      },
      { url: fileServer.url, storage: STORAGE },
    );
    for (const [key, name] of [
      ['import.empty', 'importSnapshot replace, into an empty database'],
      ['import.replace', 'importSnapshot replace, over the same trajectories'],
    ] as const) {
      const { result, peakMiB } = await withPeakMemory(profile, () =>
        page.evaluate(async () => {
          const bytes = (window as unknown as { snapshot: Uint8Array }).snapshot;
          const started = performance.now();
          let reports = 0;
          const { trajectories } = await window.store.importSnapshot(bytes, {
            mode: 'replace',
            onProgress: () => reports++,
          });
          const ms = performance.now() - started;
          const info = await window.store.info();
          const found = (await window.store.searchTrajectories('error', { limit: 5 })).items.length;
          return { ms, trajectories, reports, count: info.trajectoryCount, found };
        }),
      );
      if (result.count !== N || result.trajectories !== N || result.found === 0)
        throw new Error(`the import did not hold the snapshot: ${JSON.stringify(result)}`);
      log(`${name}: ${JSON.stringify(result)}, peak ${Math.round(peakMiB)} MiB`);
      figures.push({
        key,
        name: `${name}, ${N.toLocaleString('en')}`,
        value: result.ms,
        unit: 'ms',
        note: `${megabytes.toFixed(0)} MB, ${(megabytes / (result.ms / 1000)).toFixed(1)} MB/s, ${result.reports} progress reports, browser peak ${peakMiB.toFixed(0)} MiB`,
      });
    }
    await page.evaluate(() => window.store.close());
  } finally {
    saveReport('browser-import', figures);
    fileServer.close();
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
