/**
 * Documents the tests save: pure data, no Node, so that the browser tests
 * build the same ones in a page (e2e/support/documents.ts) and in Node.
 */
import type { AtifTrajectory } from '../src/schema/atif.js';
import type { TestGenData } from '../src/schema/testgen.js';

/** A realistic ATIF run: user prompt, agent steps with tool calls and observations, metrics. */
export function atifRun(
  id: string,
  options: { steps?: number; version?: string; agent?: string; model?: string; text?: string; start?: string } = {},
): AtifTrajectory {
  const {
    steps: count = 4,
    version = 'ATIF-v1.6',
    agent = 'claude-code',
    model = 'claude-sonnet-4',
    text = 'Fix the failing test',
  } = options;
  const start = Date.parse(options.start ?? '2025-11-12T22:22:17.000Z');
  const steps: AtifTrajectory['steps'] = [
    { step_id: 1, timestamp: new Date(start).toISOString(), source: 'user', message: text },
  ];
  for (let i = 2; i <= count; i++) {
    const callId = `call_${i}`;
    steps.push({
      step_id: i,
      timestamp: new Date(start + i * 1000).toISOString(),
      source: 'agent',
      message: `Step ${i}: reading the file`,
      model_name: model,
      reasoning_content: `I should inspect module_${i}`,
      tool_calls: [{ tool_call_id: callId, function_name: 'read_file', arguments: { path: `src/module_${i}.ts` } }],
      observation: { results: [{ source_call_id: callId, content: `export const value${i} = ${i};` }] },
      metrics: { prompt_tokens: 100 * i, completion_tokens: 10 * i, cached_tokens: 0, cost_usd: 0.001 * i },
    });
  }
  return {
    schema_version: version,
    session_id: id,
    agent: { name: agent, version: '1.0.0', model_name: model },
    steps,
  };
}

/** A test-generation session with the seed's fields. */
export function testgenSession(sessionId: string, overrides: Partial<TestGenData> = {}): TestGenData {
  return {
    sessionId,
    taskId: 'regex-log',
    taskDescription: 'Write a regex that matches dates in log lines',
    totalTests: 3,
    totalRounds: 4,
    categoryRounds: { anti_cheat: 1, existence: 1, correctness: 2 },
    comprehensivenessScore: 8,
    totalTokensUsed: 12_345,
    durationMs: 45_000,
    tests: [
      {
        id: 't1',
        category: 'existence',
        input: 'grep -E pattern log.txt',
        expectedOutput: '2025-01-01',
        reasoning: 'the file must exist',
        confidence: 0.9,
      },
      {
        id: 't2',
        category: 'correctness',
        input: 'echo 2025-13-01',
        expectedOutput: null,
        reasoning: 'month 13 is invalid',
        confidence: 0.8,
      },
      {
        id: 't3',
        category: 'anti_cheat',
        input: 'cat solution.sh',
        expectedOutput: 'no hard-coded dates',
        reasoning: 'no cheating',
        confidence: 0.7,
      },
    ],
    reflections: [{ category: 'correctness', reflectionText: 'Boundary months are missing', action: 'refining' }],
    environment: {
      platform: 'linux',
      prohibitedTools: ['python'],
      languages: ['bash'],
      fileCount: 2,
      filePreviews: [{ path: 'log.txt', preview: '...' }],
    },
    uncertainties: ['Whether leap years matter'],
    modelName: 'claude-sonnet-4',
    ...overrides,
  };
}
