/**
 * The team server's PROCESS ends in the middle of a page's sync (SIGKILL: no answer, no clean close, the
 * batch in flight committed or rolled back by PostgreSQL) and is started again on the same port: the page's
 * sync, retrying meanwhile, finishes by itself, and the server holds every trajectory once. Real Chromium (the
 * store's worker on OPFS), real `serve-team` subprocesses, a real PostgreSQL.
 */
import { expect, test } from '@playwright/test';
import { PREVIEW_PORT } from '../playwright.config.js';
import { startTestPostgres, type TestPostgres } from '../test/server/postgres.js';
import { openStoreTab } from './support/pages.js';
import { startTeamProcess, type TeamProcess } from './support/team.js';

const ORIGIN = `http://localhost:${PREVIEW_PORT}`;
// Enough batches that the kill lands while most are still to send, however fast the machine.
const COUNT = 1_000;
const BATCH = 20;

let pg: TestPostgres;
let team: TeamProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  pg = await startTestPostgres();
});

test.afterAll(async () => {
  await team?.stop();
  await pg?.stop();
});

test('the server process killed mid-sync and started again: the sync finishes, every trajectory there once', async ({
  context,
}) => {
  test.setTimeout(240_000);
  team = await startTeamProcess(pg.url, ORIGIN);
  const token = await team.token('crash-member');
  const { page } = await openStoreTab(context, { name: 'sync-process-killed' });
  await page.evaluate((count) => window.store.insertMany(window.ts.atifBatch('sync', count)), COUNT);

  const syncing = page.evaluate(
    async ({ url, token, batchSize }) => {
      const states: string[] = [];
      (globalThis as unknown as { syncStates: string[] }).syncStates = states;
      window.store.subscribe((change) => {
        if (change.type === 'sync') states.push(`${change.state}${change.error ? `:${change.error.code}` : ''}`);
      });
      // Long enough a retry window for the server to come back within it.
      const report = await window.store.sync({ url, token, batchSize, retryWithinMs: 150_000 });
      return { report, states, status: await window.store.syncStatus() };
    },
    { url: team.url, token, batchSize: BATCH },
  );

  // Some batches are on the server, not all: the process goes away at once.
  await expect
    .poll(async () => (await team!.ids('crash-member')).length, { timeout: 60_000, intervals: [50] })
    .toBeGreaterThan(BATCH);
  await team.kill();
  const port = Number(new URL(team.url).port);
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as { syncStates: string[] }).syncStates.join(' ')), {
      timeout: 60_000,
    })
    .toContain('retrying:unreachable');

  team = await startTeamProcess(pg.url, ORIGIN, port);
  const { report, states, status } = await syncing;
  expect(states.at(-1)).toBe('done');
  expect(report.counts.rejected).toBe(0);
  // A batch the server committed before it died, its answer never sent, comes again and is found unchanged.
  expect(report.counts.unchanged).toBeLessThanOrEqual(BATCH);
  expect(report.counts.inserted + report.counts.unchanged).toBe(COUNT);
  expect(status).toEqual([expect.objectContaining({ member: 'crash-member', pending: 0, lastError: null })]);
  const expected = Array.from({ length: COUNT }, (_, i) => `sync-${i}`).sort();
  expect(await team.ids('crash-member')).toEqual(expected);
});
