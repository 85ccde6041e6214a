/**
 * A full origin quota, lowered through the DevTools protocol and left lowered to the end (issue 8, Deliver 4):
 * a save fails with `quota` (never a masking "cannot rollback"), nothing saved before is lost, a delete still
 * goes through (the room the store keeps back for it: src/worker/quota-reserve.ts), saving works again in the
 * room the delete made, `info()` says how much room that is, and all of it survives the browser killed (SIGKILL)
 * and started again. Twice in a row, so that the reserve is shown to come back after it was used.
 */
import { expect, test, type Page } from '@playwright/test';
import { QUOTA_RESERVE_BYTES } from '../src/worker/quota-reserve.js';
import { integrityOf, killContext, launchProfile, profileUrl } from './support/browser-process.js';
import { idsIn, openStoreIn, quotaReserveIn, STORE_PAGE } from './support/pages.js';

test.describe.configure({ timeout: 240_000 });

/** Batches of large documents until the quota refuses one; what was saved before, and the refusal. */
function fillUntilRefused(page: Page, prefix: string) {
  return page.evaluate(async (prefix) => {
    const saved: string[] = [];
    for (let batch = 0; batch < 200; batch++) {
      const docs = window.ts.atifBatch(`${prefix}-${batch}`, 20, 40);
      try {
        await window.store.insertMany(docs);
        saved.push(...docs.map((d) => d.session_id!));
      } catch (error) {
        return { saved, error: await window.ts.errorOf(Promise.reject(error)) };
      }
    }
    return { saved, error: null };
  }, prefix);
}

test('a full quota: `quota`, nothing lost, a delete goes through with the quota still full, saving works again, and it all survives a kill', async () => {
  const profile = test.info().outputPath('profile');
  let context = await launchProfile(profile);
  let page = await context.newPage();
  await page.goto(profileUrl(STORE_PAGE));
  await openStoreIn(page);
  await page.evaluate(() => window.store.insertMany(window.ts.atifBatch('before', 50)));
  // The store takes its reserve in the background once it holds the database.
  await expect.poll(() => quotaReserveIn(page)).toBe(QUOTA_RESERVE_BYTES);

  const origin = new URL(page.url()).origin;
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 2 * 1024 * 1024 });

  const expected = new Set(await idsIn(page));
  for (const round of [1, 2]) {
    const { saved, error } = await fillUntilRefused(page, `fill${round}`);
    expect(error, `round ${round}: the quota refuses a save`).toMatchObject({
      name: 'TrajectoryStoreError',
      code: 'quota',
    });
    expect(error!.message).not.toMatch(/cannot rollback/);
    for (const id of saved) expected.add(id);
    // Every resolved save is there, the refused batch is not (it was one transaction).
    expect(new Set(await idsIn(page))).toEqual(expected);
    const full = await page.evaluate(() => window.store.info());
    expect(full.trajectoryCount).toBe(expected.size);

    // With the quota as full as it was: deleting 20 large documents goes through.
    const doomed = [...expected].filter((id) => id.startsWith('fill')).slice(0, 20);
    expect(doomed).toHaveLength(20);
    const deleted = await page.evaluate(async (ids) => {
      const answers: boolean[] = [];
      for (const id of ids) answers.push(await window.store.deleteTrajectory(id));
      return answers;
    }, doomed);
    expect(deleted).toEqual(doomed.map(() => true));
    for (const id of doomed) expected.delete(id);
    const freed = await page.evaluate(() => window.store.info());
    expect(freed).toMatchObject({ trajectoryCount: expected.size, sizeBytes: full.sizeBytes });
    expect(freed.freeBytes).toBeGreaterThan(full.freeBytes);
    // And the store has taken its reserve back for the next time.
    expect(await quotaReserveIn(page)).toBeGreaterThan(0);

    // A save that fits in the room the delete made works, in the database's free pages.
    const again = await page.evaluate(async (round) => {
      const docs = window.ts.atifBatch(`again${round}`, 10, 40);
      await window.store.insertMany(docs);
      return docs.map((d) => d.session_id!);
    }, round);
    for (const id of again) expected.add(id);
    const refilled = await page.evaluate(() => window.store.info());
    expect(refilled).toMatchObject({ trajectoryCount: expected.size, sizeBytes: full.sizeBytes });
    expect(refilled.freeBytes).toBeLessThan(freed.freeBytes);
    expect(new Set(await idsIn(page))).toEqual(expected);
  }

  // Every resolved call is on disk: the browser killed without warning and started again finds exactly them.
  await killContext(context, profile);
  context = await launchProfile(profile);
  expect(await integrityOf(context)).toEqual([['ok']]);
  page = await context.newPage();
  await page.goto(profileUrl(STORE_PAGE));
  await openStoreIn(page);
  expect(new Set(await idsIn(page))).toEqual(expected);
  await context.close();
});
