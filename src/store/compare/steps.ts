/**
 * What the alignment sees of an ATIF step: its keys (what the agent did:
 * source, tool names and arguments, message text; never ids, timestamps or
 * metrics, which differ between any two runs), a short description, and the
 * errors it reports.
 */
import { isRecord } from '../../schema/json.js';
import type { ArgumentChange, StepBrief, ToolCallChange } from '../../contract/compare.js';

/** The parts of a stored ATIF step the comparison reads; documents are loose, so every field is checked. */
export interface LooseStep {
  step_id?: unknown;
  source?: unknown;
  message?: unknown;
  tool_calls?: unknown;
  observation?: unknown;
  extra?: unknown;
  [key: string]: unknown;
}

export interface LooseToolCall {
  name: string;
  arguments: unknown;
  /** canonicalJson(arguments) */
  argumentsKey: string;
}

const BRIEF_TEXT_LENGTH = 200;
const MAX_ARGUMENT_CHANGES = 50;

/** JSON with object keys sorted, so that equal values have equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A message or observation content as plain text: strings as they are, content parts joined, objects as JSON. */
export function plainText(content: unknown): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (isRecord(part) && typeof part.text === 'string') return part.text;
        if (isRecord(part) && isRecord(part.source) && typeof part.source.path === 'string') {
          return `[${String(part.type)}: ${part.source.path}]`;
        }
        return canonicalJson(part);
      })
      .join('\n');
  }
  return canonicalJson(content);
}

export function toolCallsOf(step: LooseStep): LooseToolCall[] {
  if (!Array.isArray(step.tool_calls)) return [];
  return step.tool_calls.filter(isRecord).map((call) => ({
    name: typeof call.function_name === 'string' ? call.function_name : String(call.function_name ?? ''),
    arguments: call.arguments,
    argumentsKey: canonicalJson(call.arguments),
  }));
}

export interface StepKeys {
  /** Everything compared: two steps with the same exact key did the same thing. */
  exact: string;
  /** The kind of step: its source and the set of tools it called (so that reordered or repeated calls match). */
  loose: string;
}

const SEP = '\u0000';
const LIST = '\u0001';

/** `text` is the step's message as plain text (trimmed), computed once by the caller. */
export function stepKeys(step: LooseStep, calls: LooseToolCall[], text: string): StepKeys {
  const source = String(step.source ?? '');
  const loose = `${source}${SEP}${[...new Set(calls.map((c) => c.name))].sort().join(LIST)}`;
  const callKeys = calls.map((c) => `${c.name}${SEP}${c.argumentsKey}`).sort();
  return { loose, exact: `${loose}${SEP}${callKeys.join(LIST)}${SEP}${text}` };
}

const FAILED_STATUS = /^(error|failed|failure)$/i;
const ERROR_TEXT = /^\s*(error|traceback|exception|fatal)\b/i;

/** Whether a step reports an error: an `error` field (on the step or its `extra`), or a failed `status`. */
export function stepHasError(step: LooseStep): boolean {
  return reportsFailure(step) || (isRecord(step.extra) && reportsFailure(step.extra));
}

function reportsFailure(record: Record<string, unknown>): boolean {
  const { error, status, is_error: isError } = record;
  return (
    (error !== undefined && error !== null && error !== false && error !== '') ||
    isError === true ||
    (typeof status === 'string' && FAILED_STATUS.test(status))
  );
}

/**
 * Observation results that report a failure: `is_error`, `error` or a failed
 * `status` on the result, its `extra` or an object content, or text that
 * starts with "Error", "Traceback", "Exception" or "Fatal".
 */
export function failedResultCount(step: LooseStep): number {
  const observation = step.observation;
  if (!isRecord(observation) || !Array.isArray(observation.results)) return 0;
  let failed = 0;
  for (const result of observation.results) {
    if (!isRecord(result)) continue;
    const content = result.content;
    if (
      reportsFailure(result) ||
      (isRecord(result.extra) && reportsFailure(result.extra)) ||
      (isRecord(content) && reportsFailure(content)) ||
      ERROR_TEXT.test(typeof content === 'string' ? content : plainText(content).slice(0, 40))
    ) {
      failed++;
    }
  }
  return failed;
}

export function stepBrief(step: LooseStep, index: number, calls: LooseToolCall[], text: string): StepBrief {
  return {
    stepId: typeof step.step_id === 'number' ? step.step_id : index + 1,
    source: String(step.source ?? ''),
    tools: calls.map((c) => c.name),
    text: text.length > BRIEF_TEXT_LENGTH ? `${text.slice(0, BRIEF_TEXT_LENGTH - 1)}…` : text,
    error: stepHasError(step),
    failedResults: failedResultCount(step),
  };
}

/**
 * How the tool calls of two paired steps differ: calls equal in name and
 * arguments cancel out (in any order, repeats counted); the rest pair by name
 * in order of calling, as argument changes; what is left was added or removed.
 */
export function toolCallChanges(callsA: LooseToolCall[], callsB: LooseToolCall[]): ToolCallChange[] {
  const unmatchedB = new Map<string, LooseToolCall[]>();
  for (const call of callsB) {
    const key = `${call.name}${SEP}${call.argumentsKey}`;
    const list = unmatchedB.get(key);
    if (list) list.push(call);
    else unmatchedB.set(key, [call]);
  }
  const restA: LooseToolCall[] = [];
  for (const call of callsA) {
    const list = unmatchedB.get(`${call.name}${SEP}${call.argumentsKey}`);
    if (list && list.length > 0) list.pop();
    else restA.push(call);
  }
  const restB = callsB.filter((call) => {
    const list = unmatchedB.get(`${call.name}${SEP}${call.argumentsKey}`)!;
    return list.includes(call);
  });
  const changes: ToolCallChange[] = [];
  for (const call of restA) {
    const index = restB.findIndex((other) => other.name === call.name);
    if (index < 0) {
      changes.push({ name: call.name, change: 'removed' });
      continue;
    }
    const [other] = restB.splice(index, 1);
    changes.push({
      name: call.name,
      change: 'arguments',
      arguments: argumentChanges(call.arguments, other!.arguments),
    });
  }
  for (const call of restB) changes.push({ name: call.name, change: 'added' });
  return changes;
}

/** The paths at which two argument values differ (object keys sorted, arrays by index), at most 50. */
export function argumentChanges(a: unknown, b: unknown): ArgumentChange[] {
  const changes: ArgumentChange[] = [];
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (changes.length >= MAX_ARGUMENT_CHANGES) return;
    if (isRecord(x) && isRecord(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
      for (const key of keys) walk(x[key], y[key], path ? `${path}.${key}` : key);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let i = 0; i < Math.max(x.length, y.length); i++) walk(x[i], y[i], `${path}[${i}]`);
      return;
    }
    if (x === undefined && y === undefined) return;
    if (x !== undefined && y !== undefined && canonicalJson(x) === canonicalJson(y)) return;
    changes.push({ path, ...(x === undefined ? {} : { a: x }), ...(y === undefined ? {} : { b: y }) });
  };
  walk(a, b, '');
  return changes;
}
