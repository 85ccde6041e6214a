/**
 * Where a replace-import's time goes (npm run bench:import-profile): the snapshot of bench:browser:import
 * (BENCH_IMPORT_N scale documents, default 10,000; bench:browser:import makes the file) imported in Node, in memory,
 * on the real sqlite-wasm build: the check alone (the file read, every row checked and made a record, nothing
 * written), then the writes of the same records step by step, then the whole importSnapshot twice. CPU time, one
 * run each (the first pass of anything includes V8's warm-up). Asserts nothing about time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { Connection } from '../src/store/connection.js';
import { openMemoryStore } from '../src/store/memory.js';
import { MIGRATIONS } from '../src/store/migration-files.js';
import { insertSearchTexts } from '../src/store/search-index.js';
import { SnapshotFile } from '../src/store/snapshot.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { sqliteJson } from '../src/store/sqlite-json.js';
import {
  deleteAllRecords,
  type NewRecord,
  SAVE_STATEMENTS,
  summaryValues,
  withoutSummaryIndexes,
} from '../src/store/writes.js';
import { openCore } from '../test/fixtures.js';
import { type Figure, saveReport } from './report.js';

const N = Number(process.env.BENCH_IMPORT_N ?? 10_000);
const BATCH = 500;

function cpuMs(work: () => unknown): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

test('where a replace-import spends its time (Node, memory, CPU)', async () => {
  const file = join(tmpdir(), `trajectory-store-bench-import-${N}-v1.sqlite`);
  if (!existsSync(file))
    throw new Error(`${file} is missing: BENCH_IMPORT_N=${N} npm run bench:browser:import makes it`);
  const bytes = new Uint8Array(readFileSync(file));
  const sqlite3 = await loadSqlite3();
  const figures: Figure[] = [];
  const phase = (key: string, name: string, work: () => unknown) =>
    figures.push({ key: `import-profile.${key}`, name, value: cpuMs(work), unit: 'ms' });

  const records: NewRecord[] = [];
  phase('check', 'open + read + check every row + records, nothing written', () => {
    const snapshot = SnapshotFile.open(sqlite3, bytes, MIGRATIONS);
    try {
      snapshot.readRecords({ write: (batch) => records.push(...batch) });
    } finally {
      snapshot.close();
    }
  });

  // The writes of insertNewRecords, one statement kind at a time over every batch.
  const { core, db } = await openCore();
  const conn = new Connection(db);
  const batches = Array.from({ length: Math.ceil(records.length / BATCH) }, (_, i) =>
    records.slice(i * BATCH, (i + 1) * BATCH),
  );
  conn.transaction(() => {
    deleteAllRecords(conn);
    withoutSummaryIndexes(conn, () => {
      phase('summaries', 'write: summary rows (json_each; rollup, change log triggers)', () =>
        batches.forEach((batch, b) => {
          const rows = batch.map(({ record, ...times }) => [
            ...summaryValues(record),
            record.id,
            times.createdAt,
            times.updatedAt,
            times.updatedAt,
          ]);
          conn.run(SAVE_STATEMENTS.insertSummaries, [b * BATCH + 1, sqliteJson(rows)]);
        }),
      );
      phase('documents', 'write: documents (bound one by one)', () => {
        records.forEach(({ record }, i) => {
          conn.run(SAVE_STATEMENTS.insertDocument, [i + 1, record.json]);
        });
      });
      phase('search', 'write: search text (FTS5)', () => {
        batches.forEach((batch, b) => {
          insertSearchTexts(
            conn,
            b * BATCH + 1,
            batch.map(({ record }) => record.searchText),
          );
        });
      });
    });
  });
  core.close();

  const store = await openMemoryStore();
  phase('whole.empty', 'importSnapshot replace, into an empty store', () =>
    store.importSnapshot(bytes, { mode: 'replace' }),
  );
  phase('whole.over', 'importSnapshot replace, over the same', () => store.importSnapshot(bytes, { mode: 'replace' }));
  store.close();
  figures.unshift({ key: 'import-profile.n', name: 'trajectories', value: records.length, unit: '' });
  saveReport('import-profile', figures);
});
