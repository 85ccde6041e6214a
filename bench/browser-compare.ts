/**
 * compareTrajectories and compareBatches from a page, on OPFS (npm run bench:browser:compare): two
 * 10,000-step runs aligned in the worker, and two batches of 10,000 testgen sessions paired by task. Each
 * figure is the page's round trip (the call, the work in the worker, the answer cloned back). Prints the
 * figures and saves bench/results/browser-compare.json. Asserts nothing about time.
 */
import { test } from '@playwright/test';
import { openStoreTab } from '../e2e/support/pages.js';
import { p50, saveReport, type Figure } from './report.js';

const STEPS = 10_000;
const BATCH = 10_000;
const RUNS = 7;

test('compare in the worker, on OPFS', async ({ context }) => {
  test.setTimeout(30 * 60_000);
  const { page } = await openStoreTab(context, { name: `bench-compare-${Date.now()}` });
  const timings = await page.evaluate(
    async ({ STEPS, BATCH, RUNS }) => {
      const { store, ts } = window;
      const [a, b] = ts.comparableRuns('bench-a', 'bench-b', STEPS);
      await store.insertMany([a, b]);
      const sessions = [];
      for (let i = 0; i < BATCH; i++) {
        for (const model of ['old', 'new']) {
          const status = (i * (model === 'old' ? 7 : 11)) % 10 === 0 ? 'failed' : 'complete';
          sessions.push({
            testgen: ts.testgenSession(`${model}-${i}`, { taskId: `task-${i}`, modelName: model, status }),
          });
        }
      }
      for (let start = 0; start < sessions.length; start += 5000) {
        await store.insertMany(sessions.slice(start, start + 5000));
      }
      const time = async (work: () => Promise<unknown>) => {
        const times: number[] = [];
        for (let r = 0; r < RUNS; r++) {
          const t = performance.now();
          await work();
          times.push(performance.now() - t);
        }
        return times;
      };
      let rows = 0;
      const pair = await time(async () => {
        const c = await store.compareTrajectories('bench-a', 'bench-b');
        rows = c.kind === 'atif' ? c.alignment.length : 0;
      });
      const self = await time(() => store.compareTrajectories('bench-a', 'bench-a'));
      let pairs = 0;
      const batches = await time(async () => {
        pairs = (await store.compareBatches({ modelName: 'old' }, { modelName: 'new' })).pairs.length;
      });
      return { pair, self, batches, rows, pairs };
    },
    { STEPS, BATCH, RUNS },
  );
  const figures: Figure[] = [
    {
      key: 'compareTrajectories',
      name: `compareTrajectories, two ${STEPS}-step runs (p50)`,
      value: p50(timings.pair),
      unit: 'ms',
      note: `${timings.rows} rows`,
    },
    {
      key: 'compareSelf',
      name: `compareTrajectories, a ${STEPS}-step run with itself (p50)`,
      value: p50(timings.self),
      unit: 'ms',
    },
    {
      key: 'compareBatches',
      name: `compareBatches, ${BATCH} a side by taskId (p50)`,
      value: p50(timings.batches),
      unit: 'ms',
      note: `${timings.pairs} pairs`,
    },
  ];
  saveReport('browser-compare', figures);
});
