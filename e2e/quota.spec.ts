/**
 * A full origin quota (lowered through the DevTools protocol): a save fails
 * with `quota`, never a masking "cannot rollback", nothing saved before is
 * lost, and saving works again once there is space. (A delete does not make
 * space while the quota is full: in WAL mode it needs room in the log too;
 * see RELIABILITY.md.)
 */
import { expect, test } from '@playwright/test';
import { idsIn, openStoreTab } from './support/pages.js';

test('a full quota fails a save with `quota`, loses nothing, and saving works again once there is space', async ({
  context,
}) => {
  const { page } = await openStoreTab(context);
  await page.evaluate(() => window.store.insertMany(window.ts.atifBatch('before', 50)));
  const origin = new URL(page.url()).origin;
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 2 * 1024 * 1024 });
  try {
    // Batches of large documents until the quota is reached.
    const outcome = await page.evaluate(async () => {
      const saved: string[] = [];
      for (let batch = 0; batch < 200; batch++) {
        const docs = window.ts.atifBatch(`fill-${batch}`, 20, 40);
        try {
          await window.store.insertMany(docs);
          saved.push(...docs.map((d) => d.session_id!));
        } catch (error) {
          return { saved, error: await window.ts.errorOf(Promise.reject(error)) };
        }
      }
      return { saved, error: null };
    });
    const error = outcome.error;
    expect(error).toMatchObject({ name: 'TrajectoryStoreError', code: 'quota' });
    expect(error!.message).not.toMatch(/cannot rollback/);
    // Every resolved save is there, the failed batch is not (it was one transaction).
    const ids = new Set(await idsIn(page));
    for (const id of outcome.saved) expect(ids.has(id)).toBe(true);
    expect(ids.size).toBe(50 + outcome.saved.length);

    // Once space is there again (the quota lifted), saving works on the same database.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.evaluate(() => window.store.insertTrajectory(window.ts.atifDocument('after-full')));
    expect(await page.evaluate(() => window.store.getTrajectory('after-full'))).not.toBeNull();
    expect((await idsIn(page)).length).toBe(50 + outcome.saved.length + 1);
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }
});
