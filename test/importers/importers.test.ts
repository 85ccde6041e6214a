import { describe, expect, test } from 'vitest';
import { convertAgentLog, detectAgentLog } from '../../src/importers/index.js';
import type { LogSource } from '../../src/importers/types.js';
import { openTrajectoryStore } from '../../src/node.js';
import type { AtifTrajectory } from '../../src/schema/atif.js';
import { atifIssues } from '../../src/schema/atif-findings.js';
import {
  CLAUDE_SESSION,
  claudeCodeLog,
  CODEX_SESSION,
  codexLog,
  INSPECT_EVAL_ID,
  inspectEvalArchive,
  inspectJsonLog,
  inspectSample,
  OTEL_TRACE,
  otelLog,
} from './agent-logs.js';

function convert(source: LogSource) {
  const converted = convertAgentLog(source);
  if (!converted) throw new Error(`no importer detected ${source.name}`);
  return converted;
}

/** Every trajectory is valid ATIF and the real store takes it (nothing rejected) and finds its text. */
async function expectStorable(trajectories: AtifTrajectory[], searchFor: string) {
  for (const t of trajectories) expect(atifIssues(t)).toEqual([]);
  const store = await openTrajectoryStore();
  const result = await store.insertMany(trajectories);
  expect(result.rejected).toEqual([]);
  expect(result.inserted).toBe(trajectories.length);
  const hits = await store.searchTrajectories(searchFor);
  expect(hits.items.length).toBeGreaterThan(0);
  await store.close();
}

/** The text of a log without its last `cut` characters: a log cut off while being written. */
const cutOff = (text: string, cut = 25) => text.trimEnd().slice(0, -cut);

describe('Claude Code session logs', () => {
  const name = `/home/dev/.claude/projects/-home-dev-shop/${CLAUDE_SESSION}.jsonl`;

  test('a session becomes a trajectory: prompt, one agent step per reply, tool result on it, tokens, and its sub-agent', async () => {
    const { format, trajectories, warnings } = convert({ name, content: claudeCodeLog() });
    expect(format).toBe('claude-code');
    expect(warnings).toEqual([]);
    const [main, sub] = trajectories;
    expect(main?.trajectory_id).toBe(CLAUDE_SESSION);
    expect(main?.agent).toEqual({ name: 'claude-code', version: '2.0.14', model_name: 'claude-sonnet-4-5' });
    expect(main?.notes).toBe('Fix the checkout total');
    expect(main?.extra).toMatchObject({
      imported_from: { format: 'claude-code', file: name },
      cwd: '/home/dev/shop',
      subagent_trajectory_ids: [`${CLAUDE_SESSION}/agent-a1b2c3`],
    });
    expect(main?.steps.map((s) => s.source)).toEqual(['user', 'agent']);
    const agent = main?.steps[1];
    expect(agent?.message).toBe('Let me read the cart module.');
    expect(agent?.reasoning_content).toBe('The discount is applied after tax');
    expect(agent?.tool_calls).toEqual([
      { tool_call_id: 'toolu_01', function_name: 'Read', arguments: { file_path: '/home/dev/shop/cart.ts' } },
    ]);
    expect(agent?.observation?.results[0]).toMatchObject({
      source_call_id: 'toolu_01',
      content: 'export const total = (c) => c.sum * 1.2;',
    });
    // The reply's two lines repeat its usage: counted once; prompt tokens include the cache, as ATIF counts them.
    expect(agent?.metrics).toMatchObject({ prompt_tokens: 2112, completion_tokens: 40, cached_tokens: 2000 });
    expect(sub?.trajectory_id).toBe(`${CLAUDE_SESSION}/agent-a1b2c3`);
    expect(sub?.extra).toMatchObject({ agent_id: 'a1b2c3', parent_trajectory_id: CLAUDE_SESSION });
    expect(sub?.steps.map((s) => s.message)).toEqual([
      'Find every caller of total()',
      'checkout.ts calls total() once.',
    ]);
    await expectStorable(trajectories, 'discount');
  });

  test('a log cut off mid-line keeps every complete record and says which line was lost', async () => {
    const { trajectories, warnings } = convert({ name, content: cutOff(claudeCodeLog()) });
    expect(warnings).toEqual([{ path: 'line 8', message: expect.stringContaining('cut off') }]);
    expect(trajectories[0]?.steps).toHaveLength(2);
    expect(trajectories[0]?.extra?.import_warnings).toEqual(warnings);
    await expectStorable(trajectories, 'checkout');
  });

  test('an unknown record type or content block is skipped with a warning', async () => {
    const content = claudeCodeLog({
      extra: [
        { type: 'hologram', sessionId: CLAUDE_SESSION, uuid: 'x1' },
        { type: 'user', sessionId: CLAUDE_SESSION, message: { role: 'user', content: [{ type: 'smell', x: 1 }] } },
      ],
    });
    const { trajectories, warnings } = convert({ name, content });
    expect(warnings.map((w) => w.path)).toEqual(['line 9', 'line 10']);
    expect(warnings[0]?.message).toContain('"hologram"');
    await expectStorable(trajectories, 'discount');
  });
});

describe('Codex CLI rollouts', () => {
  const name = `/home/dev/.codex/sessions/2025/10/02/rollout-2025-10-02T10-00-00-${CODEX_SESSION}.jsonl`;

  test('a rollout becomes a trajectory: model turns as agent steps, call outputs on them, token counts', async () => {
    const { format, trajectories, warnings } = convert({ name, content: codexLog() });
    expect(format).toBe('codex');
    expect(warnings).toEqual([]);
    const [t] = trajectories;
    expect(t?.session_id).toBe(CODEX_SESSION);
    expect(t?.agent).toEqual({ name: 'codex', version: '0.46.0', model_name: 'gpt-5-codex' });
    expect(t?.steps.map((s) => s.source)).toEqual(['user', 'agent', 'agent']);
    const call = t?.steps[1];
    expect(call?.reasoning_content).toBe('**Checking the handler**');
    expect(call?.reasoning_effort).toBe('medium');
    expect(call?.tool_calls?.[0]).toEqual({
      tool_call_id: 'call_A1',
      function_name: 'shell',
      arguments: { command: ['rg', 'healthz'], workdir: '/home/dev/api' },
    });
    expect(call?.observation?.results[0]).toEqual({
      source_call_id: 'call_A1',
      content: 'src/health.rs:12: sleep(Duration::from_secs(30))',
      extra: { exit_code: 0, duration_seconds: 0.1 },
    });
    expect(call?.metrics).toMatchObject({ prompt_tokens: 3000, completion_tokens: 60, cached_tokens: 1000 });
    expect(t?.steps[2]?.message).toBe('The handler sleeps 30 s before answering.');
    expect(t?.steps[2]?.metrics).toMatchObject({ prompt_tokens: 3200, completion_tokens: 30 });
    expect(t?.final_metrics).toMatchObject({ total_prompt_tokens: 6200, total_completion_tokens: 90 });
    expect(t?.extra).toMatchObject({ imported_from: { format: 'codex' }, session: { cwd: '/home/dev/api' } });
    await expectStorable(trajectories, 'healthz');
  });

  test('a rollout cut off mid-line keeps the complete records', async () => {
    const { trajectories, warnings } = convert({ name, content: cutOff(codexLog()) });
    expect(warnings).toEqual([{ path: 'line 10', message: expect.stringContaining('cut off') }]);
    expect(trajectories[0]?.steps).toHaveLength(3);
    await expectStorable(trajectories, 'health');
  });

  test('unknown record and item types are skipped with a warning', async () => {
    const content = codexLog({
      extra: [
        { timestamp: '2025-10-02T10:00:09Z', type: 'telepathy', payload: {} },
        { timestamp: '2025-10-02T10:00:09Z', type: 'response_item', payload: { type: 'mind_meld' } },
      ],
    });
    const { trajectories, warnings } = convert({ name, content });
    expect(warnings.map((w) => w.path)).toEqual(['line 11', 'line 12']);
    await expectStorable(trajectories, 'health');
  });

  test('detected from its first record when the file is not named like a rollout', () => {
    expect(detectAgentLog({ name: 'session.jsonl', content: codexLog() })?.format).toBe('codex');
  });
});

describe('Inspect AI eval logs', () => {
  const expectSamples = (trajectories: AtifTrajectory[]) => {
    expect(trajectories.map((t) => t.trajectory_id)).toEqual([`${INSPECT_EVAL_ID}/1/1`, `${INSPECT_EVAL_ID}/2/1`]);
    const [first, second] = trajectories;
    expect(first?.agent).toEqual({ name: 'inspect-ai', version: '0.3.140', model_name: 'openai/gpt-4o-mini' });
    expect(first?.steps.map((s) => s.source)).toEqual(['system', 'user', 'agent', 'agent']);
    expect(first?.steps[2]?.reasoning_content).toBe('Add the numbers with the tool.');
    expect(first?.steps[2]?.observation?.results).toEqual([{ source_call_id: 'call_1', content: '2' }]);
    expect(first?.steps[2]?.metrics).toMatchObject({ prompt_tokens: 100, completion_tokens: 20, cached_tokens: 40 });
    expect(first?.extra).toMatchObject({ task: 'gsm8k', target: '2', score: 1, scores: { match: { value: 'C' } } });
    expect(second?.extra).toMatchObject({ score: 0, scores: { match: { value: 'I', answer: '5' } } });
    expect(first?.final_metrics).toMatchObject({ total_prompt_tokens: 230, total_completion_tokens: 25 });
  };

  test('an .eval archive gives one trajectory per sample, with its score', async () => {
    const { format, trajectories, warnings } = convert({
      name: 'logs/2025-10-03_gsm8k.eval',
      content: inspectEvalArchive(),
    });
    expect(format).toBe('inspect-ai');
    expect(warnings).toEqual([]);
    expectSamples(trajectories);
    await expectStorable(trajectories, 'calculator');
  });

  test('a .json log gives the same trajectories', async () => {
    const { trajectories, warnings } = convert({ name: 'logs/2025-10-03_gsm8k.json', content: inspectJsonLog() });
    expect(warnings).toEqual([]);
    expectSamples(trajectories);
    await expectStorable(trajectories, 'calculator');
  });

  test('an archive cut off part-way gives the samples written before the break, and says so', async () => {
    const archive = inspectEvalArchive();
    const { trajectories, warnings } = convert({
      name: 'cut.eval',
      content: archive.subarray(0, archive.length - 400),
    });
    expect(warnings).toEqual([{ path: '', message: expect.stringContaining('cut off') }]);
    expect(trajectories.length).toBeGreaterThan(0);
    await expectStorable(trajectories, 'calculator');
  });

  test('a .json log cut off imports nothing and says why, without throwing', () => {
    const { trajectories, warnings } = convert({ name: 'cut.json', content: cutOff(inspectJsonLog(), 300) });
    expect(trajectories).toEqual([]);
    expect(warnings[0]?.message).toContain('cut off');
  });

  test('an unknown message role is skipped with a warning', async () => {
    const { trajectories, warnings } = convert({
      name: 'roles.eval',
      content: inspectEvalArchive([inspectSample(3, { unknownRole: true })]),
    });
    expect(warnings).toEqual([{ path: 'samples/3_epoch_1.json', message: expect.stringContaining('"critic"') }]);
    await expectStorable(trajectories, 'calculator');
  });
});

describe('OpenTelemetry GenAI spans', () => {
  test('a trace becomes a trajectory: instructions, prompt, model calls, the tool result on its call, tokens', async () => {
    const { format, trajectories, warnings } = convert({ name: 'traces.json', content: otelLog() });
    expect(format).toBe('otel-genai');
    expect(warnings).toEqual([]);
    const [t] = trajectories;
    expect(t?.trajectory_id).toBe(OTEL_TRACE);
    expect(t?.session_id).toBe('conv_42');
    expect(t?.agent).toEqual({ name: 'weather', version: '1.4.0', model_name: 'gpt-4o-2024-08-06' });
    expect(t?.steps.map((s) => [s.source, s.message])).toEqual([
      ['system', 'You answer weather questions.'],
      ['user', 'Weather in Paris?'],
      ['agent', ''],
      ['agent', 'Rainy, 18 °C.'],
    ]);
    expect(t?.steps[2]?.tool_calls?.[0]).toMatchObject({ tool_call_id: 'call_w1', arguments: { city: 'Paris' } });
    expect(t?.steps[2]?.observation?.results).toEqual([
      { source_call_id: 'call_w1', content: '{"temp_c": 18, "sky": "rain"}' },
    ]);
    expect(t?.steps[2]?.metrics).toEqual({ prompt_tokens: 120, completion_tokens: 18 });
    expect(t?.final_metrics).toMatchObject({ total_prompt_tokens: 280, total_completion_tokens: 25 });
    await expectStorable(trajectories, 'Paris');
  });

  test('spans written one request a line, the last cut off, keep the complete lines', async () => {
    const request = JSON.parse(otelLog());
    const other = structuredClone(request);
    for (const span of other.resourceSpans[0].scopeSpans[0].spans) span.traceId = 'ffff0000ffff0000ffff0000ffff0000';
    const content = `${JSON.stringify(request)}\n${cutOff(JSON.stringify(other), 40)}`;
    const { trajectories, warnings } = convert({ name: 'spans.jsonl', content });
    expect(warnings).toEqual([{ path: 'line 2', message: expect.stringContaining('cut off') }]);
    expect(trajectories.map((t) => t.trajectory_id)).toEqual([OTEL_TRACE]);
    await expectStorable(trajectories, 'Paris');
  });

  test('an unknown GenAI operation is skipped with a warning', async () => {
    const odd = {
      traceId: OTEL_TRACE,
      spanId: 'z9',
      name: 'dream',
      startTimeUnixNano: '1759579200000000000',
      attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'dream' } }],
    };
    const { trajectories, warnings } = convert({ name: 'traces.json', content: otelLog({ extraSpans: [odd] }) });
    expect(warnings).toEqual([
      { path: 'resourceSpans[0].scopeSpans[0].spans[5]', message: expect.stringContaining('"dream"') },
    ]);
    expect(trajectories[0]?.extra?.import_warnings).toEqual(warnings);
    await expectStorable(trajectories, 'Paris');
  });
});

describe('detection', () => {
  test('each format is told apart from the others and from ATIF', () => {
    const atif = JSON.stringify({ schema_version: 'ATIF-v1.6', session_id: 's', agent: { name: 'a' }, steps: [] });
    expect(detectAgentLog({ name: 'a.jsonl', content: claudeCodeLog() })?.format).toBe('claude-code');
    expect(detectAgentLog({ name: 'rollout-x.jsonl', content: codexLog() })?.format).toBe('codex');
    expect(detectAgentLog({ name: 'x.eval', content: inspectEvalArchive() })?.format).toBe('inspect-ai');
    expect(detectAgentLog({ content: inspectEvalArchive() })?.format).toBe('inspect-ai');
    expect(detectAgentLog({ name: 'x.json', content: inspectJsonLog() })?.format).toBe('inspect-ai');
    expect(detectAgentLog({ name: 'x.json', content: otelLog() })?.format).toBe('otel-genai');
    expect(detectAgentLog({ name: 'x.json', content: atif })).toBeUndefined();
    expect(detectAgentLog({ name: 'x.jsonl', content: `${atif}\n` })).toBeUndefined();
  });
});

describe('a run the log shows failed is stored as failed (issue 13)', () => {
  const statuses = async (trajectories: AtifTrajectory[]) => {
    const store = await openTrajectoryStore();
    await store.insertMany(trajectories);
    return (await store.listTrajectories()).items.map((s) => [s.id, s.status]).sort();
  };

  test('an Inspect AI sample that ended in an error', async () => {
    const failed = { ...inspectSample(2), error: { message: 'the sandbox died', traceback: '' } };
    const { trajectories } = convert({ name: 'errors.json', content: inspectJsonLog([inspectSample(1), failed]) });
    expect(await statuses(trajectories)).toEqual([
      [`${INSPECT_EVAL_ID}/1/1`, 'complete'],
      [`${INSPECT_EVAL_ID}/2/1`, 'failed'],
    ]);
  });

  test('an OpenTelemetry trace whose agent span has an ERROR status; a failed tool call alone does not fail the run', async () => {
    expect(await statuses(convert({ name: 'ok.json', content: otelLog() }).trajectories)).toEqual([
      [OTEL_TRACE, 'complete'],
    ]);
    const request = JSON.parse(otelLog());
    request.resourceSpans[0].scopeSpans[0].spans[0].status = { code: 2, message: 'agent crashed' };
    expect(await statuses(convert({ name: 'failed.json', content: JSON.stringify(request) }).trajectories)).toEqual([
      [OTEL_TRACE, 'failed'],
    ]);
  });
});
