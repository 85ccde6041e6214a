/** The tab that holds the database closes while other tabs' calls are in flight. */
import { expect, test, type Page } from '@playwright/test';
import { accessHandleErrors, countIn, idsIn, openStoreTab } from './support/pages.js';

/** Starts an insertMany in `page` that reports when its first batch committed; its outcome lands on window.outcome. */
async function startInsertMany(page: Page, prefix: string, count: number, onConflict: 'replace' | 'keep-both') {
  await page.evaluate(
    ({ prefix, count, onConflict }) => {
      const state = { progress: [] as number[], outcome: null as unknown };
      Object.assign(window, { insertState: state });
      window.store
        .insertMany(window.ts.atifBatch(prefix, count), {
          onConflict,
          onProgress: ({ done }) => state.progress.push(done),
        })
        .then((result) => (state.outcome = { result }))
        .catch((error) => (state.outcome = { error: window.ts.describeError(error) }));
    },
    { prefix, count, onConflict },
  );
}

type InsertState = {
  progress: number[];
  outcome: null | { result?: { inserted: number; replaced: number }; error?: { code: string; isStoreError: boolean } };
};
const stateOf = (page: Page) => page.evaluate(() => (window as unknown as { insertState: InsertState }).insertState);

test('closing the holding tab mid-write: a repeatable call is repeated on the new holder and lands whole', async ({
  context,
}) => {
  const holder = await openStoreTab(context);
  const writer = await openStoreTab(context);
  const reader = await openStoreTab(context);
  expect(holder.info.role).toBe('leader');

  await startInsertMany(writer.page, 'big', 3000, 'replace');
  // Close the holder once its first batch has committed and more are on the way.
  await expect.poll(async () => (await stateOf(writer.page)).progress.length, { intervals: [5] }).toBeGreaterThan(0);
  const before = await stateOf(writer.page);
  expect(before.outcome).toBeNull();
  expect(before.progress.at(-1)).toBeLessThan(3000);
  await holder.page.close();

  await expect.poll(async () => (await stateOf(writer.page)).outcome, { timeout: 60_000 }).not.toBeNull();
  const after = await stateOf(writer.page);
  expect(after.outcome).toMatchObject({ result: { rejected: [] } });
  expect(after.outcome!.result!.inserted + after.outcome!.result!.replaced).toBe(3000);

  const roles = await Promise.all(
    [writer, reader].map((tab) => tab.page.evaluate(async () => (await window.store.info()).role)),
  );
  expect(roles.sort()).toEqual(['follower', 'leader']);
  for (const tab of [writer, reader]) {
    expect(await countIn(tab.page)).toBe(3000);
    expect(accessHandleErrors(tab.console)).toEqual([]);
  }
});

test('closing the holding tab mid-write: keep-both is never repeated, so nothing is stored twice', async ({
  context,
}) => {
  const holder = await openStoreTab(context);
  const writer = await openStoreTab(context);
  await startInsertMany(writer.page, 'kb', 3000, 'keep-both');
  await expect.poll(async () => (await stateOf(writer.page)).progress.length, { intervals: [5] }).toBeGreaterThan(0);
  await holder.page.close();

  await expect.poll(async () => (await stateOf(writer.page)).outcome, { timeout: 60_000 }).not.toBeNull();
  const { outcome } = await stateOf(writer.page);
  // It was under way when the holder closed: its outcome is unknown, and the caller is told so.
  expect(outcome).toMatchObject({ error: { code: 'interrupted', isStoreError: true } });
  const ids = await idsIn(writer.page);
  expect(ids.filter((id) => id.includes('~'))).toEqual([]);
  // Whole batches committed before the close; the rest was rolled back.
  expect(ids.length % 500).toBe(0);
  expect(ids.length).toBeGreaterThan(0);
  expect(ids.length).toBeLessThan(3000);
  // The writer leads now, and new calls work.
  expect(await writer.page.evaluate(async () => (await window.store.info()).role)).toBe('leader');
  await writer.page.evaluate(() => window.store.insertTrajectory(window.ts.atifDocument('after-failover')));
  expect(await countIn(writer.page)).toBe(ids.length + 1);
});

test('a holding tab that closes its store hands the database over, and waiting calls go on', async ({ context }) => {
  const holder = await openStoreTab(context);
  const other = await openStoreTab(context);
  await holder.page.evaluate(() => window.store.insertTrajectory(window.ts.atifDocument('first')));
  // Calls sent while the holder closes either ran before it closed or were given back unrun and run on the next
  // holder: even keep-both, which is never repeated, completes.
  const pending = other.page.evaluate(async () => {
    const saves = Array.from({ length: 20 }, (_, i) =>
      window.store.insertTrajectory(window.ts.atifDocument(`during-${i}`)),
    );
    const bulk = Array.from({ length: 3 }, (_, i) =>
      window.store.insertMany(window.ts.atifBatch(`kb${i}`, 40), { onConflict: 'keep-both' }),
    );
    return { saves: (await Promise.all(saves)).length, bulk: (await Promise.all(bulk)).map((r) => r.inserted) };
  });
  await holder.page.evaluate(() => window.store.close());
  expect(await pending).toEqual({ saves: 20, bulk: [40, 40, 40] });
  expect(await other.page.evaluate(async () => (await window.store.info()).role)).toBe('leader');
  const ids = await idsIn(other.page);
  expect(ids.length).toBe(1 + 20 + 3 * 40);
  expect(ids.filter((id) => id.includes('~'))).toEqual([]);
  // The tab whose store closed can open it again, and follows.
  expect(
    await holder.page.evaluate(async () => {
      window.store = await window.ts.openTrajectoryStore();
      return (await window.store.info()).role;
    }),
  ).toBe('follower');
  expect(accessHandleErrors(other.console)).toEqual([]);
});

test('a tab that reloads gives the database up and gets it back', async ({ context }) => {
  const first = await openStoreTab(context);
  const second = await openStoreTab(context);
  await first.page.evaluate(() => window.store.insertTrajectory(window.ts.atifDocument('kept')));
  await first.page.reload();
  // The second tab took over while the first reloaded; the first now follows it.
  const info = await first.page.evaluate(async () => {
    window.store = await window.ts.openTrajectoryStore();
    return window.store.info();
  });
  expect(info.role).toBe('follower');
  expect(await second.page.evaluate(async () => (await window.store.info()).role)).toBe('leader');
  expect(await idsIn(first.page)).toEqual(['kept']);
  for (const tab of [first, second]) expect(accessHandleErrors(tab.console)).toEqual([]);
});
