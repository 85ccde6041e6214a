/**
 * The team's trajectories read back: list, search, one document, stats. The
 * filters, orderings, cursors, query language and stats folding are the
 * local store's own (src/store); only what differs in Postgres is here: the
 * words index is a tsvector (GIN), the unsegmented text a pg_trgm index.
 */
import { z } from 'zod';
import type { Page, SearchHit, TrajectoryStats, TrajectorySummary } from '../contract/results.js';
import { TrajectoryStoreError } from '../errors.js';
import { DEFAULT_PAGE_SIZE, TrajectoryFilterSchema, TrajectoryQuerySchema } from '../schema/query.js';
import { afterCursor, orderClause, type Ordering } from '../store/cursor.js';
import { testgenFromDocument } from '../store/documents.js';
import { and, type Condition, filterCondition } from '../store/filters.js';
import { orderingOf, trimPage } from '../store/list.js';
import { rowToSummary, SUMMARY_COLUMNS } from '../store/rows.js';
import { idTerms, parseSnippet, snippetAround } from '../store/search.js';
import { likePattern, parseSearch, type SearchPlan, type SearchTerm } from '../store/search-query.js';
import { statsFromCells } from '../store/stats.js';
import type { Row } from '../store/connection.js';
import { MAX_INDEXED_CHARS } from './ingest.js';
import { type Db, type PgRow, query, where } from './sql.js';

const FROM = 'team_trajectories t LEFT JOIN team_testgen g ON g.seq = t.seq';
const CONFIG = "'trajectory_text'";
const HEADLINE_OPTIONS =
  'StartSel=\u0002, StopSel=\u0003, MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=" … "';

/** Whose trajectories: everyone's (the team's) unless `member` names one. */
const MemberFilter = { member: z.string().optional() };
export const TeamQuerySchema = TrajectoryQuerySchema.extend(MemberFilter);
export const TeamSearchSchema = TeamQuerySchema.extend({ text: z.string().max(10_000) });
export const TeamFilterSchema = TrajectoryFilterSchema.extend(MemberFilter);
export type TeamQuery = z.output<typeof TeamQuerySchema>;
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
 * One page in `ordering`: the inner query computes `sort_key` (any expression,
 * with its own parameters), the outer one pages on it with the store's cursor.
 */
async function selectPage(
  db: Db,
  spec: {
    sortKey: Condition;
    extraColumns?: string;
    where: Condition;
    ordering: Ordering;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<{ rows: PgRow[]; nextCursor?: string }> {
  const ordering: Ordering = { ...spec.ordering, expression: 's.sort_key', seq: 's.seq' };
  const after = afterCursor(ordering, spec.cursor);
  const statement: Condition = {
    sql: `SELECT * FROM (SELECT ${SUMMARY_COLUMNS}, t.member${spec.extraColumns ?? ''}, ${spec.sortKey.sql} AS sort_key
            FROM ${FROM} WHERE ${where(spec.where)}) s
          WHERE ${where(after)} ${orderClause(ordering)} LIMIT ?`,
    params: [...spec.sortKey.params, ...spec.where.params, ...after.params, spec.limit + 1],
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
  where: Condition;
  /** The words query the rows are ranked and snippeted by (AND of the all-word groups); none without one. */
  ranked?: Condition;
  /** Terms found as substrings, for snippets when nothing is ranked. */
  likeTerms: SearchTerm[];
}

function compile(plan: SearchPlan): CompiledSearch {
  const wordGroups = plan.groups.filter((g) => g.every(isWord));
  const otherGroups = plan.groups.filter((g) => !g.every(isWord));
  const conditions: Condition[] = [];
  let ranked: Condition | undefined;
  if (wordGroups.length > 0) {
    ranked = joined(
      wordGroups.map((g) => joined(g.map(tsquery), '||')),
      '&&',
    );
    conditions.push({ sql: `t.search @@ ${ranked.sql}`, params: ranked.params });
  }
  for (const group of otherGroups)
    conditions.push(
      joined(
        group.map((t) => termMatch(t, false)),
        'OR',
      ),
    );
  for (const term of plan.excluded) {
    const m = termMatch(term, true);
    conditions.push({ sql: `NOT (${m.sql})`, params: m.params });
  }
  return { where: and(...conditions), ...(ranked ? { ranked } : {}), likeTerms: ranked ? [] : otherGroups.flat() };
}

/**
 * Full-text search in the local store's query language (src/store/search-query.ts), best matches first
 * (ts_rank) unless an order is asked for. `rank` is the negated ts_rank: lower is better, as locally.
 */
export async function searchTeamTrajectories(db: Db, text: string, q: TeamQuery): Promise<Page<TeamSearchHit>> {
  const { rest, ids } = idTerms(text);
  const compiled = compile(parseSearch(rest));
  const filters = and(teamFilter(q), ...ids, compiled.where);
  const byRank = compiled.ranked !== undefined && q.orderBy === undefined;
  const ordering: Ordering = byRank ? { name: 'rank', expression: '', direction: 'desc' } : orderingOf(q);
  const sortKey: Condition =
    byRank && compiled.ranked
      ? { sql: `ts_rank(t.search, ${compiled.ranked.sql})`, params: compiled.ranked.params }
      : { sql: ordering.expression, params: [] };
  const { rows, nextCursor } = await selectPage(db, {
    sortKey,
    where: filters,
    ordering,
    limit: q.limit ?? DEFAULT_PAGE_SIZE,
    cursor: q.cursor,
    ...(compiled.likeTerms.length > 0 ? { extraColumns: ', t.search_text AS snippet_source' } : {}),
  });
  const snippets = compiled.ranked ? await headlines(db, rows, compiled.ranked) : new Map<string, string>();
  return {
    items: rows.map((row) => ({
      ...toTeamSummary(row),
      snippet: compiled.ranked
        ? parseSnippet(snippets.get(String(row.seq)) ?? '')
        : snippetAround(String(row.snippet_source ?? ''), compiled.likeTerms),
      rank: byRank ? -Number(row.sort_key) : null,
    })),
    ...(nextCursor ? { nextCursor } : {}),
  };
}

/** ts_headline for a page's rows only (it reads the whole text: never for every match). */
async function headlines(db: Db, rows: PgRow[], ranked: Condition): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const found = await query(db, {
    sql: `SELECT seq, ts_headline(${CONFIG}, left(search_text, ${MAX_INDEXED_CHARS}), ${ranked.sql}, ?) AS snippet
          FROM team_trajectories WHERE seq = ANY(?::bigint[])`,
    params: [...ranked.params, HEADLINE_OPTIONS, rows.map((r) => String(r.seq))],
  });
  return new Map(found.map((r) => [String(r.seq), String(r.snippet)]));
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

/** Counts, steps, tokens, cost and scores by agent, model and day, as the local store's getStats. */
export async function teamStats(db: Db, filter: TeamFilter): Promise<TrajectoryStats> {
  const condition = teamFilter(filter);
  const rows = await query(db, {
    sql: `SELECT substr(coalesce(t.first_step_at, t.created_at), 1, 10) AS day, t.agent_name, t.model_name,
            count(*) AS count, coalesce(sum(t.step_count), 0) AS steps, coalesce(sum(t.total_tokens), 0) AS tokens,
            coalesce(sum(t.total_cost_usd), 0) AS cost, coalesce(sum(t.comprehensiveness_score), 0) AS score_sum,
            count(t.comprehensiveness_score) AS scored, min(t.comprehensiveness_score) AS min_score,
            max(t.comprehensiveness_score) AS max_score, count(t.total_tokens) AS with_tokens,
            count(t.total_cost_usd) AS with_cost
          FROM ${filter.taskId === undefined ? 'team_trajectories t' : FROM} WHERE ${where(condition)}
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    params: condition.params,
  });
  return statsFromCells(rows as Row[]);
}
