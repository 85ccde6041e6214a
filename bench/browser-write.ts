/**
 * The cost of a write from a page, on OPFS (npm run bench:browser): one
 * save (one commit), a 1,000-trajectory insertMany (one commit per batch of
 * 500), and a search; from the tab that holds the database and from a tab
 * that reaches it through that one, and in memory for comparison. Prints the
 * figures and saves them under bench/results/. Asserts nothing about time.
 */
import { test, type Page } from '@playwright/test';
import { openStoreTab } from '../e2e/support/pages.js';
import { saveReport, type Figure } from './report.js';

const SINGLE_SAVES = 40;
const BULK = 1_000;
const SEARCHES = 20;

interface Timings {
  singleSaveMs: number[];
  insertManyMs: number;
  searchRareMs: number[];
  searchCommonMs: number[];
}

/** Times the three operations in `page`'s store; ids start with `prefix`. */
function measure(page: Page, prefix: string): Promise<Timings> {
  return page.evaluate(
    async ({ prefix, SINGLE_SAVES, BULK, SEARCHES }) => {
      const { store, ts } = window;
      const singleSaveMs: number[] = [];
      for (let i = 0; i < SINGLE_SAVES; i++) {
        const doc = ts.atifDocument(`${prefix}-single-${i}`);
        const t = performance.now();
        await store.insertTrajectory(doc);
        singleSaveMs.push(performance.now() - t);
      }
      const batch = ts.atifBatch(`${prefix}-bulk`, BULK);
      let t = performance.now();
      await store.insertMany(batch);
      const insertManyMs = performance.now() - t;
      const searchRareMs: number[] = [];
      const searchCommonMs: number[] = [];
      for (let i = 0; i < SEARCHES; i++) {
        t = performance.now();
        const rare = await store.searchTrajectories(`word${prefix}bulk${i}`);
        searchRareMs.push(performance.now() - t);
        if (rare.items.length !== 1) throw new Error(`search found ${rare.items.length}`);
        t = performance.now();
        await store.searchTrajectories('module', { limit: 50 });
        searchCommonMs.push(performance.now() - t);
      }
      return { singleSaveMs, insertManyMs, searchRareMs, searchCommonMs };
    },
    { prefix, SINGLE_SAVES, BULK, SEARCHES },
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)]!;

function figures(where: string, t: Timings): Figure[] {
  return [
    {
      name: `${where}: one save (median)`,
      value: median(t.singleSaveMs),
      unit: 'ms',
      note: `${SINGLE_SAVES} saves, one commit each`,
    },
    { name: `${where}: one save (p90)`, value: p90(t.singleSaveMs), unit: 'ms' },
    {
      name: `${where}: insertMany of ${BULK}`,
      value: t.insertManyMs,
      unit: 'ms',
      note: `${Math.round((BULK / t.insertManyMs) * 1000)} trajectories/s`,
    },
    { name: `${where}: search, one hit (median)`, value: median(t.searchRareMs), unit: 'ms' },
    {
      name: `${where}: search, 50 of ${BULK + SINGLE_SAVES} hits (median)`,
      value: median(t.searchCommonMs),
      unit: 'ms',
    },
  ];
}

test('browser write cost', async ({ browser }) => {
  test.setTimeout(10 * 60_000);
  const context = await browser.newContext();
  const holder = await openStoreTab(context, { name: 'bench' });
  const follower = await openStoreTab(context, { name: 'bench' });
  const memory = await openStoreTab(context, { name: 'bench-memory', storage: 'memory' });
  const results = [
    ...figures('OPFS, holding tab', await measure(holder.page, 'h')),
    ...figures('OPFS, other tab', await measure(follower.page, 'f')),
    ...figures('memory', await measure(memory.page, 'm')),
  ];
  const info = await holder.page.evaluate(() => window.store.info());
  results.push({
    name: 'database size after the runs',
    value: info.sizeBytes / 1024 / 1024,
    unit: 'MiB',
    note: `${info.trajectoryCount} trajectories`,
  });
  saveReport('browser-write', results);
  await context.close();
});
