/**
 * Where a single save's time goes in the browser (npm run bench:browser:save): headless Chromium on a persistent
 * profile (OPFS on disk), the bench build. One bench ATIF run (~17 KiB, 20 steps) saved one at a time into a
 * database of FILL others, after WARM_UP untimed saves:
 * - from the page (the round trip: structured clone to the worker, the save, the answer back), beside a call that
 *   does almost nothing (`getTrajectory` of a missing id: the message hops alone);
 * - inside a worker that opens the database exactly as the store's worker does (bench/pages/reference-worker.ts),
 *   with the time of its OPFS writes and flushes measured apart, and the JS part of a save (prepareAtif) alone.
 * The split: hops = page - worker; JS = prepare; I/O = writes + flush; SQL = the rest of the worker's time.
 * Saves bench/results/browser-save-profile.json. Asserts nothing about time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PREVIEW_PORT } from '../playwright.config.js';
import { p50, p95, saveReport, type Figure } from './report.js';
import type { BenchPageApi } from './pages/bench-page.js';

declare global {
  interface Window {
    bench: BenchPageApi;
  }
}

const FILL = 500;
const SAVES = Number(process.env.BENCH_SAVES ?? 100);
const WARM_UP = 10;
const DB = 'bench-save-profile';

test('single save profile (browser, OPFS)', async () => {
  test.setTimeout(30 * 60_000);
  const profile = mkdtempSync(join(tmpdir(), 'trajectory-store-save-'));
  const context = await chromium.launchPersistentContext(profile, {
    headless: true,
    ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.log(`pageerror: ${error.message}`));
    await page.goto(`http://localhost:${PREVIEW_PORT}/bench/pages/bench.html`);
    const fromPage = await page.evaluate(
      async ({ DB, FILL, SAVES, WARM_UP }) => {
        const store = await window.bench.openTrajectoryStore({ name: DB, storage: 'opfs' });
        for (let start = 0; start < FILL; start += 250)
          await store.insertMany(Array.from({ length: 250 }, (_, k) => window.bench.benchAtif(start + k)));
        const hops: number[] = [];
        const saves: number[] = [];
        for (let i = -WARM_UP; i < SAVES; i++) {
          let t = performance.now();
          await store.getTrajectory('no-such-id');
          if (i >= 0) hops.push(performance.now() - t);
          const doc = window.bench.benchAtif(i + WARM_UP, 'page-save');
          t = performance.now();
          await store.insertTrajectory(doc);
          if (i >= 0) saves.push(performance.now() - t);
        }
        await store.close();
        return { hops, saves };
      },
      { DB, FILL, SAVES, WARM_UP },
    );
    const inWorker = await page.evaluate(
      async ({ DB, SAVES }) => {
        const { worker, terminate } = window.bench.reference();
        try {
          await worker.open(DB);
          const saves = await worker.saves('atif', SAVES, 'worker-save');
          const prepares = await worker.prepares(SAVES, 'worker-prepare');
          return { saves, prepares };
        } finally {
          await terminate();
        }
      },
      { DB, SAVES },
    );
    const { saves, prepares } = inWorker;
    const writes = saves.io.map((c) => c.writes);
    const writeMs = saves.io.map((c) => c.writeMs);
    const flushMs = saves.io.map((c) => c.flushMs);
    const sqlMs = saves.ms.map((total, i) => total - saves.io[i]!.writeMs - saves.io[i]!.flushMs);
    const figures: Figure[] = [
      { key: 'save.page.p50', name: 'single save ATIF from the page p50', value: p50(fromPage.saves), unit: 'ms' },
      { key: 'save.page.p95', name: 'single save ATIF from the page p95', value: p95(fromPage.saves), unit: 'ms' },
      {
        key: 'save.hop.p50',
        name: 'a call that does nearly nothing, from the page p50',
        value: p50(fromPage.hops),
        unit: 'ms',
      },
      { key: 'save.worker.p50', name: 'single save ATIF in the worker p50', value: p50(saves.ms), unit: 'ms' },
      { key: 'save.worker.p95', name: 'single save ATIF in the worker p95', value: p95(saves.ms), unit: 'ms' },
      {
        key: 'save.hops',
        name: '  page - worker: hops and structured clone (p50s)',
        value: p50(fromPage.saves) - p50(saves.ms),
        unit: 'ms',
      },
      {
        key: 'save.prepare.p50',
        name: '  JS: prepareAtif (checks, JSON, summary, text)',
        value: p50(prepares),
        unit: 'ms',
      },
      {
        key: 'save.sql.p50',
        name: '  SQL (worker - OPFS calls - JS, p50s)',
        value: p50(sqlMs) - p50(prepares),
        unit: 'ms',
      },
      {
        key: 'save.writes.ms.p50',
        name: '  OPFS writes',
        value: p50(writeMs),
        unit: 'ms',
        note: `${p50(writes)} writes`,
      },
      {
        key: 'save.flush.ms.p50',
        name: '  OPFS flush',
        value: p50(flushMs),
        unit: 'ms',
        note: `${p50(saves.io.map((c) => c.flushes))} flushes`,
      },
    ];
    saveReport('browser-save-profile', figures);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
