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

/**
 * Two long runs of one task for comparing: A does `steps` steps (reads, edits, tests); B is A with
 * every 100th step's arguments changed, every 250th step's message reworded, and one step in 500 left
 * out and one added. What a compare benchmark or the compare view is given.
 */
export function comparableRuns(idA: string, idB: string, steps: number): [AtifTrajectory, AtifTrajectory] {
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const step = (run: string, i: number, variant: 'a' | 'b'): AtifTrajectory['steps'][number] => {
    const tool = ['read_file', 'edit_file', 'bash', 'grep'][i % 4]!;
    // Steps 50, 150, ... are bash calls: B runs them with another command.
    const changed = variant === 'b' && i % 100 === 50;
    const args =
      tool === 'bash' ? { cmd: changed ? `npm test -- --grep case_${i}` : 'npm test' } : { path: `src/module_${i}.ts` };
    const callId = `${run}_call_${i}`;
    return {
      step_id: 0,
      timestamp: new Date(start + i * 1500).toISOString(),
      source: 'agent',
      message: variant === 'b' && i % 250 === 125 ? `Now step ${i}, differently` : `Step ${i}: ${tool}`,
      model_name: 'claude-sonnet-4',
      tool_calls: [{ tool_call_id: callId, function_name: tool, arguments: args }],
      observation: {
        results: [{ source_call_id: callId, content: i % 97 === 0 ? 'Error: command failed' : `ok ${i}` }],
      },
      metrics: { prompt_tokens: 1000 + i, completion_tokens: 50, cost_usd: 0.002 },
    };
  };
  const build = (id: string, variant: 'a' | 'b'): AtifTrajectory => {
    const list: AtifTrajectory['steps'] = [{ step_id: 0, source: 'user', message: 'Make the test suite pass' }];
    for (let i = 1; i < steps; i++) {
      if (variant === 'b' && i % 500 === 300) continue;
      list.push(step(id, i, variant));
      if (variant === 'b' && i % 500 === 400) {
        list.push({ ...step(id, i, variant), message: `Extra check after ${i}`, tool_calls: [], observation: null });
      }
    }
    list.forEach((s, k) => {
      s.step_id = k + 1;
    });
    return {
      schema_version: 'ATIF-v1.6',
      session_id: id,
      agent: { name: 'claude-code', version: '1.0.0', model_name: 'claude-sonnet-4' },
      steps: list,
    };
  };
  return [build(idA, 'a'), build(idB, 'b')];
}
