/**
 * The store from a page on OPFS at scale (npm run bench:browser:scale):
 * fills one database with N trajectories (BENCH_SCALE_N, default 100,000)
 * through insertMany, then times what a person waits on in the app: list
 * pages in every order and with filters, searches, stats, one document, one
 * save, one delete, info(), the same calls from a tab that does not hold the
 * database beside the holding tab's, a snapshot, and a reload until the first
 * page is shown. Every time is taken in the page around the awaited call, so it
 * includes the trip to the worker. Prints the figures and saves them under
 * bench/results/browser-scale.json. Asserts nothing about time.
 *
 * BENCH_SCALE_SNAPSHOT=/path/file.sqlite also saves the filled database
 * there, to look at its query plans outside the browser.
 */
import { test, type Page } from '@playwright/test';
import { openStoreIn, STORE_PAGE } from '../e2e/support/pages.js';
import { saveReport, type Figure } from './report.js';
import { scaleItems } from './scale-data.js';

const N = Number(process.env.BENCH_SCALE_N ?? 100_000);
const BATCH = Math.min(5_000, N);
const RUNS = 5;
const DB_NAME = 'bench-scale';

declare global {
  interface Window {
    scaleItems: typeof scaleItems;
  }
}

/** The store page with `window.scaleItems` and the bench database opened as `window.store`. */
async function openBenchPage(page: Page): Promise<void> {
  await page.evaluate(`window.scaleItems = ${scaleItems.toString()}`);
  await openStoreIn(page, { name: DB_NAME, storage: 'opfs' });
}

interface Timed {
  ms: number[];
  /** What the last call returned, in a few words. */
  result: string;
}

/** Calls `store[method](...args)` `runs` times in the page, timing each call. */
function timeCall(page: Page, method: string, args: unknown[], runs = RUNS): Promise<Timed> {
  return page.evaluate(
    async ({ method, args, runs }) => {
      const store = window.store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      const ms: number[] = [];
      let last: unknown;
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        last = await store[method]!(...args);
        ms.push(performance.now() - t);
      }
      const r = last as Record<string, unknown> | null;
      let result = '';
      if (r && Array.isArray(r.items)) result = `${r.items.length} items${r.nextCursor ? ', more' : ''}`;
      else if (r && typeof r === 'object' && 'totals' in r) result = `${(r.totals as { count: number }).count} counted`;
      else if (r && typeof r === 'object' && 'summary' in r) result = 'found';
      else if (r === null) result = 'null';
      return { ms, result };
    },
    { method, args, runs },
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (ms: number) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));

test(`browser store at scale (${N.toLocaleString('en')} trajectories, OPFS)`, async ({ browser }) => {
  test.setTimeout(120 * 60_000);
  const figures: Figure[] = [];
  const log = (line: string) => console.log(`[scale] ${line}`);
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`pageerror: ${error.message}`));
  await page.goto(STORE_PAGE);
  await openBenchPage(page);
  const before = await page.evaluate(() => window.store.info());
  if (before.storage !== 'opfs') throw new Error(`the store is in ${before.storage}, not OPFS`);
  if (before.trajectoryCount !== 0) throw new Error(`the bench database is not empty (${before.trajectoryCount})`);

  // Fill, timing insertMany only (building the documents is not counted).
  const batchMs: number[] = [];
  let bytesOfJson = 0;
  for (let start = 0; start < N; start += BATCH) {
    const count = Math.min(BATCH, N - start);
    const { ms, jsonBytes, result } = await page.evaluate(
      async ({ start, count, N }) => {
        const items = window.scaleItems(start, count, N);
        const jsonBytes = items.reduce<number>((sum, item) => sum + JSON.stringify(item).length, 0);
        const t = performance.now();
        const result = await window.store.insertMany(items as never);
        return {
          ms: performance.now() - t,
          jsonBytes,
          result: { inserted: result.inserted, rejected: result.rejected.length },
        };
      },
      { start, count, N },
    );
    if (result.inserted !== count)
      throw new Error(`insertMany saved ${result.inserted} of ${count} (${result.rejected} rejected)`);
    batchMs.push(ms);
    bytesOfJson += jsonBytes;
    log(`filled ${start + count} / ${N}: ${Math.round(ms)} ms for ${count} (${Math.round((count / ms) * 1000)}/s)`);
  }
  const fillMs = batchMs.reduce((a, b) => a + b, 0);
  const afterFill = await page.evaluate(() => window.store.info());
  figures.push(
    {
      name: `insertMany, ${N} in batches of ${BATCH}`,
      value: N / (fillMs / 1000),
      unit: 'traj/s',
      note: `${(fillMs / 1000).toFixed(0)} s in all, ${(bytesOfJson / N / 1024).toFixed(1)} KiB JSON each`,
    },
    {
      name: 'insertMany, first batch',
      value: BATCH / (batchMs[0]! / 1000),
      unit: 'traj/s',
      note: `${Math.round(batchMs[0]!)} ms`,
    },
    {
      name: 'insertMany, last batch',
      value: BATCH / (batchMs.at(-1)! / 1000),
      unit: 'traj/s',
      note: `${Math.round(batchMs.at(-1)!)} ms`,
    },
    {
      name: 'database size after the fill',
      value: afterFill.sizeBytes / 1024 / 1024,
      unit: 'MiB',
      note: `${afterFill.trajectoryCount} trajectories`,
    },
  );

  const add = async (name: string, method: string, args: unknown[], runs = RUNS) => {
    const t = await timeCall(page, method, args, runs);
    const value = median(t.ms);
    figures.push({
      name,
      value,
      unit: 'ms',
      note: `${runs > 1 ? `median of ${runs}, first ${round(t.ms[0]!)} ms, max ${round(Math.max(...t.ms))} ms` : 'once'}${t.result ? `; ${t.result}` : ''}`,
    });
    log(`${name}: ${round(value)} ms (${t.ms.map(round).join(', ')}) ${t.result}`);
  };

  // Lists.
  await add('list: first page (50, createdAt desc)', 'listTrajectories', [{ limit: 50 }]);
  const walk = await page.evaluate(async () => {
    let cursor: string | undefined;
    const t = performance.now();
    for (let p = 1; p < 100; p++)
      cursor = (await window.store.listTrajectories({ limit: 50, ...(cursor ? { cursor } : {}) })).nextCursor;
    return { cursor, ms: performance.now() - t };
  });
  figures.push({
    name: 'list: pages 1-99 by cursor, in all',
    value: walk.ms,
    unit: 'ms',
    note: `${round(walk.ms / 99)} ms a page`,
  });
  if (walk.cursor) await add('list: page 100 by cursor', 'listTrajectories', [{ limit: 50, cursor: walk.cursor }]);
  for (const orderBy of [
    'createdAt',
    'updatedAt',
    'firstStepAt',
    'lastStepAt',
    'stepCount',
    'totalTokens',
    'totalCostUsd',
    'comprehensivenessScore',
  ]) {
    for (const order of ['desc', 'asc'])
      await add(`list: first page by ${orderBy} ${order}`, 'listTrajectories', [{ orderBy, order, limit: 50 }]);
  }
  const deepByCost = await page.evaluate(async () => {
    let cursor: string | undefined;
    for (let p = 1; p < 100; p++)
      cursor = (
        await window.store.listTrajectories({ orderBy: 'totalCostUsd', limit: 50, ...(cursor ? { cursor } : {}) })
      ).nextCursor;
    return cursor;
  });
  if (deepByCost)
    await add('list: page 100 by totalCostUsd desc (cursor)', 'listTrajectories', [
      { orderBy: 'totalCostUsd', limit: 50, cursor: deepByCost },
    ]);

  // Filtered lists. The created range is the middle tenth of the fill (from when run 45% was saved to when run 55% was).
  const [createdFrom, createdTo] = await page.evaluate(
    async (ids) => {
      const times = await Promise.all(ids.map(async (id) => (await window.store.getTrajectory(id))!.summary.createdAt));
      return times as [string, string];
    },
    [`run-${Math.floor(N * 0.045) * 10}`, `run-${Math.floor(N * 0.055) * 10}`],
  );
  await add('list: agentName', 'listTrajectories', [{ agentName: 'codex' }]);
  await add('list: agentName + modelName', 'listTrajectories', [{ agentName: 'codex', modelName: 'gpt-5' }]);
  await add('list: kind testgen', 'listTrajectories', [{ kind: 'testgen' }]);
  await add('list: kind testgen by comprehensivenessScore', 'listTrajectories', [
    { kind: 'testgen', orderBy: 'comprehensivenessScore' },
  ]);
  await add('list: minCostUsd 0.095 (~1.5%)', 'listTrajectories', [{ minCostUsd: 0.095 }]);
  await add('list: minCostUsd 0.095 by totalCostUsd', 'listTrajectories', [
    { minCostUsd: 0.095, orderBy: 'totalCostUsd' },
  ]);
  await add('list: createdFrom/createdTo (middle tenth)', 'listTrajectories', [{ createdFrom, createdTo }]);
  await add('list: agentName by totalCostUsd', 'listTrajectories', [{ agentName: 'codex', orderBy: 'totalCostUsd' }]);
  await add('list: modelName (no agent)', 'listTrajectories', [{ modelName: 'gpt-5' }]);
  await add('list: taskId', 'listTrajectories', [{ taskId: 'task-3' }]);

  // Search (ranked by bm25 unless an orderBy is given).
  const rareId = Math.floor(N / 2) - (Math.floor(N / 2) % 10);
  await add('search: common word (error)', 'searchTrajectories', ['error']);
  await add('search: mid word (payment)', 'searchTrajectories', ['payment']);
  await add('search: rare word (one hit)', 'searchTrajectories', [`ticket${rareId.toString(36)}`]);
  await add('search: two words (parser timeout)', 'searchTrajectories', ['parser timeout']);
  await add('search: prefix (refac*)', 'searchTrajectories', ['refac*']);
  await add('search: phrase ("memory leak")', 'searchTrajectories', ['"memory leak"']);
  await add('search: common word, newest first', 'searchTrajectories', ['error', { orderBy: 'createdAt' }]);
  await add('search: common word + agentName', 'searchTrajectories', ['error', { agentName: 'codex' }]);
  await add('search: word -excluded (parser -payment)', 'searchTrajectories', ['parser -payment']);
  await add('search: CJK word (データベース)', 'searchTrajectories', ['データベース']);
  await add('search: 2-character CJK word (設定)', 'searchTrajectories', ['設定']);

  // Stats, reads, writes.
  await add('getStats: all', 'getStats', [{}]);
  await add('getStats: agentName', 'getStats', [{ agentName: 'codex' }]);
  await add('getStats: createdFrom/createdTo', 'getStats', [{ createdFrom, createdTo }]);
  const someIds = [1, 2, 3, 4, 5].map((k) => `run-${Math.floor((N * k) / 6) - (Math.floor((N * k) / 6) % 10)}`);
  const getMs = await page.evaluate(async (ids) => {
    const ms: number[] = [];
    for (const id of ids) {
      const t = performance.now();
      if (!(await window.store.getTrajectory(id))) throw new Error(`no ${id}`);
      ms.push(performance.now() - t);
    }
    return ms;
  }, someIds);
  figures.push({
    name: 'getTrajectory, one',
    value: median(getMs),
    unit: 'ms',
    note: `median of ${getMs.length} ids, max ${round(Math.max(...getMs))} ms`,
  });
  const writes = await page.evaluate(
    async ({ N }) => {
      const insertMs: number[] = [];
      const docs = window.scaleItems(N, 10, N).filter((item) => !('testgen' in (item as object)));
      for (const [k, doc] of docs.entries()) {
        (doc as { session_id: string }).session_id = `single-${k}`;
        const t = performance.now();
        await window.store.insertTrajectory(doc as never);
        insertMs.push(performance.now() - t);
      }
      const deleteMs: number[] = [];
      for (let k = 0; k < 10; k++) {
        const t = performance.now();
        const index = Math.floor((N * k) / 10);
        if (!(await window.store.deleteTrajectory(`run-${index - (index % 10) + 1}`)))
          throw new Error('nothing deleted');
        deleteMs.push(performance.now() - t);
      }
      return { insertMs, deleteMs };
    },
    { N },
  );
  figures.push({
    name: 'insertTrajectory, one',
    value: median(writes.insertMs),
    unit: 'ms',
    note: `median of ${writes.insertMs.length}, max ${round(Math.max(...writes.insertMs))} ms`,
  });
  figures.push({
    name: 'deleteTrajectory, one',
    value: median(writes.deleteMs),
    unit: 'ms',
    note: `median of ${writes.deleteMs.length}, max ${round(Math.max(...writes.deleteMs))} ms`,
  });

  const infoT = await timeCall(page, 'info', []);
  const info = await page.evaluate(() => window.store.info());
  figures.push({
    name: 'info()',
    value: median(infoT.ms),
    unit: 'ms',
    note: `sizeBytes ${(info.sizeBytes / 1024 / 1024).toFixed(1)} MiB, ${info.trajectoryCount} trajectories`,
  });

  // A tab that does not hold the database: the same calls from it, each beside the holding tab's, in turns.
  const other = await context.newPage();
  await other.goto(STORE_PAGE);
  await openBenchPage(other);
  const otherRole = await other.evaluate(async () => (await window.store.info()).role);
  if (otherRole !== 'follower') throw new Error(`the second tab is the ${otherRole}, not a follower`);
  const tabCalls: Array<[string, string, unknown[]]> = [
    ['info()', 'info', []],
    ['getTrajectory', 'getTrajectory', [someIds[0]]],
    ['list first page', 'listTrajectories', [{ limit: 50 }]],
    ['list page of 1,000', 'listTrajectories', [{ limit: 1000 }]],
    ['search rare word', 'searchTrajectories', [`ticket${rareId.toString(36)}`]],
    ['getStats all', 'getStats', [{}]],
  ];
  for (const [label, method, args] of tabCalls) {
    const holder: number[] = [];
    const follower: number[] = [];
    for (let turn = 0; turn < 3; turn++) {
      holder.push(...(await timeCall(page, method, args, 7)).ms);
      follower.push(...(await timeCall(other, method, args, 7)).ms);
    }
    const added = median(follower) - median(holder);
    figures.push({
      name: `another tab adds: ${label}`,
      value: added,
      unit: 'ms',
      note: `median of 21: holding tab ${round(median(holder))} ms, other tab ${round(median(follower))} ms`,
    });
    log(`another tab adds, ${label}: ${round(added)} ms (${round(median(holder))} -> ${round(median(follower))})`);
  }
  await other.close();

  const snapshot = await page.evaluate(async (save) => {
    const ms: number[] = [];
    let bytes: Uint8Array = new Uint8Array();
    for (let k = 0; k < 2; k++) {
      const t = performance.now();
      bytes = await window.store.exportSnapshot();
      ms.push(performance.now() - t);
    }
    if (save) {
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/vnd.sqlite3' }));
      Object.assign(window, { snapshotUrl: url });
    }
    return { ms, length: bytes.length };
  }, Boolean(process.env.BENCH_SCALE_SNAPSHOT));
  figures.push({
    name: 'exportSnapshot',
    value: median(snapshot.ms),
    unit: 'ms',
    note: `${(snapshot.length / 1024 / 1024).toFixed(1)} MiB; runs ${snapshot.ms.map(round).join(', ')} ms`,
  });
  if (process.env.BENCH_SCALE_SNAPSHOT) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(() => {
        const a = document.createElement('a');
        a.href = (window as unknown as { snapshotUrl: string }).snapshotUrl;
        a.download = 'bench-scale.sqlite';
        document.body.append(a);
        a.click();
      }),
    ]);
    await download.saveAs(process.env.BENCH_SCALE_SNAPSHOT);
    log(`snapshot saved to ${process.env.BENCH_SCALE_SNAPSHOT}`);
  }

  // A fresh page: from navigation to the first page shown (cold page cache: the worker and its database are new).
  const reloads: Array<{ total: number; open: number; list: number; sinceNavigation: number }> = [];
  const cold: Record<string, number[]> = { getStats: [], search: [], byCost: [] };
  for (let k = 0; k < 3; k++) {
    const t = Date.now();
    await page.reload();
    const r = await page.evaluate(async (name) => {
      const t0 = performance.now();
      window.store = await window.ts.openTrajectoryStore({ name, storage: 'opfs' });
      const t1 = performance.now();
      const first = await window.store.listTrajectories({ limit: 50 });
      const t2 = performance.now();
      if (first.items.length !== 50) throw new Error('no first page');
      return { open: t1 - t0, list: t2 - t1, sinceNavigation: t2 };
    }, DB_NAME);
    reloads.push({ total: Date.now() - t, ...r });
    // The first calls after a reload read their pages from OPFS.
    const c = await page.evaluate(async () => {
      let t = performance.now();
      await window.store.getStats();
      const getStats = performance.now() - t;
      t = performance.now();
      await window.store.searchTrajectories('error');
      const search = performance.now() - t;
      t = performance.now();
      await window.store.listTrajectories({ orderBy: 'totalCostUsd' });
      return { getStats, search, byCost: performance.now() - t };
    });
    cold.getStats!.push(c.getStats);
    cold.search!.push(c.search);
    cold.byCost!.push(c.byCost);
    log(`reload ${k + 1}: ${JSON.stringify(r)} ${JSON.stringify(c)}`);
  }
  const m = (key: keyof (typeof reloads)[number]) => median(reloads.map((r) => r[key]));
  figures.push(
    {
      name: 'reload: navigation to first page shown',
      value: m('sinceNavigation'),
      unit: 'ms',
      note: `median of 3; reload() to shown ${round(m('total'))} ms, as seen by the test`,
    },
    { name: 'reload: openTrajectoryStore', value: m('open'), unit: 'ms', note: 'median of 3' },
    { name: 'reload: first listTrajectories', value: m('list'), unit: 'ms', note: 'median of 3, cold cache' },
    { name: 'after reload: getStats (cold)', value: median(cold.getStats!), unit: 'ms', note: 'median of 3' },
    { name: 'after reload: search common word (cold)', value: median(cold.search!), unit: 'ms', note: 'median of 3' },
    { name: 'after reload: list by totalCostUsd (cold)', value: median(cold.byCost!), unit: 'ms', note: 'median of 3' },
  );

  saveReport('browser-scale', [{ name: 'N (trajectories)', value: N, unit: '' }, ...figures]);
  await context.close();
});
