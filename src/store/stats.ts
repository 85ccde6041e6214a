/**
 * getStats: counts, steps, tokens, cost and testgen scores, in total and by
 * agent, model and day (the day a run started, else the day it was saved).
 * One grouped query at the finest grain (the per-day rollup of migrations/008
 * where the filter allows); the coarser groups are folded from it.
 */
import type { StatsGroup, TrajectoryStats } from '../contract/results.js';
import type { Connection, Row } from './connection.js';
import { filterCondition, type Condition, type ParsedFilter } from './filters.js';
import { SUMMARY_FROM } from './rows.js';

interface Accumulator {
  count: number;
  stepCount: number;
  totalTokens: number;
  totalCostUsd: number;
  /** Rows whose tokens / cost are known: the sums are over these alone. */
  withTokens: number;
  withCost: number;
  scoreSum: number;
  scored: number;
  minScore: number | null;
  maxScore: number | null;
}

const empty = (): Accumulator => ({
  count: 0,
  stepCount: 0,
  totalTokens: 0,
  totalCostUsd: 0,
  withTokens: 0,
  withCost: 0,
  scoreSum: 0,
  scored: 0,
  minScore: null,
  maxScore: null,
});

function add(into: Accumulator, from: Accumulator): void {
  into.count += from.count;
  into.stepCount += from.stepCount;
  into.totalTokens += from.totalTokens;
  into.totalCostUsd += from.totalCostUsd;
  into.withTokens += from.withTokens;
  into.withCost += from.withCost;
  into.scoreSum += from.scoreSum;
  into.scored += from.scored;
  if (from.minScore !== null)
    into.minScore = into.minScore === null ? from.minScore : Math.min(into.minScore, from.minScore);
  if (from.maxScore !== null)
    into.maxScore = into.maxScore === null ? from.maxScore : Math.max(into.maxScore, from.maxScore);
}

function finish(acc: Accumulator): StatsGroup {
  return {
    count: acc.count,
    stepCount: acc.stepCount,
    // A sum of nothing known is unknown, not 0.
    totalTokens: acc.withTokens > 0 ? acc.totalTokens : null,
    totalCostUsd: acc.withCost > 0 ? acc.totalCostUsd : null,
    countWithTokens: acc.withTokens,
    countWithCost: acc.withCost,
    averageScore: acc.scored > 0 ? acc.scoreSum / acc.scored : null,
    minScore: acc.minScore,
    maxScore: acc.maxScore,
  };
}

function fold<K>(
  cells: ReadonlyArray<{ key: K; acc: Accumulator }>,
  keyOf: (k: K) => string,
): Array<{ key: K; acc: Accumulator }> {
  const groups = new Map<string, { key: K; acc: Accumulator }>();
  for (const cell of cells) {
    const name = keyOf(cell.key);
    let group = groups.get(name);
    if (!group) {
      group = { key: cell.key, acc: empty() };
      groups.set(name, group);
    }
    add(group.acc, cell.acc);
  }
  return [...groups.values()];
}

/** Filters the per-day rollup (migrations/008, 011) answers: the others need the summary rows. */
const ROLLUP_FILTERS = new Set<string>(['agentName', 'modelName', 'startedFrom', 'startedTo']);

/** The rollup's day of a bound on the start that covers whole UTC days, else null (the rows must answer it). */
function wholeDay(instant: string | undefined, time: string): string | null | undefined {
  if (instant === undefined) return undefined;
  return instant.slice(10) === time ? instant.slice(0, 10) : null;
}

/**
 * The days a per-day rollup reads for `filter` (either bound may be open), or null when the filter needs the
 * summary rows: a filter the rollup does not carry, or a bound inside a day. The team server's rollup
 * (migrations-pg/003) answers the same filters, plus its member.
 */
export function rollupDays(filter: ParsedFilter): { fromDay?: string; toDay?: string } | null {
  const fromDay = wholeDay(filter.startedFrom, 'T00:00:00.000Z');
  const toDay = wholeDay(filter.startedTo, 'T23:59:59.999Z');
  const answers =
    fromDay !== null &&
    toDay !== null &&
    Object.entries(filter).every(([key, value]) => value === undefined || ROLLUP_FILTERS.has(key));
  return answers ? { ...(fromDay ? { fromDay } : {}), ...(toDay ? { toDay } : {}) } : null;
}

/** The query of one row per (day, agent, model): the rollup's when the filter allows it, else grouped from the summary rows. */
function cellsQuery(filter: ParsedFilter): Condition {
  const days = rollupDays(filter);
  if (days) {
    const { fromDay, toDay } = days;
    return {
      sql: `SELECT day, agent_name, CASE WHEN has_model THEN model END AS model_name, count, steps, tokens, cost,
         score_sum, scored, min_score, max_score, with_tokens, with_cost
       FROM trajectory_stats_daily
       WHERE (?1 IS NULL OR agent_name = ?1) AND (?2 IS NULL OR (has_model AND model = ?2))
         AND (?3 IS NULL OR day >= ?3) AND (?4 IS NULL OR day <= ?4)
       ORDER BY day, agent_name, has_model, model`,
      params: [filter.agentName ?? null, filter.modelName ?? null, fromDay ?? null, toDay ?? null],
    };
  }
  const where = filterCondition(filter);
  // Only the task filter needs testgen_trajectories; everything else is on the summary rows.
  return {
    sql: `SELECT substr(coalesce(t.first_step_at, t.created_at), 1, 10) AS day, t.agent_name, t.model_name,
       count(*) AS count, total(t.step_count) AS steps, total(t.total_tokens) AS tokens, total(t.total_cost_usd) AS cost,
       total(t.comprehensiveness_score) AS score_sum, count(t.comprehensiveness_score) AS scored,
       min(t.comprehensiveness_score) AS min_score, max(t.comprehensiveness_score) AS max_score,
       count(t.total_tokens) AS with_tokens, count(t.total_cost_usd) AS with_cost
     FROM ${filter.taskId === undefined ? 'trajectories t' : SUMMARY_FROM} WHERE ${where.sql}
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    params: where.params,
  };
}

/**
 * The columns of a cell, in the order getStats reads them: (day, agent_name, model_name, count, steps, tokens, cost,
 * score_sum, scored, min_score, max_score, with_tokens, with_cost: how many rows report tokens and cost).
 */
const CELL_COLUMNS = [
  'day',
  'agent_name',
  'model_name',
  'count',
  'steps',
  'tokens',
  'cost',
  'score_sum',
  'scored',
  'min_score',
  'max_score',
  'with_tokens',
  'with_cost',
] as const;

type Cell = { key: { day: string; agentName: string; modelName: string | null }; acc: Accumulator };

/** A cell from its values in CELL_COLUMNS order. */
function cellOf(values: readonly unknown[]): Cell {
  const [
    day,
    agentName,
    modelName,
    count,
    steps,
    tokens,
    cost,
    scoreSum,
    scored,
    minScore,
    maxScore,
    withTokens,
    withCost,
  ] = values;
  return {
    key: { day: String(day), agentName: String(agentName), modelName: modelName === null ? null : String(modelName) },
    acc: {
      count: Number(count),
      stepCount: Number(steps),
      totalTokens: Number(tokens),
      totalCostUsd: Number(cost),
      withTokens: Number(withTokens),
      withCost: Number(withCost),
      scoreSum: Number(scoreSum),
      scored: Number(scored),
      minScore: minScore === null ? null : Number(minScore),
      maxScore: maxScore === null ? null : Number(maxScore),
    },
  };
}

/**
 * The cells, read as one JSON array of arrays that SQLite builds: a rollup holds a cell per day, agent and model
 * (thousands at 100,000 trajectories), and reading them as rows, value by value through the WASM boundary, cost
 * several times the query (measured: BENCHMARKS.md); arrays are 40% of the text of objects with named keys, and
 * half the time to build and parse. SQLite writes each real number so that it reads back exactly.
 */
function statsCells(conn: Connection, filter: ParsedFilter): Cell[] {
  const { sql, params } = cellsQuery(filter);
  const json = conn.value(`SELECT json_group_array(json_array(${CELL_COLUMNS.join(', ')})) FROM (${sql})`, params);
  return (JSON.parse(String(json)) as unknown[][]).map(cellOf);
}

export function getStats(conn: Connection, filter: ParsedFilter): TrajectoryStats {
  return statsOf(statsCells(conn, filter));
}

/** The stats from rows at the finest grain, named as CELL_COLUMNS: the team server's Postgres query gives these. */
export function statsFromCells(rows: readonly Row[]): TrajectoryStats {
  return statsOf(rows.map((row) => cellOf(CELL_COLUMNS.map((column) => row[column]))));
}

function statsOf(cells: readonly Cell[]): TrajectoryStats {
  const totals = empty();
  for (const cell of cells) add(totals, cell.acc);
  const byCount = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
  return {
    totals: finish(totals),
    byAgent: fold(cells, (k) => k.agentName)
      .map((g) => ({ agentName: g.key.agentName, ...finish(g.acc) }))
      .sort(byCount),
    byModel: fold(cells, (k) => JSON.stringify(k.modelName))
      .map((g) => ({ modelName: g.key.modelName, ...finish(g.acc) }))
      .sort(byCount),
    byDay: fold(cells, (k) => k.day).map((g) => ({ day: g.key.day, ...finish(g.acc) })),
    // Not `{...c.key, ...finish(c.acc)}`: V8 spreads these keys about 30 times slower (0.17 s for 9,000 cells).
    byDayAgentModel: cells.map(({ key, acc }) =>
      Object.assign({ day: key.day, agentName: key.agentName, modelName: key.modelName }, finish(acc)),
    ),
  };
}
