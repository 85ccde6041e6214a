/**
 * searchTrajectories: full-text search over the indexes of
 * migrations/006_search_index.sql, best matches first (bm25), with snippets.
 */
import type { ParsedQuery } from '../schema/query.js';
import type { Connection, Row } from './connection.js';
import { and, filterCondition, type Condition } from './filters.js';
import { orderingOf, selectPage, type Page } from './list.js';
import { rowToSummary, SUMMARY_COLUMNS, SUMMARY_FROM, TESTGEN_JOIN, type TrajectorySummary } from './rows.js';
import { ftsString, likePattern, matchableByTrigrams, parseSearch, type SearchPlan, type SearchTerm } from './search-query.js';
import type { Ordering } from './cursor.js';

/** Text around the best match; `highlights` are [start, end) offsets of matched text in it. */
export interface Snippet {
  text: string;
  highlights: Array<[number, number]>;
}

export interface SearchHit extends TrajectorySummary {
  snippet: Snippet;
  /** bm25 score, lower is better; null when the query had no rankable terms. */
  rank: number | null;
}

const OPEN = '\u0002';
const CLOSE = '\u0003';
const SNIPPET_TOKENS = 16;
/** Shown between two text values of a document (the index joins them with a line break). */
const SEPARATOR = ' · ';

const WORD_MATCH = 'SELECT rowid FROM trajectory_search WHERE trajectory_search MATCH ?';
const TRIGRAM_MATCH = 'SELECT rowid FROM trajectory_search_unsegmented WHERE trajectory_search_unsegmented MATCH ?';
const TRIGRAM_LIKE = 'SELECT rowid FROM trajectory_search_unsegmented WHERE unsegmented LIKE ? ESCAPE \'\\\'';

/** The rows a single term matches, as a subquery on seq. */
function termRows(term: SearchTerm): Condition {
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
  /** For snippets when nothing is ranked: the terms found by LIKE. */
  likeTerms: SearchTerm[];
}

function compile(plan: SearchPlan): CompiledSearch {
  const wordGroups = plan.groups.filter((g) => g.every((t) => !t.unsegmented));
  const otherGroups = plan.groups.filter((g) => g.some((t) => t.unsegmented));
  const conditions: Condition[] = [];
  let ranked: CompiledSearch['ranked'];

  if (wordGroups.length > 0) {
    const expression = wordGroups.map((g) => `(${g.map(ftsString).join(' OR ')})`).join(' AND ');
    ranked = { table: 'trajectory_search', expression };
  }
  const trigramTerms: SearchTerm[] = [];
  for (const group of otherGroups) {
    const only = group.length === 1 ? group[0]! : undefined;
    if (!ranked && only && matchableByTrigrams(only)) trigramTerms.push(only);
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

export function searchTrajectories(conn: Connection, text: string, query: ParsedQuery): Page<SearchHit> {
  const compiled = compile(parseSearch(text));
  const filters = and(filterCondition(query), compiled.where);
  const page = { ...(query.limit === undefined ? {} : { limit: query.limit }), ...(query.cursor === undefined ? {} : { cursor: query.cursor }) };

  if (compiled.ranked) {
    const { table, expression } = compiled.ranked;
    const ordering: Ordering = query.orderBy
      ? orderingOf(query)
      : { name: 'rank', expression: `${table}.rank`, direction: 'asc' };
    const { rows, nextCursor } = selectPage(conn, {
      columns: `${SUMMARY_COLUMNS}, ${table}.rank AS rank,
        snippet(${table}, 0, '${OPEN}', '${CLOSE}', '…', ${SNIPPET_TOKENS}) AS snippet`,
      from: `${table} JOIN trajectories t ON t.seq = ${table}.rowid ${TESTGEN_JOIN}`,
      where: and({ sql: `${table} MATCH ?`, params: [expression] }, filters),
      ordering,
      ...page,
    });
    return {
      items: rows.map((row) => ({ ...rowToSummary(row), snippet: parseSnippet(String(row.snippet ?? '')), rank: Number(row.rank) })),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  const { likeTerms } = compiled;
  const { rows, nextCursor } = selectPage(conn, {
    columns: likeTerms.length > 0
      ? `${SUMMARY_COLUMNS}, (SELECT unsegmented FROM trajectory_search_unsegmented u WHERE u.rowid = t.seq) AS snippet_source`
      : SUMMARY_COLUMNS,
    from: SUMMARY_FROM,
    where: filters,
    ordering: orderingOf(query),
    ...page,
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
function snippetAround(source: string, terms: SearchTerm[]): Snippet {
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
