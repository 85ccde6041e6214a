/**
 * Makes the snapshot that bench/browser-import.ts imports (it runs this when the file is missing): BENCH_IMPORT_N
 * scale documents (bench/scale-data.ts) saved by the store in Node, exported to BENCH_SNAPSHOT_FILE. Here and not in
 * the Playwright process because the store's migrations are loaded through Vite (import.meta.glob).
 */
import { writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { openTrajectoryStore } from '../src/node.js';
import { scaleItems } from './scale-data.js';

test('the scale snapshot', async () => {
  const n = Number(process.env.BENCH_IMPORT_N ?? 100_000);
  const file = process.env.BENCH_SNAPSHOT_FILE;
  if (!file) throw new Error('BENCH_SNAPSHOT_FILE names the file to write');
  const store = await openTrajectoryStore();
  const started = performance.now();
  for (let start = 0; start < n; start += 5_000) {
    const items = scaleItems(start, Math.min(5_000, n - start), n);
    await store.insertMany(items as Parameters<typeof store.insertMany>[0]);
    console.log(
      `snapshot: ${start + items.length} of ${n} saved (${Math.round((performance.now() - started) / 1000)} s)`,
    );
  }
  writeFileSync(file, await store.exportSnapshot());
  await store.close();
});
