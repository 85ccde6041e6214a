/**
 * The benchmark's documents, deterministic and pure (no Node, no DOM), so the
 * page, the reference worker and the native reference build the same ones:
 * - an ATIF run as coding agents write them: about 16 KB of JSON, 20 steps,
 *   about 22 tool calls (a few steps call two tools), tool output of a few
 *   hundred bytes, reasoning, metrics on every agent step;
 * - a testgen session of about 30 tests over the five categories in use.
 */
import type { AtifTrajectory } from '../src/schema/atif.js';
import type { TestGenData } from '../src/schema/testgen.js';

const WORDS = (
  'error fix test build file function module config update check value run add remove change handle return parser ' +
  'timeout deploy refactor migration flaky retry cache index schema query socket worker session token auth login ' +
  'upload payment invoice search filter export import logger metrics queue thread memory leak crash regression ' +
  'latency bundle compile lint format docker database column table router endpoint handler middleware webhook cron'
).split(' ');
const AGENTS = ['claude-code', 'codex', 'aider'];
const MODELS = ['claude-sonnet-4', 'gpt-5'];
const TOOLS = ['read_file', 'edit_file', 'run_command', 'search_code', 'list_dir'];
const CATEGORIES = ['anti_cheat', 'existence', 'correctness', 'boundary', 'integration'];
const DAY = 86_400_000;
const EPOCH = Date.UTC(2025, 0, 1);

/** A small deterministic generator (mulberry32) seeded by the document's number. */
function generator(seed: number): () => number {
  let a = (seed * 2_654_435_761) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function wordsFrom(rand: () => number) {
  // Skewed: the first words are in nearly every document, the last in few.
  return (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(WORDS.length * rand() ** 2)]!).join(' ');
}

/** ATIF run number `i` (id `bench-<i>`, or `<prefix>-<i>`): about 16 KB, 20 steps, about 22 tool calls. */
export function benchAtif(i: number, prefix = 'bench'): AtifTrajectory {
  const rand = generator(i + 1);
  const words = wordsFrom(rand);
  const model = MODELS[i % 2]!;
  const start = EPOCH + (i % 180) * DAY + Math.floor(rand() * DAY);
  const steps: AtifTrajectory['steps'] = [
    {
      step_id: 1,
      timestamp: new Date(start).toISOString(),
      source: 'user',
      message: `${words(40)} ticket${i.toString(36)}`,
    },
  ];
  for (let s = 2; s <= 20; s++) {
    const calls = s % 6 === 0 ? 2 : 1;
    const toolCalls = Array.from({ length: calls }, (_, k) => ({
      tool_call_id: `call_${s}_${k}`,
      function_name: TOOLS[Math.floor(rand() * TOOLS.length)]!,
      arguments: { path: `src/${words(1)}/${words(1)}.ts`, query: words(3) },
    }));
    steps.push({
      step_id: s,
      timestamp: new Date(start + s * (2_000 + Math.floor(rand() * 20_000))).toISOString(),
      source: 'agent',
      message: words(14),
      model_name: model,
      reasoning_content: words(18),
      ...(calls > 0
        ? {
            tool_calls: toolCalls,
            observation: {
              results: toolCalls.map((call) => ({ source_call_id: call.tool_call_id, content: words(28) })),
            },
          }
        : {}),
      metrics: {
        prompt_tokens: 2_000 + Math.floor(rand() * 30_000),
        completion_tokens: 50 + Math.floor(rand() * 1_500),
        cached_tokens: Math.floor(rand() * 1_000),
        cost_usd: Math.round(rand() * 5_000) / 1_000_000,
      },
    });
  }
  return {
    schema_version: 'ATIF-v1.6',
    session_id: `${prefix}-${i}`,
    agent: { name: AGENTS[i % 3]!, version: '1.0.0', model_name: model },
    steps,
  };
}

/** Testgen session number `i` (session `bench-tg-<i>`, or `<prefix>-<i>`): 30 tests, a reflection per category. */
export function benchTestgen(i: number, prefix = 'bench-tg'): TestGenData {
  const rand = generator(1_000_000 + i);
  const words = wordsFrom(rand);
  const start = EPOCH + (i % 180) * DAY + Math.floor(rand() * DAY);
  return {
    sessionId: `${prefix}-${i}`,
    taskId: `task-${i % 20}`,
    taskDescription: `Write tests for the ${words(12)}`,
    totalTests: 30,
    totalRounds: 8,
    categoryRounds: Object.fromEntries(CATEGORIES.map((c, k) => [c, 1 + (k % 3)])),
    comprehensivenessScore: 1 + Math.round(rand() * 90) / 10,
    totalTokensUsed: 20_000 + Math.floor(rand() * 80_000),
    durationMs: 60_000 + Math.floor(rand() * 300_000),
    tests: Array.from({ length: 30 }, (_, k) => ({
      id: `t${k + 1}`,
      category: CATEGORIES[k % 5]!,
      input: `run ${words(8)}`,
      expectedOutput: k % 7 === 0 ? null : words(6),
      reasoning: words(20),
      confidence: 0.5 + rand() / 2,
    })),
    reflections: CATEGORIES.map((category) => ({ category, reflectionText: words(25), action: 'refining' as const })),
    environment: { platform: 'linux', prohibitedTools: ['python'], languages: ['bash'], fileCount: 3 },
    uncertainties: [words(10), words(10)],
    modelName: MODELS[i % 2]!,
    status: 'complete',
    startedAt: new Date(start).toISOString(),
    completedAt: new Date(start + 120_000).toISOString(),
  } as TestGenData;
}

/** The search text a competent peer would index for a document: every message, reasoning, call and output. */
export function benchSearchText(doc: AtifTrajectory): string {
  const parts: string[] = [];
  for (const step of doc.steps) {
    if (typeof step.message === 'string') parts.push(step.message);
    if (typeof step.reasoning_content === 'string') parts.push(step.reasoning_content);
    for (const call of step.tool_calls ?? []) parts.push(call.function_name, JSON.stringify(call.arguments));
    for (const result of step.observation?.results ?? [])
      if (typeof result.content === 'string') parts.push(result.content);
  }
  return parts.join('\n');
}
