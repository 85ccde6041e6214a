/**
 * ATIF (Agent Trajectory Interchange Format) v1.0 to v1.8, as the spec says and
 * as agents really write it: every object keeps unknown fields, `message` and
 * observation `content` may be arbitrary JSON objects, optional fields may be
 * null, timestamps may lack a zone.
 *
 * The schemas below describe a conformant document. What departs from them is
 * a warning, not a refusal (see atif-findings.ts): the store keeps every
 * document it can, as it was written.
 */
import { z } from 'zod';

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

/** A conformant document (loose: extra fields are allowed everywhere). */
export const AtifTrajectorySchema: z.ZodType<AtifTrajectory> = AtifTrajectoryBase.extend({
  subagent_trajectories: z.array(z.lazy(() => AtifTrajectorySchema)).nullish(),
});

export type AtifStep = z.infer<typeof AtifStep>;
