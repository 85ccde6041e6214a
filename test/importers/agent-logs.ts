/**
 * Agent logs as their tools write them, made up here from each format's public
 * description (never copied from a real log): the importer tests and the CLI
 * tests write these to files.
 */
import { zipSync, strToU8 } from 'fflate';

const jsonl = (records: readonly unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

export const CLAUDE_SESSION = '4f35e220-c435-4cf7-b9b9-f40426042847';

/** A Claude Code session: a prompt, a streamed reply (thinking, text, tool use) in two lines, its result, a sub-agent. */
export function claudeCodeLog(options: { extra?: unknown[] } = {}): string {
  const base = {
    sessionId: CLAUDE_SESSION,
    cwd: '/home/dev/shop',
    version: '2.0.14',
    gitBranch: 'main',
    userType: 'external',
  };
  const usage = {
    input_tokens: 12,
    cache_creation_input_tokens: 100,
    cache_read_input_tokens: 2000,
    output_tokens: 40,
  };
  return jsonl([
    { type: 'summary', summary: 'Fix the checkout total', leafUuid: 'u4' },
    { type: 'file-history-snapshot', messageId: 'u1', snapshot: {}, isSnapshotUpdate: false },
    {
      ...base,
      type: 'user',
      uuid: 'u1',
      parentUuid: null,
      isSidechain: false,
      timestamp: '2025-10-01T09:00:00.000Z',
      message: { role: 'user', content: 'The checkout total ignores the discount; fix it' },
    },
    {
      ...base,
      type: 'assistant',
      uuid: 'u2',
      parentUuid: 'u1',
      isSidechain: false,
      timestamp: '2025-10-01T09:00:03.000Z',
      requestId: 'req_1',
      message: {
        id: 'msg_01',
        model: 'claude-sonnet-4-5',
        role: 'assistant',
        content: [{ type: 'thinking', thinking: 'The discount is applied after tax', signature: 'sig' }],
        usage,
      },
    },
    {
      ...base,
      type: 'assistant',
      uuid: 'u3',
      parentUuid: 'u2',
      isSidechain: false,
      timestamp: '2025-10-01T09:00:04.000Z',
      requestId: 'req_1',
      message: {
        id: 'msg_01',
        model: 'claude-sonnet-4-5',
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me read the cart module.' },
          { type: 'tool_use', id: 'toolu_01', name: 'Read', input: { file_path: '/home/dev/shop/cart.ts' } },
        ],
        usage,
      },
    },
    {
      ...base,
      type: 'user',
      uuid: 'u4',
      parentUuid: 'u3',
      isSidechain: false,
      timestamp: '2025-10-01T09:00:05.000Z',
      message: {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_01', content: 'export const total = (c) => c.sum * 1.2;' },
        ],
      },
      toolUseResult: { type: 'text', file: { filePath: '/home/dev/shop/cart.ts', numLines: 1 } },
    },
    {
      ...base,
      type: 'user',
      uuid: 's1',
      parentUuid: null,
      isSidechain: true,
      agentId: 'a1b2c3',
      timestamp: '2025-10-01T09:00:06.000Z',
      message: { role: 'user', content: 'Find every caller of total()' },
    },
    {
      ...base,
      type: 'assistant',
      uuid: 's2',
      parentUuid: 's1',
      isSidechain: true,
      agentId: 'a1b2c3',
      timestamp: '2025-10-01T09:00:07.000Z',
      message: {
        id: 'msg_02',
        model: 'claude-haiku-4-5',
        role: 'assistant',
        content: [{ type: 'text', text: 'checkout.ts calls total() once.' }],
        usage: { input_tokens: 50, output_tokens: 9 },
      },
    },
    ...(options.extra ?? []),
  ]);
}

export const CODEX_SESSION = '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

/** A Codex rollout: meta, turn context, a prompt, reasoning, a shell call and its output, an answer, token counts. */
export function codexLog(options: { extra?: unknown[] } = {}): string {
  const t = (s: number) => `2025-10-02T10:00:${String(s).padStart(2, '0')}.000Z`;
  return jsonl([
    {
      timestamp: t(0),
      type: 'session_meta',
      payload: {
        id: CODEX_SESSION,
        timestamp: t(0),
        cwd: '/home/dev/api',
        originator: 'codex_cli_rs',
        cli_version: '0.46.0',
        instructions: null,
        git: { branch: 'main' },
      },
    },
    {
      timestamp: t(0),
      type: 'turn_context',
      payload: { cwd: '/home/dev/api', model: 'gpt-5-codex', effort: 'medium', approval_policy: 'on-request' },
    },
    {
      timestamp: t(1),
      type: 'response_item',
      payload: {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'Why does the health check time out?' }],
      },
    },
    {
      timestamp: t(1),
      type: 'event_msg',
      payload: { type: 'user_message', message: 'Why does the health check time out?', kind: 'plain' },
    },
    {
      timestamp: t(2),
      type: 'response_item',
      payload: {
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: '**Checking the handler**' }],
        encrypted_content: 'gAAAA',
      },
    },
    {
      timestamp: t(3),
      type: 'response_item',
      payload: {
        type: 'function_call',
        name: 'shell',
        arguments: '{"command":["rg","healthz"],"workdir":"/home/dev/api"}',
        call_id: 'call_A1',
      },
    },
    {
      timestamp: t(3),
      type: 'event_msg',
      payload: {
        type: 'token_count',
        info: {
          total_token_usage: {
            input_tokens: 3000,
            cached_input_tokens: 1000,
            output_tokens: 60,
            reasoning_output_tokens: 20,
            total_tokens: 3060,
          },
          last_token_usage: {
            input_tokens: 3000,
            cached_input_tokens: 1000,
            output_tokens: 60,
            reasoning_output_tokens: 20,
            total_tokens: 3060,
          },
        },
      },
    },
    {
      timestamp: t(4),
      type: 'response_item',
      payload: {
        type: 'function_call_output',
        call_id: 'call_A1',
        output:
          '{"output":"src/health.rs:12: sleep(Duration::from_secs(30))","metadata":{"exit_code":0,"duration_seconds":0.1}}',
      },
    },
    {
      timestamp: t(5),
      type: 'response_item',
      payload: {
        type: 'message',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'The handler sleeps 30 s before answering.' }],
      },
    },
    {
      timestamp: t(5),
      type: 'event_msg',
      payload: {
        type: 'token_count',
        info: {
          total_token_usage: { input_tokens: 6200, cached_input_tokens: 3000, output_tokens: 90, total_tokens: 6290 },
          last_token_usage: { input_tokens: 3200, cached_input_tokens: 2000, output_tokens: 30, total_tokens: 3230 },
        },
      },
    },
    ...(options.extra ?? []),
  ]);
}

export const INSPECT_EVAL_ID = 'hW5bQ8vUj2kQm9JRtN4eXa';

function inspectHeader() {
  return {
    version: 2,
    status: 'success',
    eval: {
      eval_id: INSPECT_EVAL_ID,
      run_id: 'Zr7pL2xKcV9dF3gH1jB6sA',
      created: '2025-10-03T08:00:00+00:00',
      task: 'gsm8k',
      task_id: 'Jk3nM5pQ7rS9tU1vW2xY4z',
      model: 'openai/gpt-4o-mini',
      dataset: { name: 'gsm8k', samples: 2 },
      packages: { inspect_ai: '0.3.140' },
    },
    plan: { name: 'plan', steps: [{ solver: 'generate', params: {} }] },
    results: { total_samples: 2, completed_samples: 2, scores: [] },
    stats: { started_at: '2025-10-03T08:00:00+00:00', completed_at: '2025-10-03T08:01:00+00:00', model_usage: {} },
  };
}

export function inspectSample(id: number, options: { answer?: string; unknownRole?: boolean } = {}) {
  return {
    id,
    epoch: 1,
    input: `What is ${id} + ${id}?`,
    target: String(id * 2),
    messages: [
      { id: `m${id}a`, role: 'system', content: 'Use the calculator tool for arithmetic.' },
      { id: `m${id}b`, role: 'user', content: `What is ${id} + ${id}?`, source: 'input' },
      {
        id: `m${id}c`,
        role: 'assistant',
        content: [
          { type: 'reasoning', reasoning: 'Add the numbers with the tool.' },
          { type: 'text', text: '' },
        ],
        model: 'gpt-4o-mini',
        tool_calls: [
          { id: `call_${id}`, function: 'calculator', arguments: { expression: `${id}+${id}` }, type: 'function' },
        ],
      },
      { id: `m${id}d`, role: 'tool', content: String(id * 2), tool_call_id: `call_${id}`, function: 'calculator' },
      { id: `m${id}e`, role: 'assistant', content: `ANSWER: ${options.answer ?? id * 2}`, model: 'gpt-4o-mini' },
      ...(options.unknownRole ? [{ id: `m${id}f`, role: 'critic', content: 'Looks right.' }] : []),
    ],
    output: { model: 'gpt-4o-mini', choices: [], usage: { input_tokens: 230, output_tokens: 25, total_tokens: 255 } },
    scores: {
      match: {
        value: (options.answer ?? String(id * 2)) === String(id * 2) ? 'C' : 'I',
        answer: options.answer ?? String(id * 2),
        explanation: 'exact match',
      },
    },
    metadata: { difficulty: 'easy' },
    events: [
      { event: 'sample_init', timestamp: '2025-10-03T08:00:01+00:00' },
      {
        event: 'model',
        model: 'gpt-4o-mini',
        output: { usage: { input_tokens: 100, output_tokens: 20, input_tokens_cache_read: 40 } },
      },
      { event: 'tool', function: 'calculator' },
      { event: 'model', model: 'gpt-4o-mini', output: { usage: { input_tokens: 130, output_tokens: 5 } } },
    ],
    model_usage: {
      'openai/gpt-4o-mini': { input_tokens: 230, output_tokens: 25, total_tokens: 255, input_tokens_cache_read: 40 },
    },
    total_time: 3.5,
  };
}

/** An Inspect `.json` log with two samples. */
export function inspectJsonLog(samples = [inspectSample(1), inspectSample(2, { answer: '5' })]): string {
  return JSON.stringify({ ...inspectHeader(), samples }, null, 2);
}

/** An Inspect `.eval` archive: journal, header, one entry a sample, summaries. */
export function inspectEvalArchive(samples = [inspectSample(1), inspectSample(2, { answer: '5' })]): Uint8Array {
  const header = inspectHeader();
  const files: Record<string, Uint8Array> = {
    '_journal/start.json': strToU8(JSON.stringify({ version: 2, eval: header.eval, plan: header.plan })),
  };
  for (const sample of samples)
    files[`samples/${sample.id}_epoch_${sample.epoch}.json`] = strToU8(JSON.stringify(sample));
  files['summaries.json'] = strToU8(JSON.stringify(samples.map((s) => ({ id: s.id, epoch: s.epoch }))));
  files['header.json'] = strToU8(JSON.stringify(header));
  return zipSync(files);
}

export const OTEL_TRACE = '5b8efff798038103d269b633813fc60c';

const attr = (key: string, value: string | number) =>
  typeof value === 'number' ? { key, value: { intValue: String(value) } } : { key, value: { stringValue: value } };

/** OTLP JSON: an agent span, two chat spans and a tool span of one trace, and an HTTP span that is no GenAI span. */
export function otelRequest(options: { extraSpans?: unknown[] } = {}) {
  const ns = (ms: number) => String(BigInt(Date.parse('2025-10-04T12:00:00Z') + ms) * 1_000_000n);
  const span = (spanId: string, name: string, startMs: number, attributes: unknown[]) => ({
    traceId: OTEL_TRACE,
    spanId,
    parentSpanId: spanId === 'a0' ? '' : 'a0',
    name,
    kind: 3,
    startTimeUnixNano: ns(startMs),
    endTimeUnixNano: ns(startMs + 500),
    attributes,
    status: {},
  });
  const userTurn = [{ role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] }];
  const callTurn = [
    {
      role: 'assistant',
      parts: [{ type: 'tool_call', id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris' } }],
    },
  ];
  return {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', 'weather-agent'), attr('service.version', '1.4.0')] },
        scopeSpans: [
          {
            scope: { name: 'opentelemetry.instrumentation.openai' },
            spans: [
              span('a0', 'invoke_agent weather', 0, [
                attr('gen_ai.operation.name', 'invoke_agent'),
                attr('gen_ai.agent.name', 'weather'),
                attr('gen_ai.conversation.id', 'conv_42'),
              ]),
              span('c1', 'chat gpt-4o', 10, [
                attr('gen_ai.operation.name', 'chat'),
                attr('gen_ai.provider.name', 'openai'),
                attr('gen_ai.request.model', 'gpt-4o'),
                attr('gen_ai.response.model', 'gpt-4o-2024-08-06'),
                attr(
                  'gen_ai.system_instructions',
                  JSON.stringify([{ type: 'text', content: 'You answer weather questions.' }]),
                ),
                attr('gen_ai.input.messages', JSON.stringify(userTurn)),
                attr('gen_ai.output.messages', JSON.stringify(callTurn)),
                attr('gen_ai.usage.input_tokens', 120),
                attr('gen_ai.usage.output_tokens', 18),
              ]),
              span('t1', 'execute_tool get_weather', 600, [
                attr('gen_ai.operation.name', 'execute_tool'),
                attr('gen_ai.tool.name', 'get_weather'),
                attr('gen_ai.tool.call.id', 'call_w1'),
                attr('gen_ai.tool.call.result', '{"temp_c": 18, "sky": "rain"}'),
              ]),
              span('h1', 'GET /weather', 620, [
                attr('http.request.method', 'GET'),
                attr('url.full', 'https://api.example/weather'),
              ]),
              span('c2', 'chat gpt-4o', 1200, [
                attr('gen_ai.operation.name', 'chat'),
                attr('gen_ai.request.model', 'gpt-4o'),
                attr(
                  'gen_ai.input.messages',
                  JSON.stringify([
                    ...userTurn,
                    ...callTurn,
                    {
                      role: 'tool',
                      parts: [{ type: 'tool_call_response', id: 'call_w1', response: { temp_c: 18, sky: 'rain' } }],
                    },
                  ]),
                ),
                attr(
                  'gen_ai.output.messages',
                  JSON.stringify([
                    { role: 'assistant', parts: [{ type: 'text', content: 'Rainy, 18 °C.' }], finish_reason: 'stop' },
                  ]),
                ),
                attr('gen_ai.usage.input_tokens', 160),
                attr('gen_ai.usage.output_tokens', 7),
              ]),
              ...(options.extraSpans ?? []),
            ],
          },
        ],
      },
    ],
  };
}

export function otelLog(options: { extraSpans?: unknown[] } = {}): string {
  return JSON.stringify(otelRequest(options));
}
