/**
 * Builds one ATIF trajectory step by step, keeping the reference rules that
 * the store checks: step ids run 1, 2, 3...; agent-only fields stay on agent
 * steps; a tool result names a call of the step it is attached to (so results
 * are attached to the step that made the call, wherever they appear in the log).
 */
import type { Issue } from '../errors.js';
import type { AtifStep, AtifTrajectory } from '../schema/atif.js';
import type { AgentLogFormat } from './types.js';

export type StepInput = Omit<AtifStep, 'step_id'>;
type ToolCall = NonNullable<AtifStep['tool_calls']>[number];
type ObservationResult = NonNullable<AtifStep['observation']>['results'][number];
type StepMetrics = NonNullable<AtifStep['metrics']>;

/** The schema version importers write: v1.7 for trajectory_id and run-scoped session ids; content parts are v1.6. */
export const IMPORT_SCHEMA_VERSION = 'ATIF-v1.7';

export class TrajectoryBuilder {
  readonly steps: AtifStep[] = [];
  private readonly stepByCallId = new Map<string, AtifStep>();

  /** Appends a step with the next id; the tool calls it carries become targets for results. */
  add(step: StepInput): AtifStep {
    const added = { step_id: this.steps.length + 1, ...step } as AtifStep;
    this.steps.push(added);
    for (const call of added.tool_calls ?? []) this.stepByCallId.set(call.tool_call_id, added);
    return added;
  }

  addToolCall(step: AtifStep, call: ToolCall): void {
    if (this.stepByCallId.has(call.tool_call_id)) return; // a log that repeats a call keeps its first copy
    step.tool_calls = [...(step.tool_calls ?? []), call];
    this.stepByCallId.set(call.tool_call_id, step);
  }

  hasCall(callId: string): boolean {
    return this.stepByCallId.has(callId);
  }

  /** Whether the call already has its result (logs that repeat a conversation give it again). */
  hasResult(callId: string): boolean {
    return this.stepByCallId.get(callId)?.observation?.results.some((r) => r.source_call_id === callId) ?? false;
  }

  /**
   * Attaches a tool result to the step that made the call. A result for a call
   * the log never showed goes on the last step without `source_call_id` (its
   * id kept in `extra`), and the caller is told (false) so it can warn.
   */
  addResult(callId: string, result: Omit<ObservationResult, 'source_call_id'>): boolean {
    const owner = this.stepByCallId.get(callId);
    if (owner) {
      pushResult(owner, { source_call_id: callId, ...result });
      return true;
    }
    const last = this.steps.at(-1);
    if (last) pushResult(last, { ...result, extra: { ...(result.extra ?? {}), tool_call_id: callId } });
    return false;
  }

  last(): AtifStep | undefined {
    return this.steps.at(-1);
  }
}

function pushResult(step: AtifStep, result: ObservationResult): void {
  step.observation ??= { results: [] };
  step.observation.results.push(result);
}

/** Adds token counts to a step's metrics (a step merged from several log lines may count several calls). */
export function addMetrics(step: AtifStep, metrics: StepMetrics): void {
  const current = step.metrics ?? {};
  const sum = (a: number | null | undefined, b: number | null | undefined) =>
    a == null && b == null ? undefined : (a ?? 0) + (b ?? 0);
  step.metrics = {
    ...current,
    prompt_tokens: sum(current.prompt_tokens, metrics.prompt_tokens),
    completion_tokens: sum(current.completion_tokens, metrics.completion_tokens),
    cached_tokens: sum(current.cached_tokens, metrics.cached_tokens),
    ...(metrics.extra ? { extra: { ...(current.extra ?? {}), ...metrics.extra } } : {}),
  };
  for (const key of ['prompt_tokens', 'completion_tokens', 'cached_tokens'] as const) {
    if (step.metrics[key] === undefined) delete step.metrics[key];
  }
}

/** Totals of the steps' metrics, for `final_metrics` when a log gives none of its own. */
export function totalsOf(steps: readonly AtifStep[]): AtifTrajectory['final_metrics'] {
  let prompt: number | undefined;
  let completion: number | undefined;
  let cached: number | undefined;
  for (const { metrics } of steps) {
    if (metrics?.prompt_tokens != null) prompt = (prompt ?? 0) + metrics.prompt_tokens;
    if (metrics?.completion_tokens != null) completion = (completion ?? 0) + metrics.completion_tokens;
    if (metrics?.cached_tokens != null) cached = (cached ?? 0) + metrics.cached_tokens;
  }
  return {
    ...(prompt !== undefined ? { total_prompt_tokens: prompt } : {}),
    ...(completion !== undefined ? { total_completion_tokens: completion } : {}),
    ...(cached !== undefined ? { total_cached_tokens: cached } : {}),
    total_steps: steps.length,
  };
}

/**
 * The root `extra` every imported trajectory carries: the format it came from,
 * the file, whatever the log said that ATIF has no place for, and the warnings
 * of this trajectory (so that they stay with it after the import).
 */
export function importExtra(
  format: AgentLogFormat,
  source: { name?: string },
  details: Record<string, unknown>,
  warnings: readonly Issue[],
): Record<string, unknown> {
  return {
    imported_from: { format, ...(source.name ? { file: source.name } : {}) },
    ...details,
    ...(warnings.length > 0 ? { import_warnings: warnings } : {}),
  };
}
