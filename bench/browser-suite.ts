/**
 * The browser half of `npm run bench` (bench/run.mjs): one headless Chromium on a persistent profile (OPFS on
 * disk, as for a person), against the `vite build --mode bench` output. Every workload is measured beside its
 * references in the same run:
 * - bulk insertMany of realistic ATIF runs (bench/data.ts) beside raw OPFS writes and plain sqlite-wasm rows on
 *   opfs-sahpool (a reference worker on the same page), and SQLocal (its own, cross-origin isolated page);
 * - single saves (ATIF, testgen) from the page, and inside the worker with their OPFS writes and flushes counted,
 *   beside one OPFS flush and SQLocal's single insert;
 * - search shapes, a filtered list page and getStats at scale: the round trip from the page and the time inside
 *   the worker apart; getStats and the first page after a reload (cold);
 * - cold open to the first answered query, empty and at scale; snapshot export and replace-import (MB/s, the
 *   browser's peak memory);
 * - the same calls from the tab holding the database and from another tab.
 * Saves bench/results/browser-suite.json. Asserts nothing about time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, test, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PREVIEW_PORT } from '../playwright.config.js';
import { withPeakMemory } from './browser-memory.js';
import { benchMode, p50, p95, saveReport, type Figure } from './report.js';
import type { BenchPageApi } from './pages/bench-page.js';
import type { PeersPageApi } from './pages/peers-page.js';

declare global {
  interface Window {
    bench: BenchPageApi;
    peers: PeersPageApi;
  }
}

const MODE = benchMode();
const BULK = MODE === 'full' ? 10_000 : 2_000;
const SINGLES = MODE === 'full' ? 200 : 50;
const RUNS = MODE === 'full' ? 30 : 15;
/** Databases searched: the bulk one, and in full mode one grown to 100,000. */
const SCALES = MODE === 'full' ? [BULK, 100_000] : [BULK];
const BATCH = 500;
const BASE = `http://localhost:${PREVIEW_PORT}`;
const DB = 'bench-suite';

const SEARCHES: Array<{ key: string; name: string; text: string; query?: object }> = [
  { key: 'word', name: 'one word', text: 'timeout' },
  { key: 'twoWords', name: 'two words', text: 'parser retry' },
  { key: 'phrase', name: 'phrase', text: '"memory leak"' },
  { key: 'prefix', name: 'prefix', text: 'refac*' },
  { key: 'filtered', name: 'word + agent filter', text: 'timeout', query: { agentName: 'codex' } },
  { key: 'rare', name: 'rare word (one hit)', text: 'ticket2s' },
];

const figures: Figure[] = [];
const log = (line: string) => console.log(`[bench] ${line}`);
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));

function addTimes(key: string, name: string, times: number[], note = ''): void {
  figures.push({ key: `${key}.p50`, name: `${name} p50`, value: p50(times), unit: 'ms', note });
  figures.push({ key: `${key}.p95`, name: `${name} p95`, value: p95(times), unit: 'ms', note: `${times.length} runs` });
  log(`${name}: p50 ${ms(p50(times))} ms, p95 ${ms(p95(times))} ms`);
}

async function openBenchPage(context: BrowserContext, name = DB): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`pageerror: ${error.message}`));
  await page.goto(`${BASE}/bench/pages/bench.html`);
  await page.evaluate(async (name) => {
    window.store = await window.bench.openTrajectoryStore({ name, storage: 'opfs' });
  }, name);
  return page;
}

/** Times `store[method](...args)` from the page, `runs` times. */
function roundTrips(page: Page, method: string, args: unknown[], runs = RUNS): Promise<number[]> {
  return page.evaluate(
    async ({ method, args, runs }) => {
      const store = window.store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await store[method]!(...args);
        times.push(performance.now() - t);
      }
      return times;
    },
    { method, args, runs },
  );
}

/** insertMany from the page of bench documents [first, first + count), in calls of BATCH; returns ms and bytes. */
function fillFromPage(page: Page, first: number, count: number): Promise<{ ms: number; jsonBytes: number }> {
  return page.evaluate(
    async ({ first, count, BATCH }) => {
      let ms = 0;
      let jsonBytes = 0;
      for (let start = first; start < first + count; start += BATCH) {
        const items = Array.from({ length: Math.min(BATCH, first + count - start) }, (_, k) =>
          window.bench.benchAtif(start + k),
        );
        jsonBytes += items.reduce((sum, item) => sum + JSON.stringify(item).length, 0);
        const t = performance.now();
        const result = await window.store.insertMany(items);
        ms += performance.now() - t;
        if (result.inserted + result.replaced !== items.length)
          throw new Error(`insertMany: ${JSON.stringify(result)}`);
      }
      return { ms, jsonBytes };
    },
    { first, count, BATCH },
  );
}

test(`browser suite (${MODE})`, async () => {
  test.setTimeout(180 * 60_000);
  const profile = mkdtempSync(join(tmpdir(), 'trajectory-store-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    headless: true,
    ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
    args: CHROMIUM_ARGS,
  });
  try {
    figures.push({ key: 'mode', name: `mode: ${MODE}`, value: BULK, unit: 'bulk docs' });
    let page = await openBenchPage(context);
    const info = await page.evaluate(() => window.store.info());
    if (info.storage !== 'opfs') throw new Error(`the store is in ${info.storage}, not OPFS`);

    // --- References in a worker of the same page: raw OPFS and plain sqlite-wasm rows.
    const refs = await page.evaluate(async (BULK) => {
      const { worker, terminate } = window.bench.reference();
      try {
        const raw8 = await worker.rawWrites(64 * 1024 * 1024, 8192);
        const raw64 = await worker.rawWrites(256 * 1024 * 1024, 65536);
        const flush = await worker.flushTimes(200);
        const plain = await worker.plainSahpool(BULK);
        return { raw8, raw64, flush, plain };
      } finally {
        await terminate();
      }
    }, BULK);
    figures.push(
      { key: 'raw.write8k', name: 'raw OPFS writes, 8 KiB calls', value: 64 / (refs.raw8.ms / 1000), unit: 'MB/s' },
      { key: 'raw.write64k', name: 'raw OPFS writes, 64 KiB calls', value: 256 / (refs.raw64.ms / 1000), unit: 'MB/s' },
      { key: 'raw.flush.p50', name: 'one OPFS flush p50', value: p50(refs.flush), unit: 'ms' },
    );
    const plainMBs = refs.plain.jsonBytes / 1e6 / (refs.plain.ms / 1000);
    figures.push({
      key: 'bulk.plainSahpool',
      name: `plain sqlite-wasm rows on opfs-sahpool, ${BULK}`,
      value: BULK / (refs.plain.ms / 1000),
      unit: 'traj/s',
      note: `${plainMBs.toFixed(0)} MB/s, one transaction, id + document only`,
    });
    log(`references: ${JSON.stringify({ ...refs, flush: p50(refs.flush) })}`);

    // --- The store: bulk insertMany from the page.
    const bulk = await fillFromPage(page, 0, BULK);
    figures.push({
      key: 'bulk.store',
      name: `this store insertMany, ${BULK} (from the page)`,
      value: BULK / (bulk.ms / 1000),
      unit: 'traj/s',
      note: `${(bulk.jsonBytes / 1e6 / (bulk.ms / 1000)).toFixed(1)} MB/s; ${(bulk.ms / 1000).toFixed(1)} s; ${(bulk.jsonBytes / BULK / 1024).toFixed(1)} KiB each`,
    });
    log(`store bulk: ${bulk.ms.toFixed(0)} ms`);

    // --- SQLocal, on its cross-origin isolated page.
    const peersPage = await context.newPage();
    await peersPage.goto(`${BASE}/bench/pages/peers.html`);
    const peer = await peersPage.evaluate(
      async ({ BULK, SINGLES, RUNS, BATCH }) => {
        const where = await window.peers.open();
        const bulk = await window.peers.bulk(0, BULK, BATCH);
        const singles = await window.peers.singles(0, SINGLES);
        const search = await window.peers.search('timeout', RUNS);
        await window.peers.close();
        return { where, bulk, singles, search };
      },
      { BULK, SINGLES, RUNS, BATCH },
    );
    await peersPage.close();
    figures.push({
      key: 'bulk.sqlocal',
      name: `SQLocal 0.18.0 insert, ${BULK}`,
      value: BULK / (peer.bulk.ms / 1000),
      unit: 'traj/s',
      note: `${(peer.bulk.jsonBytes / 1e6 / (peer.bulk.ms / 1000)).toFixed(1)} MB/s; ${peer.where.storageType ?? '?'} VFS, isolated ${peer.where.crossOriginIsolated}; table + FTS5, batches of ${BATCH}`,
    });
    addTimes('single.sqlocal', 'SQLocal single insert', peer.singles);
    addTimes('search.sqlocal.word', 'SQLocal search one word', peer.search);

    // --- Single saves from the page (round trip), ATIF and testgen.
    const singleAtif = await page.evaluate(async (SINGLES) => {
      const times: number[] = [];
      for (let i = 0; i < SINGLES; i++) {
        const doc = window.bench.benchAtif(i, 'page-single');
        const t = performance.now();
        await window.store.insertTrajectory(doc);
        times.push(performance.now() - t);
      }
      return times;
    }, SINGLES);
    addTimes('single.atif', 'single save ATIF (page)', singleAtif);
    const singleTestgen = await page.evaluate(async (SINGLES) => {
      const times: number[] = [];
      for (let i = 0; i < SINGLES; i++) {
        const doc = window.bench.benchTestgen(i, 'page-single-tg');
        const t = performance.now();
        await window.store.insertTestGenTrajectory(doc);
        times.push(performance.now() - t);
      }
      return times;
    }, SINGLES);
    addTimes('single.testgen', 'single save testgen (page)', singleTestgen);

    // --- Calls at the first scale from the holding tab and from another tab.
    const follower = await openBenchPage(context);
    const tabCalls: Array<{ key: string; name: string; method: string; args: unknown[] }> = [
      { key: 'search', name: 'search one word', method: 'searchTrajectories', args: ['timeout'] },
      { key: 'list', name: 'list first page', method: 'listTrajectories', args: [{ limit: 50 }] },
      { key: 'get', name: 'getTrajectory', method: 'getTrajectory', args: ['bench-7'] },
      { key: 'info', name: 'info()', method: 'info', args: [] },
    ];
    for (const call of tabCalls) {
      // Interleaved, so that the machine's load falls on both alike.
      const holder: number[] = [];
      const other: number[] = [];
      for (let i = 0; i < RUNS * 2; i++) {
        holder.push(...(await roundTrips(page, call.method, call.args, 1)));
        other.push(...(await roundTrips(follower, call.method, call.args, 1)));
      }
      figures.push({
        key: `tabs.${call.key}.added`,
        name: `other tab adds, ${call.name}`,
        value: p50(other) - p50(holder),
        unit: 'ms',
        note: `holder p50 ${ms(p50(holder))} ms, other tab p50 ${ms(p50(other))} ms`,
      });
    }
    const saveIn = (tab: Page, id: string) =>
      tab.evaluate(async (id) => {
        const doc = window.bench.benchAtif(7, id);
        const t = performance.now();
        await window.store.insertTrajectory(doc);
        return performance.now() - t;
      }, id);
    const holderSaves: number[] = [];
    const followerSaves: number[] = [];
    for (let i = 0; i < Math.min(SINGLES, 50); i++) {
      holderSaves.push(await saveIn(page, `holder-pair-${i}`));
      followerSaves.push(await saveIn(follower, `follower-pair-${i}`));
    }
    figures.push({
      key: 'tabs.save.added',
      name: 'other tab adds, single save ATIF',
      value: p50(followerSaves) - p50(holderSaves),
      unit: 'ms',
      note: `holder p50 ${ms(p50(holderSaves))} ms, other tab p50 ${ms(p50(followerSaves))} ms`,
    });
    await follower.evaluate(() => window.store.close());
    await follower.close();

    for (const scale of SCALES) {
      if (scale > BULK) {
        const grow = await fillFromPage(page, BULK, scale - BULK);
        log(`grown to ${scale}: ${(grow.ms / 1000).toFixed(0)} s`);
      }
      const at = `at ${scale.toLocaleString('en')}`;
      // Round trips from the page.
      for (const s of SEARCHES)
        addTimes(
          `search.${scale}.${s.key}.page`,
          `search ${s.name} ${at} (page)`,
          await roundTrips(page, 'searchTrajectories', [s.text, s.query ?? {}]),
        );
      addTimes(
        `list.${scale}.filtered.page`,
        `list page, agent + model filter ${at} (page)`,
        await roundTrips(page, 'listTrajectories', [{ agentName: 'codex', modelName: 'gpt-5', limit: 50 }]),
      );
      addTimes(
        `list.${scale}.byCost.page`,
        `list page by cost, min cost filter ${at} (page)`,
        await roundTrips(page, 'listTrajectories', [{ minCostUsd: 0.01, orderBy: 'totalCostUsd', limit: 50 }]),
      );
      addTimes(`stats.${scale}.warm.page`, `getStats warm ${at} (page)`, await roundTrips(page, 'getStats', [{}]));

      // Cold: a reload, then open and the first answers.
      const cold: Record<string, number[]> = { open: [], firstPage: [], stats: [] };
      for (let k = 0; k < 3; k++) {
        await page.reload();
        const r = await page.evaluate(async (name) => {
          const t0 = performance.now();
          window.store = await window.bench.openTrajectoryStore({ name, storage: 'opfs' });
          const first = await window.store.listTrajectories({ limit: 50 });
          const t1 = performance.now();
          if (first.items.length !== 50) throw new Error('no first page');
          await window.store.getStats();
          return { open: t1 - t0, stats: performance.now() - t1 };
        }, DB);
        cold.open!.push(r.open);
        cold.stats!.push(r.stats);
      }
      figures.push(
        {
          key: `open.${scale}`,
          name: `cold open to first list page ${at}`,
          value: p50(cold.open!),
          unit: 'ms',
          note: 'median of 3 reloads',
        },
        {
          key: `stats.${scale}.cold`,
          name: `getStats cold (after a reload) ${at}`,
          value: p50(cold.stats!),
          unit: 'ms',
          note: 'median of 3 reloads',
        },
      );

      // Inside the worker: the same calls on the same database, the page's store closed.
      await page.evaluate(() => window.store.close());
      const inWorker = await page.evaluate(
        async ({ name, searches, RUNS }) => {
          const { worker, terminate } = window.bench.reference();
          try {
            await worker.open(name);
            const out: Record<string, number[]> = {};
            for (const s of searches)
              out[s.key] = (await worker.time('searchTrajectories', [s.text, s.query ?? {}], RUNS)).ms;
            // Its own key: `filtered` is a search's (word + agent filter), which this once overwrote.
            out.list = (
              await worker.time('listTrajectories', [{ agentName: 'codex', modelName: 'gpt-5', limit: 50 }], RUNS)
            ).ms;
            out.stats = (await worker.time('getStats', [{}], RUNS)).ms;
            return out;
          } finally {
            await terminate();
          }
        },
        { name: DB, searches: SEARCHES, RUNS },
      );
      for (const s of SEARCHES)
        addTimes(`search.${scale}.${s.key}.worker`, `search ${s.name} ${at} (in worker)`, inWorker[s.key]!);
      addTimes(`list.${scale}.filtered.worker`, `list page, agent + model filter ${at} (in worker)`, inWorker.list!);
      addTimes(`stats.${scale}.warm.worker`, `getStats warm ${at} (in worker)`, inWorker.stats!);
      await page.close();
      page = await openBenchPage(context);
    }

    // --- Single saves inside the worker, with their OPFS calls counted.
    await page.evaluate(() => window.store.close());
    const workerSaves = await page.evaluate(
      async ({ name, SINGLES }) => {
        const { worker, terminate } = window.bench.reference();
        try {
          await worker.open(name);
          const atif = await worker.saves('atif', SINGLES, 'worker-single');
          const testgen = await worker.saves('testgen', SINGLES, 'worker-single-tg');
          return { atif, testgen };
        } finally {
          await terminate();
        }
      },
      { name: DB, SINGLES },
    );
    for (const kind of ['atif', 'testgen'] as const) {
      const saves = workerSaves[kind];
      addTimes(`single.${kind}.worker`, `single save ${kind} (in worker)`, saves.ms);
      const flushes = saves.io.map((c) => c.flushes);
      figures.push(
        {
          key: `single.${kind}.flushes`,
          name: `single save ${kind}: OPFS flushes`,
          value: p50(flushes),
          unit: 'flushes',
          note: `p50; max ${Math.max(...flushes)}; mean ${(flushes.reduce((a, b) => a + b, 0) / flushes.length).toFixed(2)}`,
        },
        {
          key: `single.${kind}.writes`,
          name: `single save ${kind}: OPFS writes`,
          value: p50(saves.io.map((c) => c.writes)),
          unit: 'writes',
          note: `p50; ${(p50(saves.io.map((c) => c.writeBytes)) / 1024).toFixed(0)} KiB written`,
        },
      );
    }
    await page.close();
    page = await openBenchPage(context);

    // --- Cold open of an empty database.
    const empty = await openBenchPage(context, 'bench-empty');
    const emptyOpen: number[] = [];
    for (let k = 0; k < 3; k++) {
      await empty.reload();
      emptyOpen.push(
        await empty.evaluate(async () => {
          const t = performance.now();
          window.store = await window.bench.openTrajectoryStore({ name: 'bench-empty', storage: 'opfs' });
          await window.store.listTrajectories({ limit: 50 });
          return performance.now() - t;
        }),
      );
    }
    figures.push({
      key: 'open.empty',
      name: 'cold open to first list page, empty',
      value: p50(emptyOpen),
      unit: 'ms',
      note: 'median of 3 reloads',
    });
    await empty.close();

    // --- Snapshots of the largest database: export, then replace-import of the same bytes.
    const exported = await withPeakMemory(profile, () =>
      page.evaluate(async () => {
        const t = performance.now();
        const bytes = await window.store.exportSnapshot();
        (window as unknown as { snapshot: Uint8Array }).snapshot = bytes;
        return { ms: performance.now() - t, bytes: bytes.length };
      }),
    );
    const imported = await withPeakMemory(profile, () =>
      page.evaluate(async () => {
        const bytes = (window as unknown as { snapshot: Uint8Array }).snapshot;
        const t = performance.now();
        const result = await window.store.importSnapshot(bytes, { mode: 'replace' });
        return { ms: performance.now() - t, trajectories: result.trajectories };
      }),
    );
    const mb = exported.result.bytes / 1e6;
    const stored = imported.result.trajectories;
    figures.push(
      {
        key: 'snapshot.export',
        name: `exportSnapshot, ${stored.toLocaleString('en')} trajectories`,
        value: exported.result.ms,
        unit: 'ms',
        note: `${mb.toFixed(0)} MB, ${(mb / (exported.result.ms / 1000)).toFixed(0)} MB/s, browser peak ${exported.peakMiB.toFixed(0)} MiB`,
      },
      {
        key: 'snapshot.import',
        name: `importSnapshot replace, ${stored.toLocaleString('en')} trajectories`,
        value: imported.result.ms,
        unit: 'ms',
        note: `${(mb / (imported.result.ms / 1000)).toFixed(1)} MB/s, browser peak ${imported.peakMiB.toFixed(0)} MiB`,
      },
    );
    log(`snapshot: ${JSON.stringify({ exported, imported })}`);
    await page.evaluate(() => window.store.close());
  } finally {
    saveReport('browser-suite', figures);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
