/**
 * Codex CLI session logs: the rollout files under ~/.codex/sessions/YYYY/MM/DD/
 * (`rollout-<time>-<id>.jsonl`). Each line is `{timestamp, type, payload}`:
 * `session_meta` first, then `turn_context` (model, effort), `response_item`
 * (messages, reasoning, function calls and their outputs: what the model saw),
 * `event_msg` (UI events that repeat the items, and `token_count`), and
 * `compacted`. Older rollouts wrote the items bare, after a first line
 * `{id, timestamp, instructions}`; both are read.
 *
 * One model turn (reasoning, text, calls) becomes one agent step; call outputs
 * are attached to the step that made the call; `token_count`'s last usage goes
 * on the latest agent step.
 */
import type { Issue } from '../errors.js';
import type { AtifStep } from '../schema/atif.js';
import { isRecord } from '../schema/json.js';
import { addMetrics, IMPORT_SCHEMA_VERSION, importExtra, TrajectoryBuilder, totalsOf } from './builder.js';
import { num, parseArguments, readJsonLines, sourceText, str } from './text.js';
import type { AgentLogImporter } from './types.js';

const RESPONSE_ITEM_TYPES = new Set([
  'message',
  'reasoning',
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'local_shell_call',
  'web_search_call',
]);

export const codexImporter: AgentLogImporter = {
  format: 'codex',
  description: 'Codex CLI rollouts (~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl)',
  detect({ name, head }) {
    if (name !== undefined && !/\.jsonl$/i.test(name)) return false;
    if (name && /(^|[\\/])rollout-[^\\/]*\.jsonl$/i.test(name)) return true;
    return /^\s*\{[^\n]*"type"\s*:\s*"session_meta"/.test(head);
  },
  convert(source) {
    const warnings: Issue[] = [];
    const lines = readJsonLines(sourceText(source), warnings);
    const builder = new TrajectoryBuilder();
    const meta: Record<string, unknown> = {};
    let model: string | undefined;
    let effort: string | undefined;
    let turn: AtifStep | undefined; // the agent step of the model turn under way
    let lastAgentStep: AtifStep | undefined;
    let totalUsage: Record<string, unknown> | undefined;
    let syntheticCalls = 0;

    const agentStep = (timestamp: string | undefined, startsTurn: (step: AtifStep) => boolean): AtifStep => {
      if (!turn || startsTurn(turn)) {
        turn = builder.add({ source: 'agent', timestamp, message: '', model_name: model, reasoning_effort: effort });
      }
      lastAgentStep = turn;
      return turn;
    };

    for (const { line, record } of lines) {
      const warn = (message: string) => warnings.push({ path: `line ${line}`, message });
      const { type, payload, timestamp } = normalize(record, line === lines[0]?.line);
      if (type === 'session_meta') {
        Object.assign(meta, payload);
        const instructions = str(payload.instructions);
        if (instructions) builder.add({ source: 'system', timestamp, message: instructions });
      } else if (type === 'turn_context') {
        model = str(payload.model) ?? model;
        effort = str(payload.effort) ?? effort;
      } else if (type === 'compacted') {
        turn = undefined;
        builder.add({ source: 'system', timestamp, message: str(payload.message) ?? '', extra: { compacted: true } });
      } else if (type === 'event_msg') {
        if (payload.type === 'token_count' && isRecord(payload.info)) {
          const last = isRecord(payload.info.last_token_usage) ? payload.info.last_token_usage : undefined;
          if (last && lastAgentStep) addMetrics(lastAgentStep, usageMetrics(last));
          if (isRecord(payload.info.total_token_usage)) totalUsage = payload.info.total_token_usage;
        }
        // Every other event repeats a response item for the terminal UI.
      } else if (type === 'response_item') {
        const itemType = str(payload.type);
        if (itemType === 'message') {
          const text = messageText(payload.content);
          const role = str(payload.role);
          if (role === 'assistant') {
            const step = agentStep(timestamp, (s) => s.message !== '' || (s.tool_calls?.length ?? 0) > 0);
            step.message = step.message ? `${step.message}\n\n${text}` : text;
          } else {
            turn = undefined;
            builder.add({
              source: role === 'user' ? 'user' : 'system',
              timestamp,
              message: text,
              ...(role !== 'user' && role !== 'system' ? { extra: { role } } : {}),
            });
          }
        } else if (itemType === 'reasoning') {
          const step = agentStep(
            timestamp,
            (s) => s.message !== '' || (s.tool_calls?.length ?? 0) > 0 || s.observation !== undefined,
          );
          const summary = Array.isArray(payload.summary) ? payload.summary : [];
          const content = Array.isArray(payload.content) ? payload.content : [];
          const text = [...summary, ...content]
            .map((part) => (isRecord(part) ? (str(part.text) ?? '') : ''))
            .filter(Boolean)
            .join('\n\n');
          if (text) step.reasoning_content = step.reasoning_content ? `${step.reasoning_content}\n\n${text}` : text;
          if (payload.encrypted_content) step.extra = { ...(step.extra ?? {}), encrypted_reasoning: true };
        } else if (
          itemType === 'function_call' ||
          itemType === 'custom_tool_call' ||
          itemType === 'local_shell_call' ||
          itemType === 'web_search_call'
        ) {
          const step = agentStep(timestamp, (s) => s.observation !== undefined);
          const callId = str(payload.call_id) ?? str(payload.id) ?? `${itemType}-${++syntheticCalls}`;
          builder.addToolCall(step, {
            tool_call_id: callId,
            function_name:
              str(payload.name) ??
              (itemType === 'local_shell_call'
                ? 'local_shell'
                : itemType === 'web_search_call'
                  ? 'web_search'
                  : 'unknown'),
            arguments:
              itemType === 'function_call'
                ? parseArguments(payload.arguments)
                : itemType === 'custom_tool_call'
                  ? { input: payload.input ?? '' }
                  : isRecord(payload.action)
                    ? payload.action
                    : {},
          });
        } else if (itemType === 'function_call_output' || itemType === 'custom_tool_call_output') {
          const callId = str(payload.call_id) ?? '';
          const { content, extra } = callOutput(payload.output);
          if (!builder.addResult(callId, { content, ...(extra ? { extra } : {}) })) {
            warn(`output for call ${JSON.stringify(callId)} answers no call in this log; kept on the last step`);
          }
        } else {
          warn(`response item type ${JSON.stringify(itemType ?? null)} is not known; skipped`);
        }
      } else {
        warn(`record type ${JSON.stringify(type ?? null)} is not a Codex rollout record this importer knows; skipped`);
      }
    }

    const steps = builder.steps;
    const sessionId =
      str(meta.id) ?? source.name?.match(/([0-9a-f]{8}-[0-9a-f-]{27})\.jsonl$/i)?.[1] ?? 'codex-session';
    const totals = totalsOf(steps);
    const final = totalUsage
      ? {
          ...totals,
          total_prompt_tokens: num(totalUsage.input_tokens),
          total_completion_tokens: num(totalUsage.output_tokens),
          total_cached_tokens: num(totalUsage.cached_input_tokens),
        }
      : totals;
    const { id: _id, instructions: _instructions, cli_version, ...details } = meta;
    return {
      format: 'codex',
      trajectories: [
        {
          schema_version: IMPORT_SCHEMA_VERSION,
          session_id: sessionId,
          trajectory_id: sessionId,
          agent: { name: 'codex', version: str(cli_version) ?? null, model_name: model ?? null },
          steps,
          final_metrics: final,
          extra: importExtra('codex', source, { session: details }, warnings),
        },
      ],
      warnings,
    };
  },
};

/** A rollout line as `{type, payload}`: the current wrapped form, or the older bare items. */
function normalize(
  record: Record<string, unknown>,
  isFirst: boolean,
): { type: string | undefined; payload: Record<string, unknown>; timestamp: string | undefined } {
  const timestamp = str(record.timestamp);
  if (isRecord(record.payload)) return { type: str(record.type), payload: record.payload, timestamp };
  if (isFirst && record.type === undefined && str(record.id))
    return { type: 'session_meta', payload: record, timestamp };
  if (record.record_type === 'state') return { type: 'event_msg', payload: {}, timestamp };
  if (RESPONSE_ITEM_TYPES.has(str(record.type) ?? '')) return { type: 'response_item', payload: record, timestamp };
  return { type: str(record.type), payload: {}, timestamp };
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isRecord(part) ? (str(part.text) ?? (part.type === 'input_image' ? '[image]' : '')) : ''))
    .filter(Boolean)
    .join('\n\n');
}

/** A call's output: older rollouts wrap it as JSON text `{output, metadata: {exit_code, duration_seconds}}`. */
function callOutput(output: unknown): { content: string; extra?: Record<string, unknown> } {
  if (typeof output !== 'string') return { content: output === undefined ? '' : JSON.stringify(output) };
  try {
    const parsed: unknown = JSON.parse(output);
    if (isRecord(parsed) && typeof parsed.output === 'string') {
      return { content: parsed.output, ...(isRecord(parsed.metadata) ? { extra: parsed.metadata } : {}) };
    }
  } catch {
    // plain text output
  }
  return { content: output };
}

function usageMetrics(usage: Record<string, unknown>): NonNullable<AtifStep['metrics']> {
  const reasoning = num(usage.reasoning_output_tokens);
  return {
    // OpenAI's input_tokens already include the cached ones, as ATIF's prompt_tokens do.
    prompt_tokens: num(usage.input_tokens),
    completion_tokens: num(usage.output_tokens),
    cached_tokens: num(usage.cached_input_tokens),
    ...(reasoning !== undefined ? { extra: { reasoning_output_tokens: reasoning } } : {}),
  };
}
