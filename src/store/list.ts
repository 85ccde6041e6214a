/** listTrajectories: filtered, ordered, keyset-paged summaries. */
import { DEFAULT_PAGE_SIZE, type OrderBy, type ParsedQuery } from '../schema/query.js';
import type { Connection, Row } from './connection.js';
import { afterCursor, encodeCursor, orderClause, type Ordering } from './cursor.js';
import { and, filterCondition, type Condition } from './filters.js';
import type { Page, TrajectorySummary } from '../contract/results.js';
import { rowToSummary, SUMMARY_COLUMNS, SUMMARY_FROM } from './rows.js';

/**
 * Nullable keys sort as '' or -1 so that every row has a comparable key. The
 * indexes of migrations/005 are on these very expressions.
 */
const SORT_EXPRESSIONS: Record<OrderBy, string> = {
  createdAt: 't.created_at',
  updatedAt: 't.updated_at',
  firstStepAt: "coalesce(t.first_step_at, '')",
  lastStepAt: "coalesce(t.last_step_at, '')",
  stepCount: 't.step_count',
  totalTokens: 'coalesce(t.total_tokens, -1)',
  totalCostUsd: 'coalesce(t.total_cost_usd, -1)',
  comprehensivenessScore: 'coalesce(t.comprehensiveness_score, -1)',
};

export function orderingOf(query: Pick<ParsedQuery, 'orderBy' | 'order'>): Ordering {
  const name = query.orderBy ?? 'createdAt';
  return { name, expression: SORT_EXPRESSIONS[name], direction: query.order ?? 'desc' };
}

/**
 * One page of rows in `ordering`, restricted by `where`. `from` and `columns`
 * may add joins and columns (search adds its index); every row keeps `seq`
 * and `sort_key` for the cursor.
 */
export function selectPage(
  conn: Connection,
  spec: {
    columns: string;
    from: string;
    where: Condition;
    ordering: Ordering;
    limit?: number | undefined;
    cursor?: string | undefined;
  },
): { rows: Row[]; nextCursor?: string } {
  const limit = spec.limit ?? DEFAULT_PAGE_SIZE;
  const where = and(spec.where, afterCursor(spec.ordering, spec.cursor));
  const rows = conn.all(
    `SELECT ${spec.columns}, ${spec.ordering.expression} AS sort_key FROM ${spec.from}
     WHERE ${where.sql} ${orderClause(spec.ordering)} LIMIT ?`,
    [...where.params, limit + 1],
  );
  return trimPage(rows, limit, spec.ordering);
}

/**
 * Rows fetched with LIMIT limit + 1: the page, and a cursor when the extra row shows that more follow. A
 * ranked search's rows also carry `window_top`, the ranking window the cursor must name (search.ts).
 */
export function trimPage(rows: Row[], limit: number, ordering: Ordering): { rows: Row[]; nextCursor?: string } {
  if (rows.length <= limit) return { rows };
  rows.length = limit;
  const last = rows[limit - 1]!;
  const window = last.window_top === undefined ? undefined : Number(last.window_top);
  return { rows, nextCursor: encodeCursor(ordering, last.sort_key ?? null, Number(last.seq), window) };
}

export function listTrajectories(conn: Connection, query: ParsedQuery): Page<TrajectorySummary> {
  const { rows, nextCursor } = selectPage(conn, {
    columns: SUMMARY_COLUMNS,
    from: SUMMARY_FROM,
    where: filterCondition(query),
    ordering: orderingOf(query),
    limit: query.limit,
    cursor: query.cursor,
  });
  return { items: rows.map(rowToSummary), ...(nextCursor ? { nextCursor } : {}) };
}
