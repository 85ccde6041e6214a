/** What a tab leaves behind for the next open of the database: nothing to replay once the store was quiet. */
import { expect, test } from '@playwright/test';
import { IDLE_CHECKPOINT_MS } from '../src/worker/idle-checkpoint.js';
import { openStoreTab, RAW_POOL_PAGE } from './support/pages.js';

test('a store left quiet after writing empties its write-ahead log, so the next open replays nothing', async ({
  context,
}) => {
  const { page } = await openStoreTab(context, { name: 'quiet-log' });
  await page.evaluate(() => window.store.insertMany(window.ts.atifBatch('quiet', 200)));
  // Long past the quiet moment the store waits for, even on a busy machine; then the tab goes without
  // store.close(), as a closed or crashed tab does (close() would empty the log itself).
  await page.waitForTimeout(5 * IDLE_CHECKPOINT_MS);
  await page.close();

  const raw = await context.newPage();
  await raw.goto(RAW_POOL_PAGE);
  // [busy, frames in the log, frames copied]: the log was empty when the file was opened.
  const [log, count] = await raw.evaluate(async () => {
    const log = await window.rawPool.query('quiet-log', 'PRAGMA wal_checkpoint');
    const count = await window.rawPool.query('quiet-log', 'SELECT count(*) FROM trajectories');
    window.rawPool.release();
    return [log, count];
  });
  expect(log).toEqual([[0, 0, 0]]);
  expect(count).toEqual([[200]]);
});
