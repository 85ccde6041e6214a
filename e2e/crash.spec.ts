/**
 * The browser killed (SIGKILL) at seeded random points while the store writes, then started again on the same
 * profile (issue 8, Deliver 4): the database passes SQLite's integrity check, every call that resolved before the
 * kill is there, every batch is whole or absent (a replace-import: all old rows or all new ones), and the app
 * starts on it. `npm test` tries 2 kill points of each kind; `npm run test:reliability` 20 (RELIABILITY_LONG=1).
 * A failure names its seed: rerun with CRASH_SEED=<seed>.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { openApp } from './app-support/app-page.js';
import { appUrlFor, freePort } from './app-support/feed.js';
import {
  integrityOf,
  killContext,
  launchProfile,
  LONG_RUN,
  profileUrl,
  runSeed,
  seededRandom,
} from './support/browser-process.js';
import { idsIn, openStoreIn, STORE_PAGE } from './support/pages.js';

const KILL_POINTS = LONG_RUN ? 20 : 2;
/** Items a call saves: at most one transaction's worth (insertMany commits 500 at a time), so a call is all or nothing. */
const CALL_SIZE = 100;
/** Rows of the snapshot a replace-import brings in. */
const SNAPSHOT_ROWS = LONG_RUN ? 3_000 : 1_000;

test.describe.configure({ timeout: LONG_RUN ? 1_800_000 : 240_000 });

/** What every page of a test prints, so that a resolved call is known even though the page dies. */
function listen(page: Page, lines: string[]): void {
  page.on('console', (message) => lines.push(message.text()));
}

async function storePage(context: BrowserContext, lines: string[]): Promise<Page> {
  const page = await context.newPage();
  listen(page, lines);
  await page.goto(profileUrl(STORE_PAGE));
  await openStoreIn(page);
  return page;
}

/** Ids grouped by the call that saved them (`k3-c7-42` -> `k3-c7`). */
function callsIn(ids: string[]): Map<string, number> {
  const calls = new Map<string, number>();
  for (const id of ids) {
    const call = id.replace(/-\d+$/, '');
    calls.set(call, (calls.get(call) ?? 0) + 1);
  }
  return calls;
}

/** The app opens on the database the kills left, and counts what is in it. */
async function expectAppStarts(context: BrowserContext, count: number): Promise<void> {
  const app = await context.newPage();
  await openApp(app, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  await expect(app.locator('#store-status')).toHaveAttribute('data-storage', 'opfs');
  await expect(app.locator('#store-status')).toContainText(`${count.toLocaleString('en-US')} trajectories`);
  await app.close();
}

test('killed during insertMany: integrity holds, every resolved call is there, every call whole or absent', async () => {
  const seed = runSeed();
  test.info().annotations.push({ type: 'seed', description: `CRASH_SEED=${seed}` });
  const random = seededRandom(seed);
  const profile = test.info().outputPath('profile');
  const resolved = new Set<string>();

  for (let kill = 0; kill <= KILL_POINTS; kill++) {
    const context = await launchProfile(profile);
    expect(await integrityOf(context), `integrity after kill ${kill} (CRASH_SEED=${seed})`).toEqual([['ok']]);
    const lines: string[] = [];
    const page = await storePage(context, lines);
    const calls = callsIn(await idsIn(page));
    for (const call of resolved) expect(calls.get(call), `${call} resolved before a kill`).toBe(CALL_SIZE);
    for (const [call, rows] of calls) expect(rows, `${call} is whole (CRASH_SEED=${seed})`).toBe(CALL_SIZE);
    if (kill === KILL_POINTS) {
      await page.close();
      await expectAppStarts(
        context,
        [...calls.values()].reduce((a, b) => a + b, 0),
      );
      await context.close();
      break;
    }

    // Calls one after another, each saying so when it resolves; the browser dies at a random moment among them.
    await page.evaluate(
      ({ kill, size }) => {
        void (async () => {
          for (let call = 0; ; call++) {
            const prefix = `k${kill}-c${call}`;
            await window.store.insertMany(window.ts.atifBatch(prefix, size));
            console.log(`resolved ${prefix}`);
          }
        })();
      },
      { kill, size: CALL_SIZE },
    );
    await page.waitForTimeout(Math.floor(random() * 2_500));
    await killContext(context, profile);
    for (const line of lines) if (line.startsWith('resolved ')) resolved.add(line.slice('resolved '.length));
  }
  console.log(`insertMany: ${KILL_POINTS} kills (CRASH_SEED=${seed}), ${resolved.size} calls resolved before them`);
});

test('killed during a replace-import: integrity holds, and the rows are all old or all new', async () => {
  const seed = runSeed();
  test.info().annotations.push({ type: 'seed', description: `CRASH_SEED=${seed}` });
  const random = seededRandom(seed + 1);
  const profile = test.info().outputPath('profile');
  let before: { old: string[]; new: string[]; resolved: boolean } | null = null;
  let importMs = 0;
  const outcomes: string[] = [];

  for (let kill = 0; kill <= KILL_POINTS; kill++) {
    const context = await launchProfile(profile);
    expect(await integrityOf(context), `integrity after kill ${kill} (CRASH_SEED=${seed})`).toEqual([['ok']]);
    const lines: string[] = [];
    const page = await storePage(context, lines);
    const ids = (await idsIn(page)).sort();
    if (before) {
      const isNew = sameIds(ids, before.new);
      const isOld = sameIds(ids, before.old);
      expect(isNew || isOld, `${ids.length} rows after kill ${kill - 1}: all old or all new (CRASH_SEED=${seed})`).toBe(
        true,
      );
      if (before.resolved) expect(isNew, `the import resolved before kill ${kill - 1}`).toBe(true);
    }
    if (kill === KILL_POINTS) {
      await page.close();
      await expectAppStarts(context, ids.length);
      await context.close();
      break;
    }
    if (kill === 0) {
      // Something to replace, and how long an import takes here: the kills land at random moments within it.
      await page.evaluate(() => window.store.insertMany(window.ts.atifBatch('before', 200)));
      importMs = await page.evaluate(async (rows) => {
        const bytes = await window.ts.snapshotOf('warmup', rows);
        const started = performance.now();
        await window.store.importSnapshot(bytes, { mode: 'replace' });
        return performance.now() - started;
      }, SNAPSHOT_ROWS);
    }
    const old = (await idsIn(page)).sort();
    // The new rows: a snapshot built in memory in the page. The import starts, and the browser dies during it.
    const prefix = `import${kill}`;
    await page.evaluate(
      async ({ prefix, rows }) => {
        const bytes = await window.ts.snapshotOf(prefix, rows);
        void window.store.importSnapshot(bytes, { mode: 'replace' }).then(() => console.log('import resolved'));
      },
      { prefix, rows: SNAPSHOT_ROWS },
    );
    await page.waitForTimeout(Math.floor(random() * importMs * 1.2));
    await killContext(context, profile);
    const news = Array.from({ length: SNAPSHOT_ROWS }, (_, i) => `${prefix}-${i}`).sort();
    before = { old, new: news, resolved: lines.includes('import resolved') };
    outcomes.push(before.resolved ? 'after' : 'during');
  }
  console.log(
    `importSnapshot: ${KILL_POINTS} kills (CRASH_SEED=${seed}) in imports of about ${Math.round(importMs)} ms: ${outcomes.join(', ')}`,
  );
});

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
