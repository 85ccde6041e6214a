/**
 * ATIF (Agent Trajectory Interchange Format) v1.0 to v1.8, as the spec says and
 * as agents really write it: every object keeps unknown fields, `message` and
 * observation `content` may be arbitrary JSON objects, optional fields may be
 * null, timestamps may lack a zone.
 *
 * Structure is checked by the zod schemas below; the reference rules that span
 * fields (step numbering, agent-only fields, tool-call references) by
 * `atifReferenceIssues`, which reads the raw input so that it can report its
 * findings together with the structural ones.
 */
import { z } from 'zod';
import type { Issue } from '../errors.js';
import { joinPath, zodIssues } from './issues.js';
import { normalizeTimestamp } from './timestamp.js';
import { isRecord } from './json.js';

export const ATIF_VERSION_PATTERN = /^ATIF-v1\.[0-8]$/;

const JsonObject = z.record(z.string(), z.unknown());
const NonNegativeInt = z.int().min(0);

const ContentPart = z.looseObject({
  type: z.enum(['text', 'image', 'audio']),
  text: z.string().nullish(),
  source: z.looseObject({ media_type: z.string(), path: z.string() }).nullish(),
});

/** A message or an observation's content: text, content parts (v1.6+), or any JSON object (real-world agents). */
const Content = z.union([z.string(), z.array(ContentPart), JsonObject], {
  error: 'must be a string, an array of content parts ({type, text?, source?}), or an object',
});

const ToolCall = z.looseObject({
  tool_call_id: z.string().min(1),
  function_name: z.string().min(1),
  arguments: z.union([JsonObject, z.string()]),
  extra: JsonObject.nullish(),
});

const StepMetrics = z.looseObject({
  prompt_tokens: NonNegativeInt.nullish(),
  completion_tokens: NonNegativeInt.nullish(),
  cached_tokens: NonNegativeInt.nullish(),
  cost_usd: z.number().min(0).nullish(),
  prompt_token_ids: z.array(z.int()).nullish(),
  completion_token_ids: z.array(z.int()).nullish(),
  logprobs: z.array(z.number()).nullish(),
  extra: JsonObject.nullish(),
});

const SubagentRef = z.looseObject({
  session_id: z.string().nullish(),
  trajectory_id: z.string().nullish(),
  trajectory_path: z.string().nullish(),
});

const ObservationResult = z.looseObject({
  source_call_id: z.string().nullish(),
  content: Content.nullish(),
  subagent_trajectory_ref: z.array(SubagentRef).nullish(),
  extra: JsonObject.nullish(),
});

export const AtifStep = z.looseObject({
  step_id: z.int().min(1),
  timestamp: z.string().nullish(),
  source: z.enum(['system', 'user', 'agent']),
  message: Content,
  model_name: z.string().nullish(),
  reasoning_effort: z.union([z.string(), z.number()]).nullish(),
  reasoning_content: z.string().nullish(),
  tool_calls: z.array(ToolCall).nullish(),
  metrics: StepMetrics.nullish(),
  observation: z.looseObject({ results: z.array(ObservationResult) }).nullish(),
  llm_call_count: NonNegativeInt.nullish(),
  is_copied_context: z.boolean().nullish(),
  extra: JsonObject.nullish(),
});

const FinalMetrics = z.looseObject({
  total_prompt_tokens: NonNegativeInt.nullish(),
  total_completion_tokens: NonNegativeInt.nullish(),
  total_cached_tokens: NonNegativeInt.nullish(),
  total_cost_usd: z.number().min(0).nullish(),
  total_steps: NonNegativeInt.nullish(),
  extra: JsonObject.nullish(),
});

const AtifAgent = z.looseObject({
  name: z.string().min(1),
  version: z.string().nullish(),
  model_name: z.string().nullish(),
  tool_definitions: z.array(JsonObject).nullish(),
  extra: JsonObject.nullish(),
});

export interface AtifTrajectory extends z.infer<typeof AtifTrajectoryBase> {
  subagent_trajectories?: AtifTrajectory[] | null | undefined;
}

const AtifTrajectoryBase = z.looseObject({
  schema_version: z.string().regex(ATIF_VERSION_PATTERN, 'must be an ATIF version from ATIF-v1.0 to ATIF-v1.8'),
  session_id: z.string().min(1).nullish(),
  trajectory_id: z.string().min(1).nullish(),
  agent: AtifAgent,
  steps: z.array(AtifStep),
  notes: z.string().nullish(),
  final_metrics: FinalMetrics.nullish(),
  continued_trajectory_ref: z.union([z.string(), JsonObject]).nullish(),
  extra: JsonObject.nullish(),
});

export const AtifTrajectorySchema: z.ZodType<AtifTrajectory> = AtifTrajectoryBase.extend({
  subagent_trajectories: z.array(z.lazy(() => AtifTrajectorySchema)).nullish(),
});

export type AtifStep = z.infer<typeof AtifStep>;

/** The store's identity of an ATIF document: its trajectory_id (v1.7), else its session_id. */
export function atifId(doc: Pick<AtifTrajectory, 'trajectory_id' | 'session_id'>): string {
  const id = doc.trajectory_id ?? doc.session_id;
  if (!id) throw new Error('validated ATIF document without an id');
  return id;
}

/** Every problem with `input` as an ATIF trajectory: structure and reference rules, each with its path. */
export function atifIssues(input: unknown): Issue[] {
  const structural = AtifTrajectorySchema.safeParse(input);
  const issues = structural.success ? [] : zodIssues(structural.error);
  return [...issues, ...atifReferenceIssues(input, '')];
}

const AGENT_ONLY_FIELDS = ['model_name', 'reasoning_effort', 'reasoning_content', 'tool_calls', 'metrics'] as const;

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** The reference validator's cross-field rules, read defensively from raw input. */
function atifReferenceIssues(input: unknown, at: string): Issue[] {
  if (!isRecord(input)) return [];
  const issues: Issue[] = [];
  const add = (path: string, message: string) => issues.push({ path: joinPath(at, path), message });

  const version = typeof input.schema_version === 'string' ? input.schema_version : '';
  const minor = ATIF_VERSION_PATTERN.test(version) ? Number(version.slice('ATIF-v1.'.length)) : undefined;
  if (!present(input.session_id) && !present(input.trajectory_id)) {
    if (minor !== undefined && minor < 7) add('session_id', `is required in ${version}`);
    else add('trajectory_id', 'a trajectory needs a trajectory_id or a session_id');
  }

  const steps = Array.isArray(input.steps) ? input.steps : [];
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
      if (!isRecord(result) || typeof result.source_call_id !== 'string') return;
      if (!callIds.has(result.source_call_id)) {
        add(
          `${path}.observation.results[${j}].source_call_id`,
          `${JSON.stringify(result.source_call_id)} matches no tool_call_id of this step`,
        );
      }
    });
  });

  if (Array.isArray(input.subagent_trajectories)) {
    input.subagent_trajectories.forEach((child: unknown, i) => {
      issues.push(...atifReferenceIssues(child, joinPath(at, `subagent_trajectories[${i}]`)));
    });
  }
  return issues;
}
