/**
 * Where a trajectory's ingest CPU goes (issue 14), at a small count, in-process: the Node parts of checking a
 * batch line (src/server/ingest.ts readLine and what it is made of), then `ingestBatch` into a fresh embedded
 * PostgreSQL with the CPU of every PostgreSQL process read from /proc (bench/team-cpu.mjs). Not part of
 * `npm test`; SCALING.md quotes it.
 *
 *   nice -n 10 node bench/team-ingest-cpu.mjs [--count 3000] [--sql 'ALTER TABLE ...']
 *
 * `--sql` runs a statement after the migrations, to measure a variant of the schema or of the settings
 * (SCALING.md lists the ones tried).
 */
import { parseArgs } from 'node:util';
import { importTs } from '../scripts/load-ts.mjs';
import { parentPid, treeCpuSeconds } from './team-cpu.mjs';
import { batchMaker } from './team-data.mjs';

const { values } = parseArgs({ options: { count: { type: 'string', default: '3000' }, sql: { type: 'string' } } });
const COUNT = Number(values.count);
const BATCH = 500;

const { readLine, batchLines, ingestBatch } = await importTs('src/server/ingest.ts');
const { atifFindings } = await importTs('src/schema/atif-findings.ts');
const { jsonForStorage } = await importTs('src/schema/exact-json.ts');
const { atifRecord } = await importTs('src/store/documents.ts');
const { startTestPostgres } = await importTs('test/server/postgres.ts');
const { connectTeamDatabase } = await importTs('src/server/serve.ts');
const { migrateTeamDatabase } = await importTs('src/server/migrations.ts');

const makeBatch = batchMaker(COUNT);
const batches = [];
for (let from = 0; from < COUNT; from += BATCH) batches.push(makeBatch(from, Math.min(COUNT, from + BATCH)));
const lines = batches.flatMap(batchLines);
const documents = lines.map((l) => JSON.parse(l.text).trajectory);

/** Milliseconds of this process's CPU. */
const nodeCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
/** ms of CPU a trajectory for `fn` over every item, the mean of 3 runs after a warm-up one. */
function perTrajectory(items, fn) {
  const all = () => {
    for (const item of items) fn(item);
  };
  all();
  const start = nodeCpu();
  for (let run = 0; run < 3; run++) all();
  return (nodeCpu() - start) / 3 / COUNT;
}

const node = {
  'readLine (all of the check)': perTrajectory(lines, (l) => readLine(l.text, l.line)),
  'JSON.parse of the line': perTrajectory(lines, (l) => JSON.parse(l.text)),
  'exact JSON text (jsonForStorage)': perTrajectory(documents, jsonForStorage),
  'ATIF checks, two tiers (atifFindings)': perTrajectory(documents, atifFindings),
  'summary and search text (atifRecord)': perTrajectory(documents, (d) => atifRecord(d, '', true)),
};
for (const [name, ms] of Object.entries(node)) console.log(`node: ${name.padEnd(40)} ${ms.toFixed(3)} ms`);

const pg = await startTestPostgres({ settings: { shared_buffers: '512MB', max_wal_size: '8GB' } });
try {
  const db = connectTeamDatabase(pg.url, { max: 2 });
  await migrateTeamDatabase(db);
  if (values.sql) await db.unsafe(values.sql);
  const postmaster = parentPid(Number((await db.unsafe('SELECT pg_backend_pid() AS pid'))[0].pid));
  const pgBefore = treeCpuSeconds(postmaster);
  const nodeBefore = nodeCpu();
  for (const batch of batches) await ingestBatch(db, 'bench', batch);
  const postgresMs = ((treeCpuSeconds(postmaster) - pgBefore) * 1000) / COUNT;
  const ingestNodeMs = (nodeCpu() - nodeBefore) / COUNT;
  console.log(`ingestBatch: node ${ingestNodeMs.toFixed(3)} ms, PostgreSQL ${postgresMs.toFixed(3)} ms a trajectory`);
  console.log(`at that cost, 2 free cores ingest ${Math.round(2000 / (ingestNodeMs + postgresMs))}/s`);
  await db.end({ timeout: 5 });
} finally {
  await pg.stop();
}
