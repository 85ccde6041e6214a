/**
 * What the store finds in an ATIF document, in two tiers.
 *
 * - **Refusals**: the document cannot be stored meaningfully. It is not a JSON
 *   object, it has no `steps` array, or nothing in `steps` is a step (an
 *   object). Only these stop a save.
 * - **Warnings**: every other departure from the spec: the structure of
 *   AtifTrajectorySchema, the reference rules (step ids run 1, 2, 3...;
 *   timestamps parse; agent-only fields on agent steps only; each
 *   `source_call_id` answers a `tool_call_id` of its step), and the rules the
 *   reference validator implies (a non-empty `steps`, a text part with `text`,
 *   an image part with `source`, no metrics on a step that made no LLM call,
 *   embedded sub-agents with distinct `trajectory_id`s, sub-agent references
 *   that resolve), and known fields under a misspelt name (`agent.model`).
 *   A document with warnings is stored as written and marked non-conformant;
 *   `strict: true` refuses it instead.
 *
 * Every finding carries the path of what it is about, and all are reported at once.
 */
import type { Issue } from '../errors.js';
import { AtifTrajectorySchema } from './atif.js';
import { joinPath, zodIssues } from './issues.js';
import { idProblem, isRecord } from './json.js';
import { type QuickAccept, quickAcceptor } from './quick-accept.js';
import { normalizeTimestamp } from './timestamp.js';

/**
 * A conformant document's structure is known at once; zod is asked only about the others, and says why. Built at
 * the first check rather than when the module loads: a store's worker starts without checking a document (6-8 ms
 * of its start, measured).
 */
let conformantStructure: QuickAccept | undefined;
function isConformantStructure(value: unknown): boolean {
  conformantStructure ??= quickAcceptor(AtifTrajectorySchema);
  return conformantStructure(value);
}

export interface AtifFindings {
  /** Why the document cannot be stored at all; empty when it can. */
  refusals: Issue[];
  /** Departures from the spec: the document is stored as written, marked non-conformant. */
  warnings: Issue[];
}

export function atifFindings(input: unknown): AtifFindings {
  const refusals = atifRefusals(input);
  if (refusals.length > 0 || !isRecord(input)) return { refusals, warnings: [] };
  return { refusals, warnings: atifWarnings(input) };
}

/** Every finding of both tiers, for callers that accept only conformant documents (`strict`, HUD steps). */
export function atifIssues(input: unknown): Issue[] {
  const { refusals, warnings } = atifFindings(input);
  return [...refusals, ...warnings];
}

function atifRefusals(input: unknown): Issue[] {
  if (!isRecord(input)) {
    return [{ path: '', message: 'must be a JSON object (an ATIF trajectory): there is nothing to store' }];
  }
  if (!Array.isArray(input.steps)) {
    return [{ path: 'steps', message: 'must be an array of steps: without one there is no trajectory to store' }];
  }
  if (input.steps.length > 0 && !input.steps.some(isRecord)) {
    return [{ path: 'steps', message: 'holds nothing that is a step (no element is an object)' }];
  }
  return idRefusals(input);
}

/** The fields a stored id comes from (documents.ts `atifId`) must be storable as one. */
function idRefusals(input: Record<string, unknown>): Issue[] {
  return (['trajectory_id', 'session_id'] as const).flatMap((field) => {
    const value = input[field];
    const problem = typeof value === 'string' && value !== '' ? idProblem(value) : null;
    return problem ? [{ path: field, message: problem }] : [];
  });
}

function atifWarnings(input: Record<string, unknown>): Issue[] {
  const warnings: Issue[] = [];
  try {
    const structural = isConformantStructure(input)
      ? { success: true as const }
      : AtifTrajectorySchema.safeParse(input);
    if (!structural.success) warnings.push(...zodIssues(structural.error));
  } catch (error) {
    // Sub-agents nested thousands deep overflow the recursive schema: report it, keep the document.
    warnings.push({ path: '', message: `could not be checked in full (${(error as Error).message})` });
  }
  warnings.push(...referenceWarnings(input));
  warnings.push(...misspeltFields(input));
  return warnings;
}

const AGENT_ONLY_FIELDS = ['model_name', 'reasoning_effort', 'reasoning_content', 'tool_calls', 'metrics'] as const;

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** `ATIF-v1.6` -> 6; also reads the loose forms real files carry (`1.4`, `v1.0`); undefined if none. */
export function atifMinorVersion(version: unknown): number | undefined {
  if (typeof version !== 'string') return undefined;
  const match = /^(?:ATIF-)?v?1\.(\d+)$/i.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

/** The cross-field rules, read defensively from raw input, for the root and every embedded sub-agent. */
function referenceWarnings(root: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  const seenTrajectoryIds = new Map<string, string>();
  // Breadth-first over embedded sub-agents: no recursion, whatever the depth.
  const queue: Array<{ doc: unknown; at: string }> = [{ doc: root, at: '' }];
  while (queue.length > 0) {
    const { doc, at } = queue.shift()!;
    if (!isRecord(doc)) continue;
    const add = (path: string, message: string) => issues.push({ path: joinPath(at, path), message });
    documentRules(doc, at === '', add);
    if (typeof doc.trajectory_id === 'string') {
      const first = seenTrajectoryIds.get(doc.trajectory_id);
      if (first !== undefined) {
        add('trajectory_id', `repeats ${JSON.stringify(doc.trajectory_id)} (also at ${first || 'the root'})`);
      } else seenTrajectoryIds.set(doc.trajectory_id, at);
    }
    if (Array.isArray(doc.subagent_trajectories)) {
      doc.subagent_trajectories.forEach((child: unknown, i) => {
        const childAt = joinPath(at, `subagent_trajectories[${i}]`);
        if (isRecord(child) && !present(child.trajectory_id)) {
          issues.push({
            path: joinPath(childAt, 'trajectory_id'),
            message: 'is missing: an embedded sub-agent trajectory needs one for references to find it',
          });
        }
        queue.push({ doc: child, at: childAt });
      });
    }
  }
  return issues;
}

function documentRules(doc: Record<string, unknown>, isRoot: boolean, add: (path: string, message: string) => void) {
  const version = doc.schema_version;
  const minor = atifMinorVersion(version);
  if (isRoot && !present(doc.session_id) && !present(doc.trajectory_id)) {
    if (minor !== undefined && minor < 7) add('session_id', `is required in ${String(version)}`);
    else
      add('trajectory_id', 'is missing, and so is session_id: the store gives the trajectory an id from its content');
  }
  const steps = Array.isArray(doc.steps) ? doc.steps : [];
  if (Array.isArray(doc.steps) && steps.length === 0) add('steps', 'is empty: a trajectory has at least one step');

  const embeddedIds = new Set(
    (Array.isArray(doc.subagent_trajectories) ? doc.subagent_trajectories : [])
      .map((child: unknown) => (isRecord(child) ? child.trajectory_id : undefined))
      .filter((id): id is string => typeof id === 'string'),
  );
  /** Which step each tool_call_id belongs to, for a more helpful message when a result names another step's call. */
  const callSteps = new Map<string, number>();

  steps.forEach((step: unknown, i) => {
    if (!isRecord(step)) return;
    const path = `steps[${i}]`;
    if (typeof step.step_id === 'number' && step.step_id !== i + 1) {
      add(`${path}.step_id`, `must be ${i + 1}: step ids run from 1 in order (found ${step.step_id})`);
    }
    if (typeof step.timestamp === 'string' && normalizeTimestamp(step.timestamp) === null) {
      add(`${path}.timestamp`, `is not an ISO 8601 timestamp: ${JSON.stringify(step.timestamp.slice(0, 40))}`);
    }
    if (step.source !== 'agent') {
      for (const field of AGENT_ONLY_FIELDS) {
        if (present(step[field]))
          add(`${path}.${field}`, `is allowed only on agent steps (source is ${JSON.stringify(step.source)})`);
      }
    }
    if (step.llm_call_count === 0 && present(step.metrics)) {
      add(`${path}.metrics`, 'is given although llm_call_count is 0 (no LLM call, so nothing to measure)');
    }
    contentPartRules(step.message, `${path}.message`, add);

    const callIds = new Set<string>();
    if (Array.isArray(step.tool_calls)) {
      step.tool_calls.forEach((call: unknown, j) => {
        if (!isRecord(call) || typeof call.tool_call_id !== 'string') return;
        if (callIds.has(call.tool_call_id))
          add(`${path}.tool_calls[${j}].tool_call_id`, `repeats ${JSON.stringify(call.tool_call_id)}`);
        callIds.add(call.tool_call_id);
      });
    }
    const results =
      isRecord(step.observation) && Array.isArray(step.observation.results) ? step.observation.results : [];
    results.forEach((result: unknown, j) => {
      if (!isRecord(result)) return;
      const at = `${path}.observation.results[${j}]`;
      contentPartRules(result.content, `${at}.content`, add);
      if (typeof result.source_call_id === 'string' && !callIds.has(result.source_call_id)) {
        const other = callSteps.get(result.source_call_id);
        add(
          `${at}.source_call_id`,
          `${JSON.stringify(result.source_call_id)} matches no tool_call_id of this step` +
            (other === undefined ? '' : ` (it names a tool call of steps[${other}])`),
        );
      }
      if (Array.isArray(result.subagent_trajectory_ref)) {
        result.subagent_trajectory_ref.forEach((ref: unknown, k) => {
          const refAt = `${at}.subagent_trajectory_ref[${k}]`;
          if (!isRecord(ref)) return;
          if (!present(ref.session_id) && !present(ref.trajectory_id) && !present(ref.trajectory_path)) {
            add(refAt, 'names no trajectory (no session_id, trajectory_id or trajectory_path)');
          } else if (
            typeof ref.trajectory_id === 'string' &&
            !present(ref.trajectory_path) &&
            embeddedIds.size > 0 &&
            !embeddedIds.has(ref.trajectory_id)
          ) {
            add(
              `${refAt}.trajectory_id`,
              `${JSON.stringify(ref.trajectory_id)} matches no embedded subagent trajectory and no trajectory_path is given`,
            );
          }
        });
      }
    });
    for (const id of callIds) if (!callSteps.has(id)) callSteps.set(id, i);
  });
}

/** Content parts (v1.6+): a text part carries `text`, an image part a `source`. */
function contentPartRules(content: unknown, at: string, add: (path: string, message: string) => void): void {
  if (!Array.isArray(content)) return;
  content.forEach((part: unknown, i) => {
    if (!isRecord(part)) return;
    if (part.type === 'text' && typeof part.text !== 'string') add(`${at}[${i}].text`, 'is missing from a text part');
    if (part.type === 'image' && !isRecord(part.source)) add(`${at}[${i}].source`, 'is missing from an image part');
  });
}

/** The known fields of each kind of ATIF object. */
const KNOWN_FIELDS = {
  root: [
    'schema_version',
    'session_id',
    'trajectory_id',
    'agent',
    'steps',
    'notes',
    'final_metrics',
    'continued_trajectory_ref',
    'extra',
    'subagent_trajectories',
  ],
  agent: ['name', 'version', 'model_name', 'tool_definitions', 'extra'],
  step: [
    'step_id',
    'timestamp',
    'source',
    'message',
    'model_name',
    'reasoning_effort',
    'reasoning_content',
    'tool_calls',
    'metrics',
    'observation',
    'llm_call_count',
    'is_copied_context',
    'extra',
  ],
  toolCall: ['tool_call_id', 'function_name', 'arguments', 'extra'],
  metrics: [
    'prompt_tokens',
    'completion_tokens',
    'cached_tokens',
    'cost_usd',
    'prompt_token_ids',
    'completion_token_ids',
    'logprobs',
    'extra',
  ],
  finalMetrics: [
    'total_prompt_tokens',
    'total_completion_tokens',
    'total_cached_tokens',
    'total_cost_usd',
    'total_steps',
    'extra',
  ],
  result: ['source_call_id', 'content', 'subagent_trajectory_ref', 'extra'],
} as const;

/** Other names producers use for a known field (compared after normalising case, `-` and `_`). */
const ALIASES: Readonly<Record<string, string>> = {
  model: 'model_name',
  modelname: 'model_name',
  schema: 'schema_version',
  version: 'schema_version',
  sessionid: 'session_id',
  trajectoryid: 'trajectory_id',
  stepid: 'step_id',
  toolcalls: 'tool_calls',
  toolcallid: 'tool_call_id',
  functionname: 'function_name',
  args: 'arguments',
  reasoning: 'reasoning_content',
  finalmetrics: 'final_metrics',
  sourcecallid: 'source_call_id',
};

const normalize = (key: string) => key.toLowerCase().replace(/[-_\s]/g, '');

/** Levenshtein distance, stopping early past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known field that an unknown `key` most likely means, if any. */
function meantField(key: string, known: readonly string[]): string | undefined {
  if (known.includes(key)) return undefined;
  const n = normalize(key);
  const alias = ALIASES[n];
  if (alias && known.includes(alias)) return alias;
  const byForm = known.find((field) => normalize(field) === n);
  if (byForm) return byForm;
  if (n.length < 5) return undefined;
  return known.find((field) => editDistance(n, normalize(field), 2) <= 2);
}

function misspeltIn(object: unknown, known: readonly string[], at: string, out: Issue[]): void {
  if (!isRecord(object)) return;
  for (const key of Object.keys(object)) {
    const meant = meantField(key, known);
    // `agent.version` is a known agent field, not a misspelt schema_version: only flag a field that is not itself known there.
    if (meant && !(meant in object)) {
      out.push({ path: joinPath(at, key), message: `is not an ATIF field: did you mean ${meant}?` });
    }
  }
}

/** Known fields under another name: stored as written, reported so that the producer can fix them. */
function misspeltFields(root: Record<string, unknown>): Issue[] {
  const out: Issue[] = [];
  misspeltIn(root, KNOWN_FIELDS.root, '', out);
  misspeltIn(root.agent, KNOWN_FIELDS.agent, 'agent', out);
  misspeltIn(root.final_metrics, KNOWN_FIELDS.finalMetrics, 'final_metrics', out);
  const steps = Array.isArray(root.steps) ? root.steps : [];
  steps.forEach((step: unknown, i) => {
    if (!isRecord(step)) return;
    const at = `steps[${i}]`;
    misspeltIn(step, KNOWN_FIELDS.step, at, out);
    misspeltIn(step.metrics, KNOWN_FIELDS.metrics, `${at}.metrics`, out);
    if (Array.isArray(step.tool_calls)) {
      step.tool_calls.forEach((call: unknown, j) => {
        misspeltIn(call, KNOWN_FIELDS.toolCall, `${at}.tool_calls[${j}]`, out);
      });
    }
    if (isRecord(step.observation) && Array.isArray(step.observation.results)) {
      step.observation.results.forEach((result: unknown, j) => {
        misspeltIn(result, KNOWN_FIELDS.result, `${at}.observation.results[${j}]`, out);
      });
    }
  });
  return out;
}
