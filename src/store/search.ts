/**
 * searchTrajectories: full-text search over the indexes of
 * migrations/006_search_index.sql (fed by search-index.ts), best matches
 * first (bm25), with snippets; `id:VALUE` terms select by id or session id.
 */
import { DEFAULT_PAGE_SIZE, type ParsedQuery } from '../schema/query.js';
import type { Connection, Row } from './connection.js';
import { and, filterCondition, type Condition } from './filters.js';
import type { Page, SearchHit, Snippet } from '../contract/results.js';
import { orderingOf, selectPage, trimPage } from './list.js';
import { rowToSummary, SUMMARY_COLUMNS, SUMMARY_FROM, TESTGEN_JOIN } from './rows.js';
import {
  ftsString,
  likePattern,
  matchableByTrigrams,
  parseSearch,
  type SearchPlan,
  type SearchTerm,
} from './search-query.js';
import { afterCursor, orderClause, type Ordering } from './cursor.js';

const OPEN = '\u0002';
const CLOSE = '\u0003';
const SNIPPET_TOKENS = 16;
/** Shown between two text values of a document (the index joins them with a line break). */
const SEPARATOR = ' · ';

const WORD_MATCH = 'SELECT rowid FROM trajectory_search WHERE trajectory_search MATCH ?';
const TRIGRAM_MATCH = 'SELECT rowid FROM trajectory_search_unsegmented WHERE trajectory_search_unsegmented MATCH ?';
const TRIGRAM_LIKE = "SELECT rowid FROM trajectory_search_unsegmented WHERE unsegmented LIKE ? ESCAPE '\\'";
/** A scan of the indexed text, for the rare term no index holds (no letter or digit: `%`, `=>`, an emoji). */
const SUBSTRING = 'SELECT rowid FROM trajectory_search WHERE instr(body, ?) > 0';

/** A term the word index finds (ranked by bm25). */
const isWord = (term: SearchTerm) => !term.unsegmented && !term.literal;

/** The rows a single term matches, as a subquery on seq. */
function termRows(term: SearchTerm): Condition {
  if (term.literal) return { sql: SUBSTRING, params: [term.text] };
  if (!term.unsegmented) return { sql: WORD_MATCH, params: [ftsString(term)] };
  if (matchableByTrigrams(term)) return { sql: TRIGRAM_MATCH, params: [ftsString({ ...term, prefix: false })] };
  return { sql: TRIGRAM_LIKE, params: [likePattern(term)] };
}

function matchAny(terms: SearchTerm[], negate: boolean): Condition {
  const parts = terms.map(termRows);
  const op = negate ? 'NOT IN' : 'IN';
  return {
    sql: parts.map((p) => `t.seq ${op} (${p.sql})`).join(negate ? ' AND ' : ' OR '),
    params: parts.flatMap((p) => p.params),
  };
}

interface CompiledSearch {
  /** Joined and ranked: an FTS5 expression over one index. */
  ranked?: { table: 'trajectory_search' | 'trajectory_search_unsegmented'; expression: string };
  /** Everything else the rows must satisfy. */
  where: Condition;
  /** For snippets when nothing is ranked: the terms found as substrings. */
  likeTerms: SearchTerm[];
}

function compile(plan: SearchPlan): CompiledSearch {
  const wordGroups = plan.groups.filter((g) => g.every(isWord));
  const otherGroups = plan.groups.filter((g) => !g.every(isWord));
  const conditions: Condition[] = [];
  let ranked: CompiledSearch['ranked'];

  if (wordGroups.length > 0) {
    const expression = wordGroups.map((g) => `(${g.map(ftsString).join(' OR ')})`).join(' AND ');
    ranked = { table: 'trajectory_search', expression };
  }
  const trigramTerms: SearchTerm[] = [];
  for (const group of otherGroups) {
    const only = group.length === 1 ? group[0]! : undefined;
    if (!ranked && only?.unsegmented && matchableByTrigrams(only)) trigramTerms.push(only);
    else conditions.push(matchAny(group, false));
  }
  if (trigramTerms.length > 0) {
    ranked = {
      table: 'trajectory_search_unsegmented',
      expression: trigramTerms.map((t) => ftsString({ ...t, prefix: false })).join(' AND '),
    };
  }
  if (plan.excluded.length > 0) conditions.push(matchAny(plan.excluded, true));
  return { ...(ranked ? { ranked } : {}), where: and(...conditions), likeTerms: ranked ? [] : otherGroups.flat() };
}

/** `id:VALUE` in a query: the trajectory stored under that id, or with that session id (ids are not in the text index). */
const ID_TERM = /(?:^|\s)id:(\S+)/g;

/** Takes the `id:` terms out of a query: each becomes a condition, the rest is searched as text. */
export function idTerms(text: string): { rest: string; ids: Condition[] } {
  const ids = [...text.matchAll(ID_TERM)].map((match) => ({
    sql: '(t.id = ? OR t.session_id = ?)',
    params: [match[1]!, match[1]!],
  }));
  return { rest: ids.length > 0 ? text.replace(ID_TERM, ' ') : text, ids };
}

export function searchTrajectories(conn: Connection, text: string, query: ParsedQuery): Page<SearchHit> {
  const { rest, ids } = idTerms(text);
  const compiled = compile(parseSearch(rest));
  const filters = and(filterCondition(query), ...ids, compiled.where);
  if (compiled.ranked) return rankedSearch(conn, compiled.ranked, filters, query);

  const { likeTerms } = compiled;
  const { rows, nextCursor } = selectPage(conn, {
    columns:
      likeTerms.length > 0
        ? `${SUMMARY_COLUMNS}, (SELECT body FROM trajectory_search s WHERE s.rowid = t.seq) AS snippet_source`
        : SUMMARY_COLUMNS,
    from: SUMMARY_FROM,
    where: filters,
    ordering: orderingOf(query),
    limit: query.limit,
    cursor: query.cursor,
  });
  return {
    items: rows.map((row: Row) => ({
      ...rowToSummary(row),
      snippet: snippetAround(String(row.snippet_source ?? ''), likeTerms),
      rank: null,
    })),
    ...(nextCursor ? { nextCursor } : {}),
  };
}

/**
 * A search over one FTS5 index, in two stages so that no more than a page of
 * rows is ever read or snippeted. Stage 1 picks the page's seqs: by rank from
 * the index alone (filters become a set of seqs), or by an explicit order
 * from the summaries of the matches. Stage 2 reads those rows' summaries and
 * snippets, through the same MATCH (one index cursor: cheap even for a prefix).
 * CROSS JOIN fixes the join order SQLite would otherwise get wrong here.
 */
function rankedSearch(
  conn: Connection,
  ranked: NonNullable<CompiledSearch['ranked']>,
  filters: Condition,
  query: ParsedQuery,
): Page<SearchHit> {
  const { table, expression } = ranked;
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const match: Condition = { sql: `${table} MATCH ?`, params: [expression] };
  let ordering: Ordering;
  let pick: Condition;
  if (query.orderBy) {
    ordering = orderingOf(query);
    const where = and(
      { sql: `t.seq IN (SELECT rowid FROM ${table} WHERE ${match.sql})`, params: match.params },
      filters,
      afterCursor(ordering, query.cursor),
    );
    pick = {
      sql: `SELECT t.seq AS seq, ${ordering.expression} AS sort_key FROM ${SUMMARY_FROM} WHERE ${where.sql} ${orderClause(ordering)} LIMIT ?`,
      params: where.params,
    };
  } else {
    ordering = { name: 'rank', expression: 'rank', seq: 'rowid', direction: 'asc' };
    // `+rowid`: a plain rowid IN would be handed to FTS5 as one lookup per row.
    const filtered: Condition =
      filters.sql === '1'
        ? filters
        : { sql: `+rowid IN (SELECT t.seq FROM ${SUMMARY_FROM} WHERE ${filters.sql})`, params: filters.params };
    const where = and(match, filtered, afterCursor(ordering, query.cursor));
    pick = {
      sql: `SELECT rowid AS seq, rank AS sort_key FROM ${table} WHERE ${where.sql} ${orderClause(ordering)} LIMIT ?`,
      params: where.params,
    };
  }
  const rows = conn.all(
    `WITH page AS MATERIALIZED (${pick.sql})
     SELECT ${SUMMARY_COLUMNS}, page.sort_key AS sort_key, ${table}.rank AS rank,
       snippet(${table}, 0, '${OPEN}', '${CLOSE}', '…', ${SNIPPET_TOKENS}) AS snippet
     FROM ${table} CROSS JOIN page ON page.seq = ${table}.rowid
       CROSS JOIN trajectories t ON t.seq = page.seq ${TESTGEN_JOIN}
     WHERE ${match.sql} ${orderClause(ordering, 'page.sort_key', 'page.seq')}`,
    [...pick.params, limit + 1, ...match.params],
  );
  const { rows: items, nextCursor } = trimPage(rows, limit, ordering);
  return {
    items: items.map((row) => ({
      ...rowToSummary(row),
      snippet: parseSnippet(String(row.snippet ?? '')),
      rank: Number(row.rank),
    })),
    ...(nextCursor ? { nextCursor } : {}),
  };
}

/** FTS5's snippet with our marker characters -> plain text plus highlight ranges. */
export function parseSnippet(marked: string): Snippet {
  let text = '';
  const highlights: Array<[number, number]> = [];
  let start = -1;
  for (const ch of marked) {
    if (ch === OPEN) start = text.length;
    else if (ch === CLOSE) {
      if (start >= 0) highlights.push([start, text.length]);
      start = -1;
    } else text += ch === '\n' ? SEPARATOR : ch;
  }
  return { text, highlights };
}

const CONTEXT_BEFORE = 30;
const CONTEXT_AFTER = 60;

/** A snippet cut around the first term found in `source`, for matches found by LIKE. */
export function snippetAround(source: string, terms: SearchTerm[]): Snippet {
  const lower = source.toLowerCase();
  const found = terms.map((t) => ({ at: lower.indexOf(t.text.toLowerCase()), needle: t.text })).find((f) => f.at >= 0);
  if (!found) return { text: '', highlights: [] };
  const { at, needle } = found;
  const from = Math.max(0, at - CONTEXT_BEFORE);
  const to = Math.min(source.length, at + needle.length + CONTEXT_AFTER);
  const prefix = from > 0 ? '…' : '';
  const text = prefix + source.slice(from, to).replace(/\n/g, ' ') + (to < source.length ? '…' : '');
  const start = prefix.length + at - from;
  return { text, highlights: [[start, start + needle.length]] };
}
