/**
 * The store in Node, in memory (part of npm run bench): bulk saves of the realistic bench documents, then
 * paging, search, stats, export and snapshots at 5,000 (quick) or 100,000 (full) small trajectories.
 * In-memory figures show the store's own cost; OPFS adds I/O (see the browser suite).
 */
import { test } from 'vitest';
import { atifRun, openCore, testgenSession } from '../test/fixtures.js';
import { benchAtif, benchTestgen } from './data.js';
import { benchMode, medianMs, p50, saveReport, timesMs, type Figure } from './report.js';

const TOTAL = benchMode() === 'full' ? 100_000 : 5_000;
const BATCH = Math.min(10_000, TOTAL);
const REALISTIC = benchMode() === 'full' ? 10_000 : 2_000;

test(`store in Node (memory), ${TOTAL} trajectories`, async () => {
  const figures: Figure[] = [];
  {
    // The realistic documents of the browser suite: the store's CPU cost of a bulk save, without OPFS.
    const { core } = await openCore();
    const items = Array.from({ length: REALISTIC }, (_, i) => benchAtif(i));
    const t = performance.now();
    core.insertMany(items);
    const ms = performance.now() - t;
    const bytes = items.reduce((sum, item) => sum + JSON.stringify(item).length, 0);
    figures.push({
      key: 'node.bulk.realistic',
      name: `insertMany, ${REALISTIC} bench ATIF runs (~17 KiB, 20 steps)`,
      value: REALISTIC / (ms / 1000),
      unit: 'traj/s',
      note: `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s, in memory`,
    });
    let n = 0;
    const atif = timesMs(50, () => core.insertTrajectory(benchAtif(n++, 'node-single')));
    figures.push({
      key: 'node.single.atif',
      name: 'insertTrajectory, one bench ATIF run',
      value: p50(atif),
      unit: 'ms',
    });
    const testgen = timesMs(50, () => core.insertTestGenTrajectory(benchTestgen(n++, 'node-single-tg')));
    figures.push({ key: 'node.single.testgen', name: 'insertTestGenTrajectory, one', value: p50(testgen), unit: 'ms' });
    core.close();
  }
  const { core } = await openCore();
  const words = ['parser', 'timeout', 'deploy', 'refactor', 'migration', 'flaky', 'retry', 'cache', 'index', 'schema'];
  let saveMs = 0;
  for (let start = 0; start < TOTAL; start += BATCH) {
    const items = Array.from({ length: BATCH }, (_, k) => {
      const i = start + k;
      return i % 10 === 0
        ? { testgen: testgenSession(`tg-${i}`, { comprehensivenessScore: 1 + (i % 10) }) }
        : atifRun(`run-${i}`, {
            steps: 4,
            agent: ['claude-code', 'codex', 'aider'][i % 3],
            model: i % 2 ? 'gpt-5' : 'claude-sonnet-4',
            text: `${words[i % 10]} ${words[(i * 7) % 10]} task number ${i}`,
            start: new Date(Date.UTC(2025, 0, 1) + (i % 90) * 86_400_000).toISOString(),
          });
    });
    const t = performance.now();
    core.insertMany(items);
    saveMs += performance.now() - t;
  }
  figures.push({
    name: `insertMany (4-step ATIF, ${TOTAL} in batches of 10k)`,
    value: TOTAL / (saveMs / 1000),
    unit: 'trajectories/s',
  });

  const single = medianMs(50, () => core.insertTrajectory(atifRun(`single-${Math.random()}`)));
  figures.push({ name: 'insertTrajectory, one', value: single, unit: 'ms' });

  figures.push({
    name: 'list first page (50, newest)',
    value: medianMs(20, () => core.listTrajectories()),
    unit: 'ms',
  });
  let cursor = core.listTrajectories({ limit: 50 }).nextCursor;
  for (let i = 0; i < 100; i++) cursor = core.listTrajectories({ limit: 50, cursor }).nextCursor;
  figures.push({
    name: 'list page 101 (keyset)',
    value: medianMs(20, () => core.listTrajectories({ limit: 50, cursor })),
    unit: 'ms',
  });
  for (const orderBy of ['totalCostUsd', 'stepCount', 'comprehensivenessScore'] as const) {
    figures.push({
      name: `list first page by ${orderBy}`,
      value: medianMs(5, () => core.listTrajectories({ orderBy })),
      unit: 'ms',
    });
  }
  figures.push({
    name: 'list filtered (agent+model)',
    value: medianMs(20, () => core.listTrajectories({ agentName: 'codex', modelName: 'gpt-5' })),
    unit: 'ms',
  });

  figures.push({
    name: 'search one common word',
    value: medianMs(10, () => core.searchTrajectories('timeout')),
    unit: 'ms',
  });
  figures.push({
    name: 'search two words',
    value: medianMs(10, () => core.searchTrajectories('parser retry')),
    unit: 'ms',
  });
  figures.push({
    name: 'search rare word',
    value: medianMs(10, () => core.searchTrajectories('"number 4242"')),
    unit: 'ms',
  });
  figures.push({ name: 'search prefix', value: medianMs(10, () => core.searchTrajectories('refac*')), unit: 'ms' });
  figures.push({ name: 'getStats (all)', value: medianMs(5, () => core.getStats()), unit: 'ms' });

  let jsonl = '';
  figures.push({
    name: 'export jsonl (all)',
    value: medianMs(1, () => (jsonl = core.exportTrajectories({ format: 'jsonl' }))),
    unit: 'ms',
    note: `${(jsonl.length / 1e6).toFixed(0)} MB`,
  });
  let bytes: Uint8Array = new Uint8Array();
  figures.push({
    name: 'exportSnapshot',
    value: medianMs(1, () => (bytes = core.exportSnapshot())),
    unit: 'ms',
    note: `${(bytes.length / 1e6).toFixed(0)} MB`,
  });
  const { core: target } = await openCore();
  figures.push({
    name: 'importSnapshot replace (into empty)',
    value: medianMs(1, () => target.importSnapshot(bytes, { mode: 'replace' })),
    unit: 'ms',
  });
  figures.push({
    name: 'deleteTrajectory, one',
    value: medianMs(20, () => core.deleteTrajectory(`run-${Math.floor(Math.random() * TOTAL)}`)),
    unit: 'ms',
  });
  saveReport('store-node', figures);
});
