/**
 * The team's trajectories read back: list, search, one document, stats. The
 * filters, orderings, cursors, query language and stats folding are the
 * local store's own (src/store); only what differs in Postgres is here: the
 * words index is a tsvector (GIN), the unsegmented text a pg_trgm index.
 */
import { z } from 'zod';
import type { Page, SearchHit, TrajectoryStats, TrajectorySummary } from '../contract/results.js';
import { TrajectoryStoreError } from '../errors.js';
import { DEFAULT_PAGE_SIZE, ORDER_BY, TrajectoryFilterSchema, TrajectoryQuerySchema } from '../schema/query.js';
import { afterCursor, orderClause, type Ordering } from '../store/cursor.js';
import { testgenFromDocument } from '../store/documents.js';
import { and, type Condition, filterCondition } from '../store/filters.js';
import { orderingOf, trimPage } from '../store/list.js';
import { rowToSummary, SUMMARY_COLUMNS } from '../store/rows.js';
import { idTerms } from '../store/search.js';
import { searchSnippet } from '../store/search-snippet.js';
import { likePattern, parseSearch, type SearchPlan, type SearchTerm } from '../store/search-query.js';
import { rollupDays, statsFromCells } from '../store/stats.js';
import type { Row } from '../store/connection.js';
import { type Db, type PgRow, query, where } from './sql.js';

const FROM = 'team_trajectories t LEFT JOIN team_testgen g ON g.seq = t.seq';
const CONFIG = "'trajectory_text'";
/**
 * Snippets are cut in JS from the start of a page row's text (the local store's searchSnippet): Postgres's ts_headline re-parses each whole document, and cost more than the search itself.
 */
const SNIPPET_SOURCE_CHARS = 20_000;

/** Whose trajectories: everyone's (the team's) unless `member` names one. */
const MemberFilter = { member: z.string().optional() };
export const TeamQuerySchema = TrajectoryQuerySchema.extend(MemberFilter);
/** Search may also be ordered by `rank` (relevance, among the newest matches: see searchTeamTrajectories). */
export const TeamSearchSchema = TeamQuerySchema.extend({
  text: z.string().max(10_000),
  orderBy: z.enum(['rank', ...ORDER_BY]).optional(),
});
export const TeamFilterSchema = TrajectoryFilterSchema.extend(MemberFilter);
export type TeamQuery = z.output<typeof TeamQuerySchema>;
export type TeamSearch = Omit<z.output<typeof TeamSearchSchema>, 'text'>;
export type TeamFilter = z.output<typeof TeamFilterSchema>;

/** A summary on the server says whose it is. */
export type TeamSummary = TrajectorySummary & { member: string };
export type TeamSearchHit = SearchHit & { member: string };

function teamFilter(filter: TeamFilter): Condition {
  const { member, ...rest } = filter;
  return and(
    filterCondition(rest),
    member === undefined ? { sql: '1', params: [] } : { sql: 't.member = ?', params: [member] },
  );
}

const toTeamSummary = (row: PgRow): TeamSummary => ({ ...rowToSummary(row as Row), member: String(row.member) });

/**
 * One page in `ordering`: the inner query computes `sort_key` (any expression, with its own parameters)
 * and pages on it with the store's cursor, reading nothing but seq and the key; only the page's rows are
 * then read whole (their text for snippets included), never every match's.
 *
 * `readAll` reads every matching row and sorts them (a materialized CTE: the planner then finds the rows by
 * the best index for the condition, such as the words index) instead of letting the planner walk the
 * ordering's index until a page of rows passes the condition: the cheaper choice when matches are few
 * (see FEW_MATCHES). The rows, their order and the cursors are the same either way.
 */
async function selectPage(
  db: Db,
  spec: {
    sortKey: Condition;
    /** The rows to page through (default: every trajectory with its testgen row). */
    from?: Condition;
    extraColumns?: string;
    where: Condition;
    ordering: Ordering;
    limit: number;
    cursor?: string | undefined;
    readAll?: boolean;
  },
): Promise<{ rows: PgRow[]; nextCursor?: string }> {
  const ordering: Ordering = { ...spec.ordering, expression: 's.sort_key', seq: 's.seq' };
  const after = afterCursor(ordering, spec.cursor);
  const from = spec.from ?? { sql: FROM, params: [] };
  const matches = `SELECT t.seq AS seq, ${spec.sortKey.sql} AS sort_key FROM ${from.sql} WHERE ${where(spec.where)}`;
  const statement: Condition = {
    sql: `${spec.readAll ? `WITH matches AS MATERIALIZED (${matches})` : ''}
          SELECT ${SUMMARY_COLUMNS}, t.member${spec.extraColumns ?? ''}, p.sort_key
          FROM (SELECT * FROM ${spec.readAll ? 'matches' : `(${matches})`} s
                WHERE ${where(after)} ${orderClause(ordering)} LIMIT ?) p
          JOIN team_trajectories t ON t.seq = p.seq LEFT JOIN team_testgen g ON g.seq = t.seq
          ${orderClause(ordering, 'p.sort_key', 'p.seq')}`,
    params: [...spec.sortKey.params, ...from.params, ...spec.where.params, ...after.params, spec.limit + 1],
  };
  const rows = await query(db, statement);
  return trimPage(rows as Row[], spec.limit, ordering) as { rows: PgRow[]; nextCursor?: string };
}

export async function listTeamTrajectories(db: Db, q: TeamQuery): Promise<Page<TeamSummary>> {
  const ordering = orderingOf(q);
  const { rows, nextCursor } = await selectPage(db, {
    sortKey: { sql: ordering.expression, params: [] },
    where: teamFilter(q),
    ordering,
    limit: q.limit ?? DEFAULT_PAGE_SIZE,
    cursor: q.cursor,
  });
  return { items: rows.map(toTeamSummary), ...(nextCursor ? { nextCursor } : {}) };
}

/** A tsquery for one term, built by Postgres from the bound text: nothing typed is ever tsquery syntax. */
function tsquery(term: SearchTerm): Condition {
  if (!term.prefix) return { sql: `phraseto_tsquery(${CONFIG}, ?)`, params: [term.text] };
  // A prefix needs to_tsquery's syntax: the text goes in as one quoted lexeme (' and \ escaped) marked :*.
  const quoted = `'${term.text.replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`;
  return { sql: `to_tsquery(${CONFIG}, ?)`, params: [quoted] };
}

function joined(parts: Condition[], op: string): Condition {
  return { sql: `(${parts.map((p) => p.sql).join(` ${op} `)})`, params: parts.flatMap((p) => p.params) };
}

/** A term the words index finds (and ranks). */
const isWord = (term: SearchTerm) => !term.unsegmented && !term.literal;

/**
 * A row matches the term: words through the tsvector index, unsegmented text as a substring (pg_trgm
 * index), a term with no letter or digit (`%`, `=>`, an emoji) as a substring of the text (a scan, as locally).
 */
function termMatch(term: SearchTerm, negated: boolean): Condition {
  if (term.literal) return { sql: 'strpos(t.search_text, ?) > 0', params: [term.text] };
  if (!term.unsegmented) {
    const q = tsquery(term);
    return { sql: `t.search @@ ${q.sql}`, params: q.params };
  }
  // Negated: a row with no unsegmented text does not contain the term (NULL would drop it).
  return { sql: `${negated ? "coalesce(t.unsegmented, '')" : 't.unsegmented'} ILIKE ?`, params: [likePattern(term)] };
}

interface CompiledSearch {
  /** What a hit matches, exclusions included. */
  where: Condition;
  /** The same without the exclusions: the rows the indexes find before any is excluded. */
  found: Condition;
  /** The words query the rows are ranked by (AND of the all-word groups); none without one. */
  ranked?: Condition;
  /** The terms a snippet is cut around (the first found in the text). */
  snippetTerms: SearchTerm[];
}

const not = (condition: Condition): Condition => ({ sql: `NOT (${condition.sql})`, params: condition.params });
/** The tsquery of what `term` does not match (`!!` is tsquery's NOT). */
function notWord(term: SearchTerm): Condition {
  const q = tsquery(term);
  return { sql: `(!!${q.sql})`, params: q.params };
}

function compile(plan: SearchPlan): CompiledSearch {
  const wordGroups = plan.groups.filter((g) => g.every(isWord));
  const otherGroups = plan.groups.filter((g) => !g.every(isWord));
  const ranked =
    wordGroups.length > 0
      ? joined(
          wordGroups.map((g) => joined(g.map(tsquery), '||')),
          '&&',
        )
      : undefined;
  const others = otherGroups.map((group) =>
    joined(
      group.map((t) => termMatch(t, false)),
      'OR',
    ),
  );
  // Excluded words join the words query (`q && !!x`): the words index answers them with the rest, and a row
  // checked one by one (a page walked newest first) has its tsvector read once, not once more per exclusion.
  // Without a words query to join, each excluded term is a condition of its own.
  const foldable = ranked ? plan.excluded.filter(isWord) : [];
  const folded = ranked && joined([ranked, ...foldable.map(notWord)], '&&');
  const apart = plan.excluded.filter((t) => !foldable.includes(t)).map((t) => not(termMatch(t, true)));
  const words = (q: Condition | undefined): Condition[] =>
    q ? [{ sql: `t.search @@ ${q.sql}`, params: q.params }] : [];
  return {
    where: and(...words(folded), ...others, ...apart),
    found: and(...words(ranked), ...others),
    ...(ranked ? { ranked } : {}),
    snippetTerms: plan.groups.flat(),
  };
}

/** `orderBy: 'rank'` ranks this many of the newest matches. */
export const RANK_CANDIDATES = 1000;

/**
 * When the search terms find fewer rows than this (the planner's estimate, before exclusions and filters), a
 * page reads every row they find through their indexes and sorts them; otherwise it walks the ordering's index
 * until a page of rows matches, each row checked as it comes. Reading all is bounded by this number whatever
 * the table's size; a walk reads about limit x rows / matches rows, each a tsvector read (measured at
 * 1,000,000: a rare word's 1,000 matches read and sorted in 4 ms, walked newest first in 200-670 ms;
 * SCALING.md). The filters are left out of the estimate: the rows a filter's index finds would each need
 * their tsvector read to check a common word, which is what walking a page does for fewer rows.
 */
export const FEW_MATCHES = 10_000;

/** How many rows the planner expects `condition` to leave (EXPLAIN: nothing is read). */
async function estimatedRows(db: Db, condition: Condition): Promise<number> {
  const rows = await query(db, {
    sql: `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${FROM} WHERE ${where(condition)}`,
    params: condition.params,
  });
  const [{ Plan }] = rows[0]!['QUERY PLAN'] as [{ Plan: { 'Plan Rows': number } }];
  return Plan['Plan Rows'];
}

/**
 * Full-text search in the local store's query language (src/store/search-query.ts), newest first, or in
 * any order of the list. `orderBy: 'rank'` puts the best matches (ts_rank) first among the newest
 * RANK_CANDIDATES matches: ts_rank reads every ranked row's tsvector, so ranking every match of a common
 * word at a million rows would take seconds (SCALING.md). `rank` is then the negated ts_rank (lower is
 * better, as locally), else null. `fewMatches` is FEW_MATCHES but in tests (0 walks, Infinity reads all).
 */
export async function searchTeamTrajectories(
  db: Db,
  text: string,
  q: TeamSearch,
  fewMatches = FEW_MATCHES,
): Promise<Page<TeamSearchHit>> {
  const { rest, ids } = idTerms(text);
  const compiled = compile(parseSearch(rest));
  const filters = and(teamFilter(q), ...ids, compiled.where);
  const byRank = q.orderBy === 'rank' && compiled.ranked !== undefined;
  const listOrder = { ...q, orderBy: q.orderBy === 'rank' ? undefined : q.orderBy };
  const ordering: Ordering = byRank ? { name: 'rank', expression: '', direction: 'desc' } : orderingOf(listOrder);
  const page = {
    limit: q.limit ?? DEFAULT_PAGE_SIZE,
    cursor: q.cursor,
    ...(compiled.snippetTerms.length > 0
      ? { extraColumns: `, left(t.search_text, ${SNIPPET_SOURCE_CHARS}) AS snippet_source` }
      : {}),
  };
  const { rows, nextCursor } =
    byRank && compiled.ranked
      ? await selectPage(db, {
          ...page,
          ordering,
          sortKey: { sql: `ts_rank(t.search, ${compiled.ranked.sql})`, params: compiled.ranked.params },
          from: {
            sql: `(SELECT t.* FROM ${FROM} WHERE ${where(filters)} ORDER BY t.created_at DESC, t.seq DESC LIMIT ?) t
                  LEFT JOIN team_testgen g ON g.seq = t.seq`,
            params: [...filters.params, RANK_CANDIDATES],
          },
          where: { sql: '1', params: [] },
        })
      : await selectPage(db, {
          ...page,
          ordering,
          sortKey: { sql: ordering.expression, params: [] },
          where: filters,
          readAll: (await estimatedRows(db, and(...ids, compiled.found))) <= fewMatches,
        });
  return {
    items: rows.map((row) => ({
      ...toTeamSummary(row),
      snippet: searchSnippet(String(row.snippet_source ?? ''), compiled.snippetTerms),
      rank: byRank ? -Number(row.sort_key) : null,
    })),
    ...(nextCursor ? { nextCursor } : {}),
  };
}

/** One stored trajectory with its document as stored (exact JSON text), or a not_found error. */
export async function getTeamTrajectory(
  db: Db,
  member: string,
  id: string,
): Promise<{ summary: TeamSummary; json: string; testgen?: Record<string, unknown> }> {
  const rows = await query(db, {
    sql: `SELECT ${SUMMARY_COLUMNS}, t.member, t.document FROM ${FROM} WHERE t.member = ? AND t.id = ?`,
    params: [member, id],
  });
  const row = rows[0];
  if (!row)
    throw new TrajectoryStoreError(
      'not_found',
      `No trajectory ${JSON.stringify(id)} of member ${JSON.stringify(member)}`,
    );
  const json = String(row.document);
  const summary = toTeamSummary(row);
  return summary.kind === 'testgen'
    ? { summary, json, testgen: testgenFromDocument(JSON.parse(json) as Record<string, unknown>) }
    : { summary, json };
}

/** The sums of a cell, from the summary rows or from rollup cells (the same names and meanings in both). */
const CELL_SUMS = {
  rows: `count(*) AS count, coalesce(sum(t.step_count), 0) AS steps, coalesce(sum(t.total_tokens), 0) AS tokens,
    coalesce(sum(t.total_cost_usd), 0) AS cost, coalesce(sum(t.comprehensiveness_score), 0) AS score_sum,
    count(t.comprehensiveness_score) AS scored, min(t.comprehensiveness_score) AS min_score,
    max(t.comprehensiveness_score) AS max_score, count(t.total_tokens) AS with_tokens,
    count(t.total_cost_usd) AS with_cost`,
  cells: `sum(count) AS count, sum(steps) AS steps, sum(tokens) AS tokens, sum(cost) AS cost,
    sum(score_sum) AS score_sum, sum(scored) AS scored, min(min_score) AS min_score, max(max_score) AS max_score,
    sum(with_tokens) AS with_tokens, sum(with_cost) AS with_cost`,
};

/** `sql` with its value, or no condition when the value is not given. */
const when = (sql: string, value: string | undefined): Condition =>
  value === undefined ? { sql: '1', params: [] } : { sql, params: [value] };

/** One row per (day, agent, model): from the per-day rollup (migrations-pg/003) when it answers the filter. */
function statsCells(filter: TeamFilter): Condition {
  const { member, ...rest } = filter;
  const days = rollupDays(rest);
  if (days) {
    const condition = and(
      when('member = ?', member),
      when('agent_name = ?', rest.agentName),
      when('model_name = ?', rest.modelName),
      when('day >= ?', days.fromDay),
      when('day <= ?', days.toDay),
    );
    // Cells of several members fold into one per (day, agent, model).
    return {
      sql: `SELECT day, agent_name, model_name, ${CELL_SUMS.cells} FROM team_stats_daily WHERE ${where(condition)}
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      params: condition.params,
    };
  }
  const condition = teamFilter(filter);
  return {
    sql: `SELECT team_stats_day(t.first_step_at, t.created_at) AS day, t.agent_name, t.model_name, ${CELL_SUMS.rows}
          FROM ${filter.taskId === undefined ? 'team_trajectories t' : FROM} WHERE ${where(condition)}
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    params: condition.params,
  };
}

/** Counts, steps, tokens, cost and scores by agent, model and day, as the local store's getStats. */
export async function teamStats(db: Db, filter: TeamFilter): Promise<TrajectoryStats> {
  return statsFromCells((await query(db, statsCells(filter))) as Row[]);
}
