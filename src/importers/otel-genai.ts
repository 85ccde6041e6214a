/**
 * OpenTelemetry GenAI spans in OTLP JSON (an ExportTraceServiceRequest
 * `{resourceSpans: [...]}`, or one such object a line as the collector's file
 * exporter writes them), read by the GenAI semantic conventions. Each trace
 * becomes one trajectory. In start-time order:
 *
 * - inference spans (`gen_ai.operation.name` chat, text_completion,
 *   generate_content) give an agent step from `gen_ai.output.messages` (text,
 *   reasoning, tool calls), with the model and `gen_ai.usage.*` tokens; the
 *   new user and system messages of `gen_ai.input.messages` come before it;
 * - tool spans (`execute_tool`) give the result of the call they name
 *   (`gen_ai.tool.call.id`), attached to the step that made it;
 * - agent spans (`invoke_agent`, `create_agent`) name the agent.
 *
 * Spans without GenAI attributes (HTTP, database...) are not part of the
 * conversation and are left out without a warning.
 */
import type { Issue } from '../errors.js';
import type { AtifStep, AtifTrajectory } from '../schema/atif.js';
import { isRecord } from '../schema/json.js';
import { IMPORT_SCHEMA_VERSION, importExtra, TrajectoryBuilder, totalsOf } from './builder.js';
import { parseArguments, readJsonLines, sourceText, str } from './text.js';
import type { AgentLogImporter, LogSource } from './types.js';

const INFERENCE = new Set(['chat', 'text_completion', 'generate_content']);
const AGENT = new Set(['invoke_agent', 'create_agent']);
const OTHER_KNOWN = new Set(['embeddings', 'execute_tool']);

export const otelGenAiImporter: AgentLogImporter = {
  format: 'otel-genai',
  description: 'OpenTelemetry GenAI spans (OTLP JSON, gen_ai.* semantic conventions)',
  detect({ name, head }) {
    if (name !== undefined && !/\.jsonl?$/i.test(name)) return false;
    return /^\s*\{\s*"resourceSpans"\s*:/.test(head);
  },
  convert(source) {
    const warnings: Issue[] = [];
    const spans = readSpans(source, warnings);
    const traces = new Map<string, Span[]>();
    for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
    const trajectories = [...traces]
      .map(([traceId, traceSpans]) => traceTrajectory(traceId, traceSpans, source, warnings))
      .filter((t): t is AtifTrajectory => t !== undefined);
    return { format: 'otel-genai', trajectories, warnings };
  },
};

interface Span {
  path: string;
  traceId: string;
  spanId: string;
  name: string;
  start: bigint;
  end: bigint | undefined;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  status: Record<string, unknown> | undefined;
}

function readSpans(source: LogSource, warnings: Issue[]): Span[] {
  const text = sourceText(source);
  let requests: Array<{ path: string; request: Record<string, unknown> }>;
  try {
    const whole: unknown = JSON.parse(text);
    requests = isRecord(whole) ? [{ path: '', request: whole }] : [];
  } catch {
    // Not one document: one request a line, damaged lines skipped with a warning.
    requests = readJsonLines(text, warnings).map(({ line, record }) => ({ path: `line ${line}.`, request: record }));
  }
  const spans: Span[] = [];
  for (const { path, request } of requests) {
    const resourceSpans = Array.isArray(request.resourceSpans) ? request.resourceSpans : [];
    resourceSpans.forEach((rs, i) => {
      if (!isRecord(rs)) return;
      const resource = attributeMap(isRecord(rs.resource) ? rs.resource.attributes : undefined);
      const scopeSpans = Array.isArray(rs.scopeSpans) ? rs.scopeSpans : [];
      scopeSpans.forEach((ss, j) => {
        const list = isRecord(ss) && Array.isArray(ss.spans) ? ss.spans : [];
        list.forEach((span, k) => {
          const at = `${path}resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`;
          if (!isRecord(span) || !str(span.traceId)) {
            warnings.push({ path: at, message: 'is not a span with a traceId; skipped' });
            return;
          }
          spans.push({
            path: at,
            traceId: String(span.traceId),
            spanId: str(span.spanId) ?? '',
            name: str(span.name) ?? '',
            start: nanos(span.startTimeUnixNano) ?? 0n,
            end: nanos(span.endTimeUnixNano),
            attributes: attributeMap(span.attributes),
            resource,
            status: isRecord(span.status) ? span.status : undefined,
          });
        });
      });
    });
  }
  return spans;
}

function traceTrajectory(
  traceId: string,
  spans: Span[],
  source: LogSource,
  warnings: Issue[],
): AtifTrajectory | undefined {
  const genAi = spans
    .filter((s) => Object.keys(s.attributes).some((key) => key.startsWith('gen_ai.')))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  if (genAi.length === 0) return undefined;
  const builder = new TrajectoryBuilder();
  const traceWarnings: Issue[] = [];
  const warn = (span: Span, message: string) => {
    const issue = { path: span.path, message };
    warnings.push(issue);
    traceWarnings.push(issue);
  };
  let agentName: string | undefined;
  let agentVersion: string | undefined;
  let conversationId: string | undefined;
  let seenInputs = 0;
  let firstModel: string | undefined;

  for (const span of genAi) {
    const a = span.attributes;
    const operation = str(a['gen_ai.operation.name']);
    conversationId ??= str(a['gen_ai.conversation.id']);
    agentName ??= str(a['gen_ai.agent.name']);
    agentVersion ??= str(a['gen_ai.agent.version']);
    const timestamp = isoFromNanos(span.start);
    if (operation !== undefined && INFERENCE.has(operation)) {
      const inputs = jsonAttribute(a['gen_ai.input.messages']);
      const system = a['gen_ai.system_instructions'];
      if (seenInputs === 0 && system !== undefined) {
        builder.add({ source: 'system', timestamp, message: partsText(jsonAttribute(system)) });
      }
      // Each call repeats the conversation so far: only the messages past the ones seen are new.
      if (Array.isArray(inputs)) {
        for (const message of inputs.slice(seenInputs)) inputMessage(builder, message, timestamp);
        seenInputs = inputs.length;
      }
      const model = str(a['gen_ai.response.model']) ?? str(a['gen_ai.request.model']);
      firstModel ??= model;
      const step = builder.add({ source: 'agent', timestamp, message: '', model_name: model });
      const outputs = jsonAttribute(a['gen_ai.output.messages']);
      if (Array.isArray(outputs)) {
        for (const output of outputs) outputMessage(builder, step, output);
        seenInputs += outputs.length;
      }
      const input = toNumber(a['gen_ai.usage.input_tokens']);
      const output = toNumber(a['gen_ai.usage.output_tokens']);
      const cached = toNumber(a['gen_ai.usage.cache_read.input_tokens']);
      if (input !== undefined || output !== undefined) {
        step.metrics = {
          ...(input !== undefined ? { prompt_tokens: input } : {}),
          ...(output !== undefined ? { completion_tokens: output } : {}),
          ...(cached !== undefined ? { cached_tokens: cached } : {}),
        };
      }
      if (failedSpan(span)) {
        step.extra = { error: str(span.status?.message) ?? str(a['error.type']) ?? 'error' };
      }
    } else if (operation === 'execute_tool') {
      toolSpan(builder, span, timestamp, warn);
    } else if (operation !== undefined && AGENT.has(operation)) {
      // The agent's own span: its name and version were read above.
    } else if (operation === undefined || !OTHER_KNOWN.has(operation)) {
      warn(span, `gen_ai.operation.name ${JSON.stringify(operation ?? null)} is not known; span skipped`);
    }
  }

  const resource = genAi[0]?.resource ?? {};
  // The run failed when its agent span says so (an error in one model or tool call alone does not end a run).
  const runFailed = genAi.some(
    (span) => AGENT.has(str(span.attributes['gen_ai.operation.name']) ?? '') && failedSpan(span),
  );
  const sessionId = conversationId ?? traceId;
  return {
    schema_version: IMPORT_SCHEMA_VERSION,
    session_id: sessionId,
    trajectory_id: traceId,
    agent: {
      name: agentName ?? str(resource['service.name']) ?? 'otel-genai',
      version: agentVersion ?? str(resource['service.version']) ?? null,
      model_name: firstModel ?? null,
    },
    steps: builder.steps,
    final_metrics: totalsOf(builder.steps),
    extra: importExtra(
      'otel-genai',
      source,
      {
        trace_id: traceId,
        ...(Object.keys(resource).length ? { resource } : {}),
        ...(runFailed ? { status: 'failed' } : {}),
      },
      traceWarnings,
    ),
  };
}

/** A span whose status is ERROR (OTLP JSON writes the code as 2 or by name). */
function failedSpan(span: Span): boolean {
  return span.status?.code === 2 || span.status?.code === 'STATUS_CODE_ERROR';
}

function toolSpan(
  builder: TrajectoryBuilder,
  span: Span,
  timestamp: string | undefined,
  warn: (s: Span, m: string) => void,
) {
  const a = span.attributes;
  const callId = str(a['gen_ai.tool.call.id']) ?? `${span.spanId || 'tool'}`;
  const result = a['gen_ai.tool.call.result'];
  const content = result === undefined ? '' : typeof result === 'string' ? result : JSON.stringify(result);
  const failed = failedSpan(span);
  const extra = failed ? { error: str(span.status?.message) ?? str(a['error.type']) ?? 'error' } : undefined;
  if (!builder.hasCall(callId)) {
    // A tool run with no model call before it (or one the trace does not hold): its own agent step.
    const step = builder.add({ source: 'agent', timestamp, message: '' });
    builder.addToolCall(step, {
      tool_call_id: callId,
      function_name: str(a['gen_ai.tool.name']) ?? span.name,
      arguments: parseArguments(a['gen_ai.tool.call.arguments']),
    });
    if (!str(a['gen_ai.tool.call.id'])) warn(span, 'tool span without gen_ai.tool.call.id; recorded as its own step');
  }
  // A tool message in a later call's input may already have given this result.
  if (builder.hasResult(callId)) return;
  builder.addResult(callId, { content, ...(extra ? { extra } : {}) });
}

function inputMessage(builder: TrajectoryBuilder, message: unknown, timestamp: string | undefined): void {
  if (!isRecord(message)) return;
  const role = str(message.role);
  const parts = Array.isArray(message.parts) ? message.parts.filter(isRecord) : [];
  if (role === 'tool' || parts.some((p) => p.type === 'tool_call_response')) {
    for (const part of parts) {
      if (part.type !== 'tool_call_response') continue;
      const id = str(part.id) ?? '';
      if (builder.hasResult(id)) continue; // the tool span gave it already
      const response = typeof part.response === 'string' ? part.response : JSON.stringify(part.response ?? '');
      builder.addResult(id, { content: response });
    }
    return;
  }
  if (role === 'assistant') return; // the output of an earlier call, already a step
  builder.add({ source: role === 'system' ? 'system' : 'user', timestamp, message: partsText(parts) });
}

function outputMessage(builder: TrajectoryBuilder, step: AtifStep, message: unknown): void {
  if (!isRecord(message)) return;
  const parts = Array.isArray(message.parts) ? message.parts.filter(isRecord) : [];
  for (const part of parts) {
    if (part.type === 'text') step.message = join(step.message as string, str(part.content) ?? '');
    else if (part.type === 'reasoning')
      step.reasoning_content = join(step.reasoning_content ?? '', str(part.content) ?? '');
    else if (part.type === 'tool_call') {
      builder.addToolCall(step, {
        tool_call_id: str(part.id) ?? `call-${step.step_id}-${step.tool_calls?.length ?? 0}`,
        function_name: str(part.name) ?? 'unknown',
        arguments: parseArguments(part.arguments),
      });
    } else step.message = join(step.message as string, JSON.stringify(part));
  }
  const finish = str(message.finish_reason);
  if (finish) step.extra = { ...(step.extra ?? {}), finish_reason: finish };
}

/** Text of GenAI message parts (`[{type: 'text', content}]`), or of any other value as JSON. */
function partsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value
      .map((part) => (isRecord(part) && part.type === 'text' ? (str(part.content) ?? '') : JSON.stringify(part)))
      .join('\n\n');
  }
  return value === undefined ? '' : JSON.stringify(value);
}

/** OTLP JSON attributes (`[{key, value: {stringValue | intValue | ...}}]`) as a plain object. */
function attributeMap(attributes: unknown): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  if (!Array.isArray(attributes)) return map;
  for (const attribute of attributes) {
    if (isRecord(attribute) && typeof attribute.key === 'string') map[attribute.key] = anyValue(attribute.value);
  }
  return map;
}

function anyValue(value: unknown): unknown {
  if (!isRecord(value)) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return toNumber(value.intValue); // int64: a string in OTLP JSON
  if ('doubleValue' in value) return value.doubleValue;
  if ('boolValue' in value) return value.boolValue;
  if (isRecord(value.arrayValue)) {
    return Array.isArray(value.arrayValue.values) ? value.arrayValue.values.map(anyValue) : [];
  }
  if (isRecord(value.kvlistValue)) return attributeMap(value.kvlistValue.values);
  return undefined;
}

/** Structured attributes may be recorded as JSON text: parsed when they are. */
function jsonAttribute(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function nanos(value: unknown): bigint | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    return BigInt(value);
  } catch {
    return undefined;
  }
}

function isoFromNanos(value: bigint): string | undefined {
  if (value === 0n) return undefined;
  return new Date(Number(value / 1_000_000n)).toISOString();
}

function join(a: string, b: string): string {
  return a && b ? `${a}\n\n${b}` : a || b;
}
