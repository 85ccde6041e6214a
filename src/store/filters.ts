/**
 * The filters of a query as one SQL condition over `t` (trajectories) and `g`
 * (testgen_trajectories), with every value bound.
 */
import type { SqlValue } from '@sqlite.org/sqlite-wasm';
import type { z } from 'zod';
import type { TrajectoryFilterSchema } from '../schema/query.js';

export type ParsedFilter = z.output<typeof TrajectoryFilterSchema>;

export interface Condition {
  sql: string;
  params: SqlValue[];
}

const FILTER_SQL: { [K in keyof Required<ParsedFilter>]: string } = {
  sessionId: 't.session_id = ?',
  agentName: 't.agent_name = ?',
  modelName: 't.model_name = ?',
  schemaVersion: 't.schema_version = ?',
  kind: 't.kind = ?',
  status: 't.status = ?',
  conformant: 't.conformant = ?',
  taskId: 'g.task_id = ?',
  createdFrom: 't.created_at >= ?',
  createdTo: 't.created_at <= ?',
  startedFrom: 'coalesce(t.first_step_at, t.created_at) >= ?',
  startedTo: 'coalesce(t.first_step_at, t.created_at) <= ?',
  minCostUsd: 't.total_cost_usd >= ?',
  maxCostUsd: 't.total_cost_usd <= ?',
  minScore: 't.comprehensiveness_score >= ?',
  maxScore: 't.comprehensiveness_score <= ?',
};

export function filterCondition(filter: ParsedFilter): Condition {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const [key, sql] of Object.entries(FILTER_SQL)) {
    const value = filter[key as keyof ParsedFilter];
    if (value === undefined) continue;
    parts.push(sql);
    params.push(typeof value === 'boolean' ? Number(value) : value);
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1', params };
}

export function and(...conditions: Condition[]): Condition {
  const kept = conditions.filter((c) => c.sql !== '1');
  return {
    sql: kept.length > 0 ? kept.map((c) => `(${c.sql})`).join(' AND ') : '1',
    params: kept.flatMap((c) => c.params),
  };
}
