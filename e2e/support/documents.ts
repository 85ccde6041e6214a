/**
 * Documents the browser tests save, built the same way in the page (bundled
 * into the test page) and in Node (to compare with what comes back).
 */
import type { AtifTrajectory, TestGenData } from '../../src/public-types.js';

/** An ATIF run whose text holds `word`, so that a search can find exactly it. */
export function atifDocument(id: string, word = `word${id.replace(/[^A-Za-z0-9]/g, '')}`, steps = 3): AtifTrajectory {
  const start = Date.UTC(2025, 10, 12, 22, 22, 17);
  return {
    schema_version: 'ATIF-v1.6',
    session_id: id,
    agent: { name: 'claude-code', version: '1.0.0', model_name: 'claude-sonnet-4' },
    steps: [
      { step_id: 1, timestamp: new Date(start).toISOString(), source: 'user', message: `Fix the ${word} bug, café naïve 日本語のテキスト` },
      ...Array.from({ length: steps - 1 }, (_, k) => {
        const i = k + 2;
        return {
          step_id: i,
          timestamp: new Date(start + i * 1000).toISOString(),
          source: 'agent' as const,
          message: `Step ${i}: reading module ${i}`,
          model_name: 'claude-sonnet-4',
          tool_calls: [{ tool_call_id: `call_${i}`, function_name: 'read_file', arguments: { path: `src/module_${i}.ts` } }],
          observation: { results: [{ source_call_id: `call_${i}`, content: `export const value${i} = ${i};` }] },
          metrics: { prompt_tokens: 100 * i, completion_tokens: 10 * i, cost_usd: 0.001 * i },
        };
      }),
    ],
  };
}

/** A test-generation session with the seed's fields. */
export function testgenDocument(sessionId: string): TestGenData {
  return {
    sessionId,
    taskId: 'regex-log',
    taskDescription: 'Write a regex that matches dates in log lines',
    totalTests: 2,
    totalRounds: 3,
    categoryRounds: { existence: 1, correctness: 2 },
    comprehensivenessScore: 8,
    totalTokensUsed: 12_345,
    durationMs: 45_000,
    tests: [
      { id: 't1', category: 'existence', input: 'grep -E pattern log.txt', expectedOutput: '2025-01-01', reasoning: 'the file must exist', confidence: 0.9 },
      { id: 't2', category: 'correctness', input: 'echo 2025-13-01', expectedOutput: null, reasoning: 'month 13 is invalid', confidence: 0.8 },
    ],
    reflections: [{ category: 'correctness', reflectionText: 'Boundary months are missing', action: 'refining' }],
    environment: { platform: 'linux', prohibitedTools: ['python'], languages: ['bash'], fileCount: 1 },
    uncertainties: ['Whether leap years matter'],
    modelName: 'claude-sonnet-4',
  };
}

/** `count` ATIF runs with ids `${prefix}-0` ... */
export function atifBatch(prefix: string, count: number, steps = 3): AtifTrajectory[] {
  return Array.from({ length: count }, (_, i) => atifDocument(`${prefix}-${i}`, undefined, steps));
}
