/**
 * From a validated document to the row the store writes: identity, the
 * summary columns (rollups) and the stored JSON; and back from a stored
 * testgen document to the data it was saved from.
 */
import { atifId, type AtifTrajectory } from '../schema/atif.js';
import { isTrajectoryStatus, type TrajectoryStatus } from '../schema/status.js';
import type { TestGenData } from '../schema/testgen.js';
import { normalizeTimestamp } from '../schema/timestamp.js';
import type { TrajectoryColumns } from '../contract/results.js';

/** What the store writes for one document. */
export interface TrajectoryRecord extends TrajectoryColumns {
  /** The document exactly as it was given, as JSON text. */
  json: string;
  testgen?: TestGenColumns;
}

export interface TestGenColumns {
  taskId: string;
  taskDescription: string;
  totalTests: number;
  totalRounds: number;
  categoryRounds: string;
  comprehensivenessScore: number | null;
  totalTokensUsed: number;
  durationMs: number;
  tests: string;
  reflections: string;
  environment: string | null;
  uncertainties: string;
  error: string | null;
}

/** What the original tool stored in `schema_version` and `agent_name` for a testgen row. */
export const TESTGEN_SCHEMA_VERSION = 'testgen-v1.0';
export const TESTGEN_AGENT_NAME = 'testgen';

/**
 * Rollups of an ATIF document. Tokens and cost come from `final_metrics` when
 * it reports them, else from the steps' metrics; null when neither does.
 * Timestamps are normalised to UTC so that they order and group correctly.
 */
export function atifRecord(doc: AtifTrajectory, json: string): TrajectoryRecord {
  let first: string | null = null;
  let last: string | null = null;
  let stepTokens: number | null = null;
  let stepCost: number | null = null;
  let firstAgentModel: string | null = null;
  for (const step of doc.steps) {
    const at = step.timestamp ? normalizeTimestamp(step.timestamp) : null;
    if (at && (first === null || at < first)) first = at;
    if (at && (last === null || at > last)) last = at;
    const m = step.metrics;
    if (m && (m.prompt_tokens != null || m.completion_tokens != null)) {
      stepTokens = (stepTokens ?? 0) + (m.prompt_tokens ?? 0) + (m.completion_tokens ?? 0);
    }
    if (m?.cost_usd != null) stepCost = (stepCost ?? 0) + m.cost_usd;
    if (step.source === 'agent' && firstAgentModel === null && step.model_name) firstAgentModel = step.model_name;
  }
  const fm = doc.final_metrics;
  const reportedTokens =
    fm && (fm.total_prompt_tokens != null || fm.total_completion_tokens != null)
      ? (fm.total_prompt_tokens ?? 0) + (fm.total_completion_tokens ?? 0)
      : null;
  return {
    id: atifId(doc),
    kind: 'atif',
    sessionId: doc.session_id ?? null,
    schemaVersion: doc.schema_version,
    agentName: doc.agent.name,
    agentVersion: doc.agent.version ?? null,
    modelName: doc.agent.model_name ?? firstAgentModel,
    stepCount: doc.steps.length,
    firstStepAt: first,
    lastStepAt: last,
    totalCostUsd: fm?.total_cost_usd ?? stepCost,
    totalTokens: reportedTokens ?? stepTokens,
    status: atifStatus(doc),
    json,
  };
}

/**
 * An ATIF run's status: what its root `extra.status` says when that is one of
 * the vocabulary's words (the HUD recorder writes it), else `complete`.
 */
function atifStatus(doc: AtifTrajectory): TrajectoryStatus {
  const said = doc.extra?.status;
  return isTrajectoryStatus(said) ? said : 'complete';
}

/** camelCase field of the API -> snake_case key of the stored document (the original tool's form). */
const TESTGEN_DOCUMENT_KEYS = {
  sessionId: 'session_id',
  taskId: 'task_id',
  taskDescription: 'task_description',
  modelName: 'model_name',
  status: 'status',
  error: 'error',
  startedAt: 'started_at',
  completedAt: 'completed_at',
  totalTests: 'total_tests',
  totalRounds: 'total_rounds',
  categoryRounds: 'category_rounds',
  comprehensivenessScore: 'comprehensiveness_score',
  totalTokensUsed: 'total_tokens_used',
  durationMs: 'duration_ms',
  tests: 'tests',
  reflections: 'reflections',
  environment: 'environment',
  uncertainties: 'uncertainties',
} as const satisfies Record<keyof TestGenData, string>;

export function testgenDocument(data: TestGenData): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(TESTGEN_DOCUMENT_KEYS)) {
    const value = data[field as keyof TestGenData];
    if (value !== undefined) doc[key] = value;
  }
  return doc;
}

/** The inverse of `testgenDocument`; also reads the documents the original tool stored. */
export function testgenFromDocument(doc: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(TESTGEN_DOCUMENT_KEYS)) {
    if (doc[key] !== undefined) data[field] = doc[key];
  }
  return data;
}

export function testgenRecord(data: TestGenData): TrajectoryRecord {
  const startedAt = data.startedAt ? normalizeTimestamp(data.startedAt) : null;
  const completedAt = data.completedAt ? normalizeTimestamp(data.completedAt) : null;
  return {
    id: data.sessionId,
    kind: 'testgen',
    sessionId: data.sessionId,
    schemaVersion: TESTGEN_SCHEMA_VERSION,
    agentName: TESTGEN_AGENT_NAME,
    agentVersion: null,
    modelName: data.modelName ?? null,
    stepCount: 0,
    firstStepAt: startedAt,
    lastStepAt: completedAt ?? startedAt,
    totalCostUsd: null,
    totalTokens: data.totalTokensUsed,
    status: data.status ?? 'complete',
    json: JSON.stringify(testgenDocument(data)),
    testgen: {
      taskId: data.taskId,
      taskDescription: data.taskDescription,
      totalTests: data.totalTests,
      totalRounds: data.totalRounds,
      categoryRounds: JSON.stringify(data.categoryRounds),
      comprehensivenessScore: data.comprehensivenessScore,
      totalTokensUsed: data.totalTokensUsed,
      durationMs: data.durationMs,
      tests: JSON.stringify(data.tests),
      reflections: JSON.stringify(data.reflections),
      environment: data.environment === undefined ? null : JSON.stringify(data.environment),
      uncertainties: JSON.stringify(data.uncertainties),
      error: data.error ?? null,
    },
  };
}
