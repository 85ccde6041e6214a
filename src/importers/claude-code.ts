/**
 * Claude Code session logs: the JSONL files under ~/.claude/projects/<project>/,
 * one record a line (`user`, `assistant`, `system`, `summary` and bookkeeping
 * records), threaded by `uuid`/`parentUuid`. An assistant reply is often
 * written as several lines sharing one `message.id` (one content block each,
 * each repeating the usage): they become one agent step. Tool results arrive
 * in the next `user` record and are attached to the step that made the call.
 * Sub-agent (sidechain) messages become trajectories of their own, one per
 * `agentId`, named `<sessionId>/agent-<agentId>`.
 */
import type { Issue } from '../errors.js';
import type { AtifStep, AtifTrajectory } from '../schema/atif.js';
import { isRecord } from '../schema/json.js';
import { addMetrics, IMPORT_SCHEMA_VERSION, importExtra, TrajectoryBuilder, totalsOf } from './builder.js';
import { type JsonLine, num, readJsonLines, sourceText, str } from './text.js';
import type { AgentLogImporter, LogSource } from './types.js';

/** Records that carry no conversation (undo snapshots, queue bookkeeping, titles): skipped without a warning. */
const BOOKKEEPING = new Set([
  'file-history-snapshot',
  'queue-operation',
  'progress',
  'custom-title',
  'agent-name',
  'last-prompt',
  'pr-link',
  'tag',
]);

export const claudeCodeImporter: AgentLogImporter = {
  format: 'claude-code',
  description: 'Claude Code session logs (~/.claude/projects/<project>/<session>.jsonl)',
  detect({ name, head }) {
    if (name !== undefined && !/\.jsonl$/i.test(name)) return false;
    return (
      /"sessionId"\s*:/.test(head) &&
      /"(parentUuid|leafUuid)"\s*:|"type"\s*:\s*"(file-history-snapshot|queue-operation)"/.test(head)
    );
  },
  convert(source) {
    const warnings: Issue[] = [];
    const lines = readJsonLines(sourceText(source), warnings);
    const main: JsonLine[] = [];
    const sidechains = new Map<string, JsonLine[]>();
    for (const entry of lines) {
      if (entry.record.isSidechain === true) {
        const agentId = str(entry.record.agentId) ?? 'sidechain';
        sidechains.set(agentId, [...(sidechains.get(agentId) ?? []), entry]);
      } else {
        main.push(entry);
      }
    }
    const sessionId =
      lines.map((l) => str(l.record.sessionId)).find(Boolean) ?? fileStem(source) ?? 'claude-code-session';
    const children = [...sidechains].map(([agentId, entries]) =>
      conversation(entries, source, warnings, { sessionId, trajectoryId: `${sessionId}/agent-${agentId}`, agentId }),
    );
    const hasMain =
      main.some((l) => l.record.type === 'user' || l.record.type === 'assistant') || children.length === 0;
    const trajectories = hasMain
      ? [
          conversation(main, source, warnings, {
            sessionId,
            trajectoryId: sessionId,
            subagents: children.map((c) => c.trajectory_id as string),
          }),
          ...children,
        ]
      : children;
    // The file's warnings stay with the first trajectory it gave (the session itself when it has one).
    const first = trajectories[0];
    if (first && warnings.length > 0) (first.extra as Record<string, unknown>).import_warnings = warnings;
    return { format: 'claude-code', trajectories, warnings };
  },
};

interface ConversationIds {
  sessionId: string;
  trajectoryId: string;
  agentId?: string;
  subagents?: string[];
}

function conversation(
  entries: readonly JsonLine[],
  source: LogSource,
  warnings: Issue[],
  ids: ConversationIds,
): AtifTrajectory {
  const builder = new TrajectoryBuilder();
  const notes: string[] = [];
  let current: { messageId: string; step: AtifStep } | undefined;
  let version: string | undefined;
  let model: string | undefined;
  let cwd: string | undefined;
  let gitBranch: string | undefined;

  for (const { line, record } of entries) {
    const type = str(record.type);
    version ??= str(record.version);
    cwd ??= str(record.cwd);
    gitBranch ||= str(record.gitBranch);
    const warn = (message: string) => warnings.push({ path: `line ${line}`, message });
    const timestamp = str(record.timestamp);

    if (type === 'assistant') {
      const message = isRecord(record.message) ? record.message : {};
      const messageId = str(message.id) ?? str(record.uuid) ?? `line-${line}`;
      model ??= str(message.model);
      if (current?.messageId !== messageId || builder.last() !== current.step) {
        const step = builder.add({ source: 'agent', timestamp, message: '', model_name: str(message.model) });
        current = { messageId, step };
      }
      assistantBlocks(builder, current.step, message.content, warn);
      const usage = isRecord(message.usage) ? message.usage : undefined;
      // Every line of a streamed reply repeats the reply's usage so far: the last one counts, once.
      if (usage) {
        delete current.step.metrics;
        addMetrics(current.step, usageMetrics(usage));
      }
      const extra = stepExtra(record, ['isApiErrorMessage', 'requestId']);
      if (extra) current.step.extra = { ...(current.step.extra ?? {}), ...extra };
    } else if (type === 'user') {
      current = undefined;
      userRecord(builder, record, timestamp, warn);
    } else if (type === 'system') {
      current = undefined;
      builder.add({
        source: 'system',
        timestamp,
        message: str(record.content) ?? '',
        extra: stepExtra(record, ['subtype', 'level']),
      });
    } else if (type === 'summary') {
      const summary = str(record.summary);
      if (summary) notes.push(summary);
    } else if (type === undefined || !BOOKKEEPING.has(type)) {
      warn(`record type ${JSON.stringify(type ?? null)} is not a Claude Code record this importer knows; skipped`);
    }
  }

  const steps = builder.steps;
  return {
    schema_version: IMPORT_SCHEMA_VERSION,
    session_id: ids.sessionId,
    trajectory_id: ids.trajectoryId,
    agent: { name: 'claude-code', version: version ?? null, model_name: model ?? null },
    steps,
    ...(notes.length > 0 ? { notes: notes.join('\n') } : {}),
    final_metrics: totalsOf(steps),
    extra: importExtra(
      'claude-code',
      source,
      {
        ...(cwd ? { cwd } : {}),
        ...(gitBranch ? { git_branch: gitBranch } : {}),
        ...(ids.agentId ? { agent_id: ids.agentId, parent_trajectory_id: ids.sessionId } : {}),
        ...(ids.subagents?.length ? { subagent_trajectory_ids: ids.subagents } : {}),
      },
      [],
    ),
  };
}

type Warn = (message: string) => void;

function assistantBlocks(builder: TrajectoryBuilder, step: AtifStep, content: unknown, warn: Warn): void {
  const blocks =
    typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? content : [];
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    switch (block.type) {
      case 'text':
        step.message = joinText(step.message as string, str(block.text) ?? '');
        break;
      case 'thinking':
        step.reasoning_content = joinText(step.reasoning_content ?? '', str(block.thinking) ?? '');
        break;
      case 'redacted_thinking':
        step.extra = { ...(step.extra ?? {}), redacted_thinking: true };
        break;
      case 'tool_use':
      case 'server_tool_use':
        builder.addToolCall(step, {
          tool_call_id: str(block.id) ?? `tool-${builder.steps.length}`,
          function_name: str(block.name) ?? 'unknown',
          arguments: isRecord(block.input) ? block.input : {},
          ...(block.type === 'server_tool_use' ? { extra: { server_tool: true } } : {}),
        });
        break;
      default:
        warn(`assistant content block ${JSON.stringify(block.type)} is not known; skipped`);
    }
  }
}

function userRecord(
  builder: TrajectoryBuilder,
  record: Record<string, unknown>,
  timestamp: string | undefined,
  warn: Warn,
) {
  const message = isRecord(record.message) ? record.message : {};
  const content = message.content;
  const extra = stepExtra(record, ['isMeta', 'isCompactSummary']);
  if (typeof content === 'string') {
    builder.add({ source: 'user', timestamp, message: content, ...(extra ? { extra } : {}) });
    return;
  }
  if (!Array.isArray(content)) {
    warn('user record without message content; skipped');
    return;
  }
  const parts: Array<{ type: 'text' | 'image'; text?: string; source?: { media_type: string; path: string } }> = [];
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (block.type === 'tool_result') {
      const callId = str(block.tool_use_id) ?? '';
      const richResult = record.toolUseResult;
      const attached = builder.addResult(callId, {
        content: resultContent(block.content),
        ...(block.is_error === true || richResult !== undefined
          ? {
              extra: {
                ...(block.is_error === true ? { is_error: true } : {}),
                ...(richResult !== undefined ? { tool_use_result: richResult } : {}),
              },
            }
          : {}),
      });
      if (!attached)
        warn(`tool result for ${JSON.stringify(callId)} answers no tool call in this log; kept on the last step`);
    } else if (block.type === 'text') {
      parts.push({ type: 'text', text: str(block.text) ?? '' });
    } else if (block.type === 'image') {
      parts.push(imagePart(block));
    } else {
      warn(`user content block ${JSON.stringify(block.type)} is not known; skipped`);
    }
  }
  if (parts.length === 0) return;
  const onlyText = parts.every((p) => p.type === 'text');
  builder.add({
    source: 'user',
    timestamp,
    message: onlyText ? parts.map((p) => p.text).join('\n\n') : parts,
    ...(extra ? { extra } : {}),
  });
}

/** A tool result's content: text, or content parts when it holds images. */
function resultContent(content: unknown): AtifStep['message'] {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? '' : JSON.stringify(content);
  const parts = content
    .filter(isRecord)
    .map((block) =>
      block.type === 'image'
        ? imagePart(block)
        : { type: 'text' as const, text: str(block.text) ?? JSON.stringify(block) },
    );
  return parts.every((p) => p.type === 'text') ? parts.map((p) => p.text).join('\n') : parts;
}

/** An image block: base64 data kept whole as a data: URL, a URL as it is. */
function imagePart(block: Record<string, unknown>) {
  const src = isRecord(block.source) ? block.source : {};
  const mediaType = str(src.media_type) ?? 'image/*';
  const path = str(src.data) !== undefined ? `data:${mediaType};base64,${src.data}` : (str(src.url) ?? '');
  return { type: 'image' as const, source: { media_type: mediaType, path } };
}

function usageMetrics(usage: Record<string, unknown>): NonNullable<AtifStep['metrics']> {
  const input = num(usage.input_tokens) ?? 0;
  const cacheRead = num(usage.cache_read_input_tokens) ?? 0;
  const cacheCreation = num(usage.cache_creation_input_tokens) ?? 0;
  return {
    // ATIF's prompt_tokens include cached ones; Anthropic's input_tokens do not.
    prompt_tokens: input + cacheRead + cacheCreation,
    completion_tokens: num(usage.output_tokens) ?? 0,
    cached_tokens: cacheRead,
    ...(cacheCreation > 0 ? { extra: { cache_creation_input_tokens: cacheCreation } } : {}),
  };
}

function stepExtra(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> | undefined {
  const entries = keys.filter((key) => record[key] !== undefined).map((key) => [key, record[key]] as const);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function joinText(a: string, b: string): string {
  return a && b ? `${a}\n\n${b}` : a || b;
}

function fileStem(source: LogSource): string | undefined {
  return source.name
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/\.jsonl$/i, '');
}
