/**
 * Where a save's time goes (npm run bench:profile): one bench ATIF run (~17 KiB, 20 steps) taken through each
 * step of the store's save path in turn, in Node on the real sqlite-wasm build, in memory (no I/O: the browser
 * suite measures the flush and the message hops). CPU time, the median of many runs, so that a loaded machine
 * changes the figures less than wall time would. Also the SQL statements of a save one by one, and what the
 * summary table's triggers cost, measured by running the same insert on a copy of the schema without them.
 */
import { test } from 'vitest';
import { openCore } from '../test/fixtures.js';
import { AtifTrajectorySchema } from '../src/schema/atif.js';
import { atifFindings } from '../src/schema/atif-findings.js';
import { jsonForStorage } from '../src/schema/exact-json.js';
import { Connection } from '../src/store/connection.js';
import { atifRecord } from '../src/store/documents.js';
import { EXISTS_STATEMENT } from '../src/store/identity.js';
import { prepareAtif } from '../src/store/prepare.js';
import { atifSearchText } from '../src/store/search-text.js';
import { SEARCH_STATEMENTS } from '../src/store/search-index.js';
import { SAVE_STATEMENTS, summaryValues } from '../src/store/writes.js';
import { benchAtif } from './data.js';
import { medianCpuMs, saveReport, type Figure } from './report.js';

const RUNS = 200;

test('where a single save spends its time (Node, memory, CPU)', async () => {
  const docs = Array.from({ length: RUNS * 4 }, (_, i) => benchAtif(i, 'profile'));
  let n = 0;
  const next = () => docs[n++ % docs.length]!;
  const figures: Figure[] = [];
  const phase = (key: string, name: string, work: () => unknown) =>
    figures.push({ key: `profile.${key}`, name, value: medianCpuMs(RUNS, work), unit: 'ms' });

  // The JS of a save (prepare.ts), each part alone.
  phase('json', 'exact JSON text (jsonForStorage)', () => jsonForStorage(next()));
  phase('zod', 'structural check (AtifTrajectorySchema)', () => AtifTrajectorySchema.safeParse(next()));
  phase('findings', 'all findings (structure + reference rules)', () => atifFindings(next()));
  phase('summary', 'summary columns + search text (atifRecord)', () => {
    const doc = next();
    return atifRecord(doc as unknown as Record<string, unknown>, '');
  });
  phase('searchText', 'search text alone (atifSearchText)', () => atifSearchText(next()));
  phase('prepare', 'prepareAtif: everything above', () => prepareAtif(next()));

  // The SQL of a save, statement by statement, on a store's database (triggers, FTS and all).
  const { core, db } = await openCore();
  const conn = new Connection(db);
  const records = docs.map((doc) => {
    const prepared = prepareAtif(doc);
    if ('issues' in prepared) throw new Error('a bench document was refused');
    return prepared.record;
  });
  let r = 0;
  const now = new Date().toISOString();
  const sqlPhase = (key: string, name: string, work: (record: (typeof records)[number], seq: number) => unknown) => {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const record = { ...records[r % records.length]!, id: `sql-${key}-${r++}` };
      db.exec('BEGIN');
      const seq = Number(conn.get<{ seq: number }>(SAVE_STATEMENTS.insertSummary, insertValues(record, now))!.seq);
      const start = process.cpuUsage();
      work(record, seq);
      const used = process.cpuUsage(start);
      db.exec('COMMIT');
      times.push((used.user + used.system) / 1000);
    }
    times.sort((a, b) => a - b);
    figures.push({ key: `profile.sql.${key}`, name, value: times[Math.floor(times.length / 2)]!, unit: 'ms' });
  };
  sqlPhase('exists', 'SQL: is the id taken', (record) => conn.value(EXISTS_STATEMENT, [record.id]));
  sqlPhase('summary', 'SQL: insert summary row (+ stats, changes triggers)', (record) =>
    conn.get(SAVE_STATEMENTS.insertSummary, insertValues({ ...record, id: `${record.id}b` }, now)),
  );
  sqlPhase('document', 'SQL: insert document', (record, seq) =>
    conn.run(SAVE_STATEMENTS.insertDocument, [seq, record.json]),
  );
  sqlPhase('fts', 'SQL: insert search text (FTS5)', (record, seq) =>
    conn.run(SEARCH_STATEMENTS.insertBody, [seq, record.searchText.body]),
  );
  phase('sql.commit', 'SQL: BEGIN + COMMIT (memory)', () => {
    db.exec('BEGIN IMMEDIATE');
    db.exec('COMMIT');
  });
  phase('save', 'insertTrajectory: the whole save', () => core.insertTrajectory(next()));

  // The triggers on the summary table: the same insert with and without them.
  db.exec('BEGIN');
  const triggers = conn.all<{ name: string; sql: string }>(
    "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'trajectories'",
  );
  for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);
  db.exec('COMMIT');
  sqlPhase('summaryNoTriggers', 'SQL: insert summary row, no triggers', (record) =>
    conn.get(SAVE_STATEMENTS.insertSummary, insertValues({ ...record, id: `${record.id}b` }, now)),
  );
  core.close();
  saveReport('save-profile', figures);
});

function insertValues(record: Parameters<typeof summaryValues>[0], now: string) {
  return [...summaryValues(record), record.id, now, now, now];
}
