/**
 * Inspect AI eval logs: `.eval` archives (a zip holding `header.json`, one
 * `samples/<id>_epoch_<n>.json` per sample, and `_journal/start.json` while the
 * eval runs) and `.json` logs (one object with `eval` and `samples`). Each
 * sample becomes one trajectory, `<eval_id>/<sample id>/<epoch>`, carrying
 * its scores, target and metadata in `extra`. Messages map to steps (tool
 * messages become results of the assistant step that called them); the
 * sample's model events give each agent step its token usage.
 */
import type { Issue } from '../errors.js';
import type { AtifStep, AtifTrajectory } from '../schema/atif.js';
import { isRecord } from '../schema/json.js';
import { addMetrics, IMPORT_SCHEMA_VERSION, importExtra, TrajectoryBuilder, totalsOf } from './builder.js';
import { num, parseArguments, probeHead, sourceText, str } from './text.js';
import type { AgentLogImporter, LogSource } from './types.js';
import { readZip } from './zip.js';

const ZIP_MAGIC = 'PK\u0003\u0004';

export const inspectAiImporter: AgentLogImporter = {
  format: 'inspect-ai',
  description: 'Inspect AI eval logs (.eval archives and .json logs)',
  detect({ name, head }) {
    if (head.startsWith(ZIP_MAGIC)) {
      return (name !== undefined && /\.eval$/i.test(name)) || /_journal\/|header\.json|samples\//.test(head);
    }
    if (name !== undefined && !/\.json$/i.test(name)) return false;
    return /^\s*\{\s*"version"\s*:\s*\d+\s*,\s*"status"\s*:/.test(head) && /"eval"\s*:\s*\{/.test(head);
  },
  convert(source) {
    const warnings: Issue[] = [];
    const log = readLog(source, warnings);
    if (!log) return { format: 'inspect-ai', trajectories: [], warnings };
    const evalSpec = isRecord(log.header.eval) ? log.header.eval : {};
    const trajectories = log.samples.map(({ path, sample }) =>
      sampleTrajectory(sample, evalSpec, log.header, source, (message) => warnings.push({ path, message })),
    );
    return { format: 'inspect-ai', trajectories, warnings };
  },
};

interface EvalLog {
  header: Record<string, unknown>;
  samples: Array<{ path: string; sample: Record<string, unknown> }>;
}

function readLog(source: LogSource, warnings: Issue[]): EvalLog | undefined {
  if (typeof source.content !== 'string' && probeHead(source.content, 4).startsWith(ZIP_MAGIC)) {
    return readArchive(source.content, warnings);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(sourceText(source));
  } catch (error) {
    warnings.push({
      path: '',
      message: `the log is not complete JSON (${error instanceof Error ? error.message : String(error)}): it may be cut off; nothing imported`,
    });
    return undefined;
  }
  if (!isRecord(parsed)) {
    warnings.push({ path: '', message: 'the log is not a JSON object; nothing imported' });
    return undefined;
  }
  const samples = Array.isArray(parsed.samples) ? parsed.samples : [];
  return {
    header: parsed,
    samples: samples.flatMap((sample, i) => {
      if (isRecord(sample)) return [{ path: `samples[${i}]`, sample }];
      warnings.push({ path: `samples[${i}]`, message: 'is not an object; skipped' });
      return [];
    }),
  };
}

function readArchive(bytes: Uint8Array, warnings: Issue[]): EvalLog | undefined {
  const { entries, truncated } = readZip(
    bytes,
    (name) => name === 'header.json' || name === '_journal/start.json' || /^samples\/.+\.json$/.test(name),
  );
  if (truncated) {
    warnings.push({
      path: '',
      message: `the archive is cut off (no central directory); the ${entries.size} complete entries before the break were read`,
    });
  }
  const json = (name: string): Record<string, unknown> | undefined => {
    const data = entries.get(name);
    if (!data) return undefined;
    try {
      const value: unknown = JSON.parse(new TextDecoder().decode(data));
      return isRecord(value) ? value : undefined;
    } catch {
      warnings.push({ path: name, message: 'is not valid JSON; skipped' });
      return undefined;
    }
  };
  const header = json('header.json') ?? json('_journal/start.json');
  if (!header) {
    warnings.push({ path: 'header.json', message: 'the archive has no eval header; nothing imported' });
    return undefined;
  }
  const samples = [...entries.keys()]
    .filter((name) => name.startsWith('samples/'))
    .sort()
    .flatMap((name) => {
      const sample = json(name);
      return sample ? [{ path: name, sample }] : [];
    });
  return { header, samples };
}

function sampleTrajectory(
  sample: Record<string, unknown>,
  evalSpec: Record<string, unknown>,
  header: Record<string, unknown>,
  source: LogSource,
  warn: (message: string) => void,
): AtifTrajectory {
  const evalId = str(evalSpec.eval_id) ?? str(evalSpec.run_id) ?? str(evalSpec.task_id) ?? 'inspect-eval';
  const sampleId = String(sample.id ?? sample.uuid ?? 'sample');
  const epoch = num(sample.epoch) ?? 1;
  const model = str(evalSpec.model);
  const builder = new TrajectoryBuilder();
  const time = str(sample.started_at) ?? str(evalSpec.created);

  const messages = Array.isArray(sample.messages) ? sample.messages : [];
  messages.forEach((message, i) => {
    if (!isRecord(message)) return;
    const role = str(message.role);
    const { text, reasoning, parts } = messageContent(message.content);
    if (role === 'assistant') {
      const step = builder.add({
        source: 'agent',
        timestamp: time,
        message: parts ?? text,
        model_name: str(message.model) ?? model,
        ...(reasoning ? { reasoning_content: reasoning } : {}),
      });
      const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
      calls.forEach((call, j) => {
        if (!isRecord(call)) return;
        builder.addToolCall(step, {
          tool_call_id: str(call.id) ?? `call-${i}-${j}`,
          function_name: str(call.function) ?? 'unknown',
          arguments: parseArguments(call.arguments),
        });
      });
    } else if (role === 'tool') {
      const callId = str(message.tool_call_id) ?? '';
      const error = isRecord(message.error) ? message.error : undefined;
      if (!builder.addResult(callId, { content: parts ?? text, ...(error ? { extra: { error } } : {}) })) {
        warn(`messages[${i}]: tool result for ${JSON.stringify(callId)} answers no tool call; kept on the last step`);
      }
    } else if (role === 'system' || role === 'user') {
      builder.add({ source: role, timestamp: time, message: parts ?? text });
    } else {
      warn(`messages[${i}]: role ${JSON.stringify(role ?? null)} is not known; skipped`);
    }
  });
  attachModelUsage(builder.steps, sample.events);

  const scores = isRecord(sample.scores) ? sample.scores : undefined;
  const usage = isRecord(sample.model_usage) ? Object.values(sample.model_usage).filter(isRecord) : [];
  const sum = (key: string) => (usage.length ? usage.reduce((n, u) => n + (num(u[key]) ?? 0), 0) : undefined);
  const finalMetrics = usage.length
    ? {
        total_prompt_tokens: sum('input_tokens'),
        total_completion_tokens: sum('output_tokens'),
        total_cached_tokens: sum('input_tokens_cache_read'),
        total_steps: builder.steps.length,
      }
    : totalsOf(builder.steps);
  const packages = isRecord(evalSpec.packages) ? evalSpec.packages : {};
  return {
    schema_version: IMPORT_SCHEMA_VERSION,
    session_id: evalId,
    trajectory_id: `${evalId}/${sampleId}/${epoch}`,
    agent: { name: 'inspect-ai', version: str(packages.inspect_ai) ?? null, model_name: model ?? null },
    steps: builder.steps,
    final_metrics: finalMetrics,
    extra: importExtra(
      'inspect-ai',
      source,
      {
        task: str(evalSpec.task) ?? null,
        task_id: str(evalSpec.task_id) ?? null,
        run_id: str(evalSpec.run_id) ?? null,
        eval_status: str(header.status) ?? null,
        sample_id: sample.id ?? null,
        epoch,
        target: sample.target ?? null,
        ...(scores ? { scores, score: firstScore(scores) } : {}),
        ...(isRecord(sample.metadata) && Object.keys(sample.metadata).length ? { metadata: sample.metadata } : {}),
        // A sample that ended in an error is a failed run (the store's status reads extra.status).
        ...(sample.error ? { error: sample.error, status: 'failed' } : {}),
        ...(num(sample.total_time) !== undefined ? { total_time: sample.total_time } : {}),
      },
      [],
    ),
  };
}

type ContentParts = Array<{ type: 'text' | 'image'; text?: string; source?: { media_type: string; path: string } }>;

/** Inspect content: a string, or parts (text, reasoning, image...). Reasoning goes apart; images keep their URL. */
function messageContent(content: unknown): { text: string; reasoning?: string; parts?: ContentParts } {
  if (typeof content === 'string') return { text: content };
  if (!Array.isArray(content)) return { text: '' };
  const parts: ContentParts = [];
  const reasoning: string[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part.type === 'text') parts.push({ type: 'text', text: str(part.text) ?? '' });
    else if (part.type === 'reasoning') {
      const thought = str(part.reasoning) ?? str(part.summary);
      if (thought) reasoning.push(thought);
    } else if (part.type === 'image') {
      const url = str(part.image) ?? '';
      parts.push({ type: 'image', source: { media_type: url.match(/^data:([^;,]+)/)?.[1] ?? 'image/*', path: url } });
    } else parts.push({ type: 'text', text: JSON.stringify(part) });
  }
  const text = parts.every((p) => p.type === 'text') ? parts.map((p) => p.text).join('\n\n') : '';
  return {
    text,
    ...(reasoning.length ? { reasoning: reasoning.join('\n\n') } : {}),
    ...(parts.some((p) => p.type === 'image') ? { parts } : {}),
  };
}

/** Each model event answers with one assistant message: when the counts agree, the i-th event's usage is the i-th agent step's. */
function attachModelUsage(steps: AtifStep[], events: unknown): void {
  if (!Array.isArray(events)) return;
  const usages = events
    .filter((e): e is Record<string, unknown> => isRecord(e) && e.event === 'model')
    .map((e) => (isRecord(e.output) && isRecord(e.output.usage) ? e.output.usage : undefined));
  const agentSteps = steps.filter((s) => s.source === 'agent');
  if (usages.length !== agentSteps.length) return;
  agentSteps.forEach((step, i) => {
    const usage = usages[i];
    if (!usage) return;
    const cached = num(usage.input_tokens_cache_read);
    // Inspect's providers differ on whether input_tokens counts cache reads: taken as written, the cache counts apart.
    const cacheWrite = num(usage.input_tokens_cache_write);
    addMetrics(step, {
      prompt_tokens: num(usage.input_tokens),
      completion_tokens: num(usage.output_tokens),
      cached_tokens: cached,
      ...(cacheWrite !== undefined ? { extra: { input_tokens_cache_write: cacheWrite } } : {}),
    });
  });
}

/** The first score as a number: numbers as they are, Inspect's C/I/P/N letters as 1, 0, 0.5, 0. */
function firstScore(scores: Record<string, unknown>): number | null {
  const letters: Record<string, number> = { C: 1, I: 0, P: 0.5, N: 0 };
  for (const score of Object.values(scores)) {
    if (!isRecord(score)) continue;
    if (typeof score.value === 'number') return score.value;
    if (typeof score.value === 'boolean') return score.value ? 1 : 0;
    if (typeof score.value === 'string' && score.value in letters) return letters[score.value] ?? null;
  }
  return null;
}
