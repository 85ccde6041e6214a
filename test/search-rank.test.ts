/**
 * store_rank (src/store/fts5-rank.ts): a search ranks its matches in the order FTS5's bm25 gives them, for
 * every query shape, through the ranking windows, filters and every page of the cursor. Each expected order
 * here is computed from FTS5's own bm25 (its hidden `rank` column), the way searches ranked before store_rank.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import type { SearchHit } from '../src/contract/results.js';
import type { TrajectoryQuery } from '../src/schema/query.js';
import { Connection } from '../src/store/connection.js';
import { RANK_FUNCTION } from '../src/store/fts5-rank.js';
import { openMemoryStore } from '../src/store/memory.js';
import { RANK_WINDOW } from '../src/store/search.js';
import type { StoreCore } from '../src/store/store.js';
import { atifRun, openCore, rawDatabase } from './fixtures.js';

/** More than two ranking windows of matches for the common words. */
const TOTAL = Math.round(RANK_WINDOW * 2.6);
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu'];
const CJK = ['東京都の設定', '設定ファイル', '東京都', 'データベース'];

/** A deterministic number in [0, 1) for (i, k). */
function hash(i: number, k: number): number {
  let x = (i * 7919 + k * 104_729 + 1) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

/** Run i's text: 3 to 40 words drawn skewed (the first words in most runs, repeated in some), CJK in 1 in 9. */
function text(i: number): string {
  const length = 3 + Math.floor(hash(i, 0) * 38);
  const words = Array.from({ length }, (_, k) => WORDS[Math.floor(WORDS.length * hash(i, k + 1) ** 2)]!);
  return `${words.join(' ')}${i % 9 === 0 ? ` ${CJK[i % CJK.length]}` : ''}`;
}

let core: StoreCore;
let db: Database;
let conn: Connection;

beforeAll(async () => {
  ({ core, db } = await openCore());
  conn = new Connection(db);
  const items = Array.from({ length: TOTAL }, (_, i) =>
    atifRun(`run-${i}`, {
      agent: ['claude-code', 'codex', 'aider'][i % 3],
      text: text(i),
      start: `2025-05-${String(1 + (i % 20)).padStart(2, '0')}T10:00:00.000Z`,
    }),
  );
  expect(core.insertMany(items).inserted).toBe(TOTAL);
}, 120_000);

/** Every hit of a search, page by page. */
function everyHit(search: StoreCore, text: string, query: { limit: number } & TrajectoryQuery): SearchHit[] {
  const hits: SearchHit[] = [];
  let cursor: string | undefined;
  do {
    const page = search.searchTrajectories(text, { ...query, ...(cursor ? { cursor } : {}) });
    hits.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return hits;
}

interface Shape {
  text: string;
  /** The FTS5 expression the search builds for it, and its table. */
  expression: string;
  table?: 'trajectory_search_unsegmented';
  /** The one phrase that can score (store_rank ranks the query), or none (bm25 does, with its IDFs). */
  phrase?: string;
}

const SHAPES: Shape[] = [
  { text: 'alpha', expression: '("alpha")', phrase: '"alpha"' },
  { text: 'lambda', expression: '("lambda")', phrase: '"lambda"' },
  { text: '"alpha beta"', expression: '("alpha beta")', phrase: '"alpha beta"' },
  { text: 'gam*', expression: '("gam"*)', phrase: '"gam"*' },
  { text: 'alpha -beta', expression: '(("alpha")) NOT ("beta")', phrase: '"alpha"' },
  { text: 'alpha NOT gamma NOT delta', expression: '(("alpha")) NOT ("gamma" OR "delta")', phrase: '"alpha"' },
  { text: '東京都', expression: '"東京都"', table: 'trajectory_search_unsegmented', phrase: '"東京都"' },
  { text: 'alpha beta', expression: '("alpha") AND ("beta")' },
  { text: 'alpha OR kappa', expression: '("alpha" OR "kappa")' },
  { text: '"alpha beta" gamma', expression: '("alpha beta") AND ("gamma")' },
  { text: 'del* -alpha', expression: '(("del"*)) NOT ("alpha")', phrase: '"del"*' },
];

/** bm25's IDF for a phrase (fts5_aux.c): the same doubles. */
function idf(table: string, phrase: string): number {
  const rows = Number(conn.value(`SELECT count(*) FROM ${table}`));
  const hits = Number(conn.value(`SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`, [phrase]));
  const value = Math.log((rows - hits + 0.5) / (hits + 0.5));
  return value <= 0 ? 1e-6 : value;
}

/** Every match passing `filter`, with its bm25: newest first. */
function matches(shape: Shape, filter = { sql: '1', params: [] as string[] }) {
  const table = shape.table ?? 'trajectory_search';
  return conn.all<{ id: string; seq: number; bm25: number }>(
    `SELECT t.id, t.seq, s.rank AS bm25 FROM ${table} s JOIN trajectories t ON t.seq = s.rowid
     WHERE s.${table} MATCH ? AND ${filter.sql} ORDER BY s.rowid DESC`,
    [shape.expression, ...filter.params],
  );
}

/** The ranked search's order: windows of the RANK_WINDOW newest matches, each by bm25, ties by seq. */
function bm25Order(rows: ReturnType<typeof matches>): string[] {
  const order: string[] = [];
  for (let start = 0; start < rows.length; start += RANK_WINDOW) {
    const window = rows.slice(start, start + RANK_WINDOW);
    window.sort((a, b) => a.bm25 - b.bm25 || a.seq - b.seq);
    order.push(...window.map((row) => row.id));
  }
  return order;
}

/** Each hit's rank is bm25's: the same double, or bm25's divided by the phrase's IDF (store_rank). */
function expectBm25Ranks(shape: Shape, hits: SearchHit[], rows: ReturnType<typeof matches>): void {
  const bm25 = new Map(rows.map((row) => [row.id, row.bm25]));
  const factor = shape.phrase ? idf(shape.table ?? 'trajectory_search', shape.phrase) : 1;
  for (const hit of hits) expect(hit.rank! * factor).toBe(bm25.get(hit.id));
}

describe('ranked like bm25', () => {
  test('the corpus has shapes ranked in several windows', () => {
    expect(matches(SHAPES[0]!).length).toBeGreaterThan(2 * RANK_WINDOW);
    expect(matches(SHAPES[6]!).length).toBeGreaterThan(10);
  });

  test.each(SHAPES)('$text: every match once, in bm25 order, bm25 ranks', (shape) => {
    const rows = matches(shape);
    expect(rows.length).toBeGreaterThan(0);
    const hits = everyHit(core, shape.text, { limit: 97 });
    expect(hits.map((hit) => hit.id)).toEqual(bm25Order(rows));
    expectBm25Ranks(shape, hits, rows);
  });

  test.each(SHAPES.filter((shape) => !shape.table))(
    '$text, agent codex: the matches that pass, in bm25 order',
    (shape) => {
      const rows = matches(shape, { sql: 't.agent_name = ?', params: ['codex'] });
      const hits = everyHit(core, shape.text, { limit: 50, agentName: 'codex' });
      expect(hits.map((hit) => hit.id)).toEqual(bm25Order(rows));
      expectBm25Ranks(shape, hits, rows);
    },
  );

  test.each(SHAPES)('$text by createdAt: each hit ranked as bm25 ranks it', (shape) => {
    const rows = matches(shape);
    const hits = everyHit(core, shape.text, { limit: 400, orderBy: 'createdAt' });
    expect(new Set(hits.map((hit) => hit.id))).toEqual(new Set(rows.map((row) => row.id)));
    expectBm25Ranks(shape, hits, rows);
  });

  test('a store opened on a snapshot ranks the same', async () => {
    const copy = await openMemoryStore(core.exportSnapshot());
    try {
      for (const shape of SHAPES.slice(0, 4)) {
        const ids = (store: StoreCore) => everyHit(store, shape.text, { limit: 333 }).map((hit) => [hit.id, hit.rank]);
        expect(ids(copy)).toEqual(ids(core));
      }
    } finally {
      copy.close();
    }
  });
});

describe('store_rank', () => {
  test('a connection without it fails the query instead of ranking otherwise', async () => {
    const raw = await rawDatabase();
    try {
      raw.exec("CREATE VIRTUAL TABLE t USING fts5(body); INSERT INTO t VALUES ('alpha')");
      expect(() => raw.exec(`SELECT ${RANK_FUNCTION}(t) FROM t WHERE t MATCH 'alpha'`)).toThrow(
        `no such function: ${RANK_FUNCTION}`,
      );
    } finally {
      raw.close();
    }
  });

  test('takes no argument but its table', () => {
    expect(() =>
      conn.all(
        `SELECT ${RANK_FUNCTION}(trajectory_search, 1) FROM trajectory_search WHERE trajectory_search MATCH 'alpha'`,
      ),
    ).toThrow(`${RANK_FUNCTION} takes no arguments but its table`);
  });
});
