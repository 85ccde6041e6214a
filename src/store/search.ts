/**
 * searchTrajectories: full-text search over the indexes of
 * migrations/006_search_index.sql (fed by search-index.ts), best matches
 * first (bm25, within windows of the newest matches: see RANK_WINDOW), with
 * snippets (search-snippet.ts); `id:VALUE` terms select by id or session id.
 *
 * A hit's `rank`: lower is better, comparable within one search only. Where
 * one phrase alone can score (a word, a phrase or a prefix, with or without
 * excluded terms) it is bm25 without that phrase's IDF (store_rank,
 * fts5-rank.ts), which FTS5 would count over the whole table on every query
 * and which cannot change the order; with more, FTS5's bm25 itself.
 */
import { DEFAULT_PAGE_SIZE, type ParsedQuery } from '../schema/query.js';
import type { Connection, Row } from './connection.js';
import { and, filterCondition, type Condition } from './filters.js';
import type { Page, SearchHit } from '../contract/results.js';
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
import { searchSnippet } from './search-snippet.js';
import { afterCursor, cursorWindow, orderClause, type Ordering } from './cursor.js';
import { rankExpression } from './fts5-rank.js';

/**
 * Matches are ranked this many at a time, newest first (by seq: the order rows were first saved). bm25 reads
 * each ranked row's index entry, so ranking every match of a common word at 100,000 rows took 700 ms; a window
 * takes a bounded time. A query with at most this many matches is ranked whole, exactly as bm25 orders it;
 * one with more gives the best of its newest RANK_WINDOW matches first, then (paging on) the best of the next
 * older RANK_WINDOW, and so on: every match once, each window best first. The team server ranks its 1,000
 * newest matches the same way (src/server/queries.ts).
 */
export const RANK_WINDOW = 1000;
/** Where no ranking window was named yet: every seq is below it. */
const NEWEST = Number.MAX_SAFE_INTEGER;

/** The text a hit's snippet is cut from: every text value of its document, as the word index holds it. */
const BODY_COLUMN = '(SELECT body FROM trajectory_search b WHERE b.rowid = t.seq) AS body';

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
  ranked?: Ranked;
  /** Everything else the rows must satisfy. */
  where: Condition;
}

type Ranked = {
  table: 'trajectory_search' | 'trajectory_search_unsegmented';
  expression: string;
  /** A term of the expression is a prefix (`refac*`). */
  prefix: boolean;
  /** The phrases of the expression a matching row may hold (not the excluded ones). */
  scoringPhrases: number;
};

function compile(plan: SearchPlan): CompiledSearch {
  const wordGroups = plan.groups.filter((g) => g.every(isWord));
  const otherGroups = plan.groups.filter((g) => !g.every(isWord));
  const conditions: Condition[] = [];
  let ranked: CompiledSearch['ranked'];

  let excluded = plan.excluded;
  if (wordGroups.length > 0) {
    let expression = wordGroups.map((g) => `(${g.map(ftsString).join(' OR ')})`).join(' AND ');
    // Excluded words join the expression (FTS5 NOT reads both lists in step): a NOT IN list would read every
    // row the excluded word is in. bm25 ignores them (an absent phrase scores 0).
    const excludedWords = excluded.filter(isWord);
    if (excludedWords.length > 0) {
      expression = `(${expression}) NOT (${excludedWords.map(ftsString).join(' OR ')})`;
      excluded = excluded.filter((term) => !isWord(term));
    }
    const prefix = [...wordGroups.flat(), ...excludedWords].some((term) => term.prefix);
    ranked = { table: 'trajectory_search', expression, prefix, scoringPhrases: wordGroups.flat().length };
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
      prefix: false,
      scoringPhrases: trigramTerms.length,
    };
  }
  if (excluded.length > 0) conditions.push(matchAny(excluded, true));
  return { ...(ranked ? { ranked } : {}), where: and(...conditions) };
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
  const plan = parseSearch(rest);
  const compiled = compile(plan);
  const filters = and(filterCondition(query), ...ids, compiled.where);
  // A snippet shows every term a hit must or may contain (not the excluded ones).
  const terms = plan.groups.flat();
  if (compiled.ranked && query.orderBy) return orderedSearch(conn, compiled.ranked, filters, query, terms);
  if (compiled.ranked) return rankedSearch(conn, compiled.ranked, filters, query, terms);

  // The page's seqs first: SQLite computes every column of every match before it sorts them, and the text of
  // each (for a 2-character CJK word, 1,646 of them at 100,000) was most of the time.
  const { rows, nextCursor } = selectPage(conn, {
    columns: 't.seq',
    from: SUMMARY_FROM,
    where: filters,
    ordering: orderingOf(query),
    limit: query.limit,
    cursor: query.cursor,
  });
  return { items: pageHits(conn, rows, terms, () => null), ...(nextCursor ? { nextCursor } : {}) };
}

function toHit(row: Row, terms: SearchTerm[], rank: number | null): SearchHit {
  return { ...rowToSummary(row), snippet: searchSnippet(String(row.body ?? ''), terms), rank };
}

/** The rows whose seq is one of `seqs`, handed to SQLite as one JSON array (one bound value, any length). */
function seqIn(seqs: readonly unknown[]): Condition {
  return { sql: 't.seq IN (SELECT value FROM json_each(?))', params: [JSON.stringify(seqs)] };
}

/** The hits of a page of seqs (in that order): only these rows' summaries and text are read. */
function pageHits(
  conn: Connection,
  page: Row[],
  terms: SearchTerm[],
  rankOf: (row: Row) => number | null,
): SearchHit[] {
  const columns = terms.length > 0 ? `${SUMMARY_COLUMNS}, ${BODY_COLUMN}` : SUMMARY_COLUMNS;
  const inPage = seqIn(page.map((row) => row.seq));
  const bySeq = new Map(
    conn
      .all(`SELECT ${columns} FROM ${SUMMARY_FROM} WHERE ${inPage.sql}`, inPage.params)
      .map((row) => [Number(row.seq), row]),
  );
  return page.flatMap((row) => {
    const found = bySeq.get(Number(row.seq));
    return found ? [toHit(found, terms, rankOf(row))] : [];
  });
}

/**
 * Best matches first, ranked a window at a time (RANK_WINDOW): each window's
 * page of seqs and ranks comes from the index (the filters checked on each
 * candidate's summary row, newest first), then only the page's summaries and
 * text are read. A page that empties its window goes on in the next older
 * one; the cursor names the window of the page's last row.
 */
function rankedSearch(
  conn: Connection,
  ranked: Ranked,
  filters: Condition,
  query: ParsedQuery,
  terms: SearchTerm[],
): Page<SearchHit> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const ordering: Ordering = { name: 'rank', expression: 'sort_key', seq: 'seq', direction: 'asc' };
  const picked: Row[] = [];
  let top = cursorWindow(ordering, query.cursor) ?? NEWEST;
  let after = afterCursor(ordering, query.cursor);
  const rank = rankExpression(ranked.scoringPhrases, ranked.table, 's');
  for (;;) {
    const window = rankWindow(conn, ranked, rank, filters, top, after, limit + 1 - picked.length);
    picked.push(...window.rows.map((row) => ({ ...row, window_top: top })));
    if (picked.length > limit || window.size < RANK_WINDOW) break;
    top = window.low - 1;
    after = { sql: '1', params: [] };
  }
  const { rows: page, nextCursor } = trimPage(picked, limit, ordering);
  const items = pageHits(conn, page, terms, (row) => Number(row.sort_key));
  return { items, ...(nextCursor ? { nextCursor } : {}) };
}

/**
 * One ranking window: the RANK_WINDOW newest matches with seq <= `top` that
 * pass `filters` (FTS5 reads its index newest first and stops there), and of
 * them the best `limit` after `after`. `size` < RANK_WINDOW means no older
 * window follows; `low` is this window's lowest seq.
 */
function rankWindow(
  conn: Connection,
  { table, expression }: Ranked,
  rank: string,
  filters: Condition,
  top: number,
  after: Condition,
  limit: number,
): { rows: Row[]; size: number; low: number } {
  const filtered = filters.sql !== '1';
  const rows = conn.all(
    `WITH candidates AS MATERIALIZED (
       SELECT s.rowid AS seq, ${rank} AS sort_key
       FROM ${table} s ${filtered ? `CROSS JOIN trajectories t ON t.seq = s.rowid ${TESTGEN_JOIN}` : ''}
       WHERE s.${table} MATCH ? AND s.rowid <= ? ${filtered ? `AND ${filters.sql}` : ''}
       ORDER BY s.rowid DESC LIMIT ${RANK_WINDOW}),
     bounds AS (SELECT count(*) AS size, min(seq) AS low FROM candidates)
     SELECT bounds.size, bounds.low, page.seq, page.sort_key
     FROM bounds LEFT JOIN (
       SELECT seq, sort_key FROM candidates WHERE ${after.sql} ORDER BY sort_key, seq LIMIT ?) page
     ORDER BY page.sort_key, page.seq`,
    [expression, top, ...filters.params, ...after.params, limit],
  );
  const first = rows[0]!;
  return {
    rows: rows.filter((row) => row.seq !== null),
    size: Number(first.size),
    low: Number(first.low),
  };
}

/**
 * How an ordered search finds its page (orderedPage): a query with at most `fewMatches` matches sorts just
 * those; a word in a large share of the rows has the first `probeWindow` rows of the sort order checked (against
 * the matches within their seqs' range when it holds at most `fewMatches`, else one by one); anything else walks
 * the sort order's index against the whole match list. Each way gives the same rows.
 */
export const ORDERED_SEARCH = { fewMatches: 2000, probeWindow: 250 };

/**
 * Matches in an explicit order (a summary column), in two stages so that no
 * more than a page of rows is ever read: stage 1 (orderedPage) picks the
 * page's seqs, stage 2 reads those rows' summaries, text and rank, through the
 * same MATCH (one index cursor: cheap even for a prefix). CROSS JOIN fixes the
 * join order SQLite would otherwise get wrong here.
 */
function orderedSearch(
  conn: Connection,
  ranked: Ranked,
  filters: Condition,
  query: ParsedQuery,
  terms: SearchTerm[],
): Page<SearchHit> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const ordering = orderingOf(query);
  const { table, expression } = ranked;
  const seqs = orderedPage(conn, ranked, and(filters, afterCursor(ordering, query.cursor)), ordering, limit + 1);
  if (seqs.length === 0) return { items: [] };
  const inPage = seqIn(seqs);
  const rank = rankExpression(ranked.scoringPhrases, table, table);
  // The page's rows by an automatic index on the materialized page; the rowid range keeps FTS5 from reading
  // matches outside it (narrow in the usual newest-first order, since seq follows the order of saving).
  const rows = conn.all(
    `WITH page AS MATERIALIZED (
       SELECT t.seq AS seq FROM trajectories t WHERE ${inPage.sql})
     SELECT ${SUMMARY_COLUMNS}, ${ordering.expression} AS sort_key, ${rank} AS rank, ${BODY_COLUMN}
     FROM ${table} CROSS JOIN page ON page.seq = ${table}.rowid
       CROSS JOIN trajectories t ON t.seq = page.seq ${TESTGEN_JOIN}
     WHERE ${table} MATCH ? AND ${table}.rowid BETWEEN ? AND ? ${orderClause(ordering)}`,
    [...inPage.params, expression, Math.min(...seqs), Math.max(...seqs)],
  );
  const { rows: items, nextCursor } = trimPage(rows, limit, ordering);
  return {
    items: items.map((row) => toHit(row, terms, Number(row.rank))),
    ...(nextCursor ? { nextCursor } : {}),
  };
}

/**
 * The seqs of the first `count` matches in `ordering` that pass `where`. SQLite alone reads every match and
 * sorts them all (172 ms for a word in all of 100,000 rows), so the way depends on how many there are
 * (ORDERED_SEARCH).
 */
function orderedPage(
  conn: Connection,
  { table, expression, prefix }: Ranked,
  where: Condition,
  ordering: Ordering,
  count: number,
): number[] {
  const match = `SELECT rowid FROM ${table} WHERE ${table} MATCH ?`;
  const page = (membership: Condition, rowLimit = count) =>
    conn
      .all(
        `SELECT t.seq AS seq FROM ${SUMMARY_FROM} WHERE ${and(membership, where).sql}
         ${orderClause(ordering)} LIMIT ?`,
        [...membership.params, ...where.params, rowLimit],
      )
      .map((row) => Number(row.seq));

  /**
   * The rowids that match within `range` when there are at most ORDERED_SEARCH.fewMatches, else undefined:
   * one bounded read, handed over as one JSON array (row by row, 2,001 rowids took some 7 ms).
   */
  const fewWithin = (range: Condition): number[] | undefined => {
    const json = conn.value(`SELECT json_group_array(rowid) FROM (${match} AND ${range.sql} LIMIT ?)`, [
      expression,
      ...range.params,
      ORDERED_SEARCH.fewMatches + 1,
    ]);
    const rowids = JSON.parse(String(json)) as number[];
    return rowids.length <= ORDERED_SEARCH.fewMatches ? rowids : undefined;
  };

  // Few matches: sort just those rows.
  const few = fewWithin(and());
  if (few) return page(seqIn(few));
  // Many: the first rows in the order likely match. They are checked against the matches within their seqs'
  // range when that range holds few (newest first: the rows saved last), else probed one by one (an index seek
  // each: too dear for a prefix, which FTS5 merges whole on every probe). Too few hits: the last way decides.
  const head = page(and(), ORDERED_SEARCH.probeWindow);
  if (head.length >= count) {
    const nearby = fewWithin({ sql: 'rowid BETWEEN ? AND ?', params: [Math.min(...head), Math.max(...head)] });
    let hits: number[] = [];
    if (nearby) {
      const matched = new Set(nearby);
      hits = head.filter((seq) => matched.has(seq)).slice(0, count);
    } else if (!prefix) {
      // json_each gives the head in its order, so the first `count` hits are the page, and probing stops there.
      hits = conn
        .all(`SELECT value FROM json_each(?) WHERE EXISTS (${match} AND rowid = value) LIMIT ?`, [
          JSON.stringify(head),
          expression,
          count,
        ])
        .map((row) => Number(row.value));
    }
    if (hits.length === count) return hits;
  }
  // Walk the order's index, each row checked against the match list built once (`+` keeps SQLite from
  // driving the query from that list instead, which sorts every match).
  return page({ sql: `+t.seq IN (${match})`, params: [expression] });
}
