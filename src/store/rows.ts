/**
 * The summary of a stored trajectory: the columns every list, search and
 * export reads, and their mapping to the public shape.
 */
import { isTrajectoryStatus } from '../schema/status.js';
import type { Row } from './connection.js';
import type { TrajectorySummary } from '../contract/results.js';

/** `t` is trajectories, `g` the LEFT JOINed testgen_trajectories. */
export const SUMMARY_COLUMNS = `t.seq, t.id, t.kind, t.session_id, t.schema_version, t.agent_name, t.agent_version,
  t.model_name, t.step_count, t.first_step_at, t.last_step_at, t.total_cost_usd, t.total_tokens,
  t.status, t.conformant, t.created_at, t.updated_at, g.task_id, g.total_tests, t.comprehensiveness_score`;

export const TESTGEN_JOIN = 'LEFT JOIN testgen_trajectories g ON g.id = t.id';
export const SUMMARY_FROM = `trajectories t ${TESTGEN_JOIN}`;

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export function rowToSummary(row: Row): TrajectorySummary {
  const summary: TrajectorySummary = {
    id: String(row.id),
    kind: row.kind === 'testgen' ? 'testgen' : 'atif',
    sessionId: text(row.session_id),
    schemaVersion: String(row.schema_version),
    agentName: String(row.agent_name),
    agentVersion: text(row.agent_version),
    modelName: text(row.model_name),
    stepCount: Number(row.step_count),
    firstStepAt: text(row.first_step_at),
    lastStepAt: text(row.last_step_at),
    totalCostUsd: num(row.total_cost_usd),
    totalTokens: num(row.total_tokens),
    status: isTrajectoryStatus(row.status) ? row.status : 'complete',
    conformant: row.conformant !== 0,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
  if (summary.kind === 'testgen' && row.task_id !== null && row.task_id !== undefined) {
    summary.taskId = String(row.task_id);
    summary.totalTests = Number(row.total_tests);
    summary.comprehensivenessScore = num(row.comprehensiveness_score);
  }
  return summary;
}
