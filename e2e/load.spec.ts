/**
 * Load across tabs (issue 8, Deliver 4): three tabs each save N trajectories one call at a time while a fourth
 * searches and lists without pause, and the tab holding the database closes mid-run. Zero errors in any tab, and
 * every save is stored exactly once (no lost call, no repeated one kept as a copy). `npm test` saves 40 a tab;
 * `npm run test:reliability` (RELIABILITY_LONG=1) 1,000.
 */
import { expect, test, type Page } from '@playwright/test';
import { LONG_RUN } from './support/browser-process.js';
import { accessHandleErrors, idsIn, openStoreTab } from './support/pages.js';

const SAVES_PER_TAB = LONG_RUN ? 1_000 : 40;

test.describe.configure({ timeout: LONG_RUN ? 1_800_000 : 180_000 });

interface LoadState {
  done: number;
  errors: string[];
  searches?: number;
  stop?: boolean;
}

const stateOf = (page: Page) => page.evaluate(() => (window as unknown as { load: LoadState }).load);

/** Starts `count` saves in `page`, one after another, each a distinct trajectory; progress lands on window.load. */
function startSaves(page: Page, tab: number, count: number) {
  return page.evaluate(
    ({ tab, count }) => {
      const load = { done: 0, errors: [] as string[] };
      Object.assign(window, { load });
      void (async () => {
        for (let i = 0; i < count; i++) {
          try {
            await window.store.insertTrajectory(window.ts.atifDocument(`tab${tab}-${i}`));
          } catch (error) {
            load.errors.push(`tab${tab}-${i}: ${window.ts.describeError(error).message}`);
          }
          load.done++;
        }
      })();
    },
    { tab, count },
  );
}

/** Searches and lists in `page` until told to stop; every failure is kept. */
function startSearching(page: Page) {
  return page.evaluate(() => {
    const load = { done: 0, errors: [] as string[], searches: 0, stop: false };
    Object.assign(window, { load });
    void (async () => {
      while (!load.stop) {
        try {
          await window.store.searchTrajectories('wordtab1 OR wordtab2', { limit: 20 });
          await window.store.listTrajectories({ orderBy: 'updatedAt', limit: 50 });
          load.searches++;
        } catch (error) {
          load.errors.push(window.ts.describeError(error).message ?? String(error));
        }
      }
      load.done = 1;
    })();
  });
}

test('three tabs saving while a fourth searches and the holding tab closes: no error, every save once', async ({
  context,
}) => {
  const holder = await openStoreTab(context);
  expect(holder.info.role).toBe('leader');
  const writers = [await openStoreTab(context), await openStoreTab(context), await openStoreTab(context)];
  const searcher = await openStoreTab(context);

  await startSearching(searcher.page);
  await Promise.all(writers.map((writer, t) => startSaves(writer.page, t, SAVES_PER_TAB)));
  // The holder goes once a third of the saves are in.
  const saved = async () => (await Promise.all(writers.map((w) => stateOf(w.page)))).reduce((n, s) => n + s.done, 0);
  await expect.poll(saved, { timeout: 600_000, intervals: [20] }).toBeGreaterThanOrEqual(SAVES_PER_TAB);
  await holder.page.close();

  await expect.poll(saved, { timeout: LONG_RUN ? 1_500_000 : 150_000 }).toBe(3 * SAVES_PER_TAB);
  await searcher.page.evaluate(() => {
    (window as unknown as { load: LoadState }).load.stop = true;
  });
  await expect.poll(async () => (await stateOf(searcher.page)).done).toBe(1);

  for (const writer of writers) expect((await stateOf(writer.page)).errors).toEqual([]);
  const search = await stateOf(searcher.page);
  expect(search.errors).toEqual([]);
  expect(search.searches).toBeGreaterThan(0);

  const ids = await idsIn(writers[0]!.page);
  expect(ids.length).toBe(3 * SAVES_PER_TAB);
  expect(new Set(ids).size).toBe(ids.length);
  const expected = writers.flatMap((_, t) => Array.from({ length: SAVES_PER_TAB }, (_, i) => `tab${t}-${i}`));
  expect(ids.sort()).toEqual(expected.sort());
  for (const tab of [...writers, searcher]) expect(accessHandleErrors(tab.console)).toEqual([]);
  console.log(`${3 * SAVES_PER_TAB} saves in three tabs, ${search.searches} searches in a fourth, holder closed`);
});
