/**
 * Documents for bench/team-scale.mjs: deterministic, shaped like real agent runs (4-12 steps, tool calls,
 * observations, metrics, about 6 KB of JSONL each; 2% of steps carry Chinese or Japanese text; 10% of runs
 * the phrase "connection refused"; one run in 1,000 the rare word "zephyrine").
 */

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
export const AGENTS = ['claude-code', 'codex', 'inspect', 'terminus', 'openhands'];
export const MODELS = ['claude-sonnet-4', 'gpt-5', 'gpt-5-mini', 'gemini-2.5-pro', 'qwen3-coder', null];
const words = (n) => Array.from({ length: n }, () => (random() < 0.7 ? pick(COMMON) : pick(SYNTHETIC))).join(' ');

/** The i-th run as a batch line ({id, createdAt, updatedAt, trajectory}), under `id` (default bench-i). */
export function trajectoryLine(i, id = `bench-${i}`) {
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

const ID = '@@bench-id@@';

/**
 * JSONL batches of `size` runs, numbered from 0, made from a pool of `distinct` different runs (the run i is
 * pool entry i % distinct under the id bench-i): making a document costs about as much as the server's
 * check of it, and the bench measures the server, so the pool is made before the clock starts.
 */
export function batchMaker(distinct) {
  const pool = Array.from({ length: distinct }, (_, i) => JSON.stringify(trajectoryLine(i, ID)).split(ID));
  return (from, to) => {
    let body = '';
    for (let i = from; i < to; i++) body += `${pool[i % distinct].join(`bench-${i}`)}\n`;
    return body;
  };
}
