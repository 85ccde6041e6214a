/**
 * search-counts.ts and store_bm25 (fts5-rank.ts): a query with several scoring phrases ranks with bm25's own
 * values, its phrases' row counts kept from one search to the next only while they cannot have changed. Each
 * check compares every row's store_bm25 with FTS5's bm25 (the same doubles), after writes, a rollback and a
 * table declared again: a count kept when it should have been counted again gives other ranks.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import { beforeEach, describe, expect, test } from 'vitest';
import { Connection } from '../src/store/connection.js';
import { BM25_FUNCTION, rankExpression, registerRankFunction } from '../src/store/fts5-rank.js';
import { HEADROOM, phraseRows } from '../src/store/search-counts.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { rawDatabase } from './fixtures.js';

/** Enough rows for a common word to be counted only part of the way (past half the rows, HEADROOM more). */
const ROWS = 2 * HEADROOM + 3000;
const TABLE = `CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')`;

let db: Database;
let conn: Connection;

/** Rows 1..ROWS: alpha in 8 of 10, beta in 3 of 10, gamma in 1 of 100; some rows longer than others. */
function fill(): void {
  conn.run(
    `WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < ?)
     INSERT INTO t (rowid, body) SELECT n,
       iif(n % 10 < 8, 'alpha ', '') || iif(n % 10 < 3, 'beta beta ', '') || iif(n % 100 = 0, 'gamma ', '')
       || 'filler' || substr(' more words here and there', 1, n % 27) FROM i`,
    [ROWS],
  );
}

beforeEach(async () => {
  db = await rawDatabase();
  registerRankFunction(await loadSqlite3(), db);
  conn = new Connection(db);
  conn.run(TABLE);
  fill();
});

/** Every match's store_bm25 (given phraseRows' counts) beside FTS5's bm25. */
function ranks(expression: string, phrases: string[]) {
  const rank = rankExpression('t', 't', phraseRows(conn, 't', phrases));
  return conn.all<{ rowid: number; ours: number; bm25: number }>(
    `SELECT rowid, ${rank.sql} AS ours, bm25(t) AS bm25 FROM t WHERE t MATCH ? ORDER BY rowid`,
    [...rank.params, expression],
  );
}

function expectBm25(expression: string, phrases: string[]): void {
  const rows = ranks(expression, phrases);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row.ours).toBe(row.bm25);
}

const count = (phrase: string) => Number(conn.value('SELECT count(*) FROM t WHERE t MATCH ?', [phrase]));

describe('store_bm25 with the counts of search-counts.ts', () => {
  test('bm25 to the last bit: a common word counted half way, a rarer one exactly, an excluded one not', () => {
    const [alpha, beta, gamma] = phraseRows(conn, 't', ['"alpha"', '"beta"', '"gamma"']);
    expect(count('"alpha"')).toBeGreaterThan(alpha!); // stopped
    expect(alpha).toBeGreaterThanOrEqual(Math.ceil(ROWS / 2));
    expect([beta, gamma]).toEqual([count('"beta"'), count('"gamma"')]);
    expectBm25('"alpha" AND "beta"', ['"alpha"', '"beta"']);
    expectBm25('"beta" OR "gamma"', ['"beta"', '"gamma"']);
    expectBm25('("alpha" AND "filler") NOT "beta"', ['"alpha"', '"filler"']);
    expectBm25('"alpha beta" AND "filler"', ['"alpha beta"', '"filler"']);
  });

  test('a kept exact count is counted again after any write', () => {
    expectBm25('"alpha" AND "gamma"', ['"alpha"', '"gamma"']);
    conn.run("INSERT INTO t (rowid, body) VALUES (?, 'gamma alpha')", [ROWS + 1]);
    expectBm25('"alpha" AND "gamma"', ['"alpha"', '"gamma"']);
    conn.run('DELETE FROM t WHERE rowid IN (100, 200, 300)');
    expectBm25('"alpha" AND "gamma"', ['"alpha"', '"gamma"']);
  });

  test('a kept "at least half" count holds while the changes since cannot bring it under half, no longer', () => {
    const [before] = phraseRows(conn, 't', ['"alpha"']);
    conn.run("UPDATE t SET body = 'omega' WHERE rowid IN (1, 2, 3)");
    const [after] = phraseRows(conn, 't', ['"alpha"']);
    expect(after).toBeLessThan(before!); // kept: lowered by the changes made since
    expect(after).toBeGreaterThanOrEqual(Math.ceil(ROWS / 2));
    expectBm25('"alpha" AND "beta"', ['"alpha"', '"beta"']);
    // Alpha leaves most rows: now under half, its IDF is no longer bm25's 1e-6.
    conn.run("UPDATE t SET body = 'omega' WHERE rowid % 10 IN (3, 4, 5, 6, 7)");
    expect(count('"alpha"')).toBeLessThan(ROWS / 2);
    expect(phraseRows(conn, 't', ['"alpha"'])).toEqual([count('"alpha"')]);
    expectBm25('"alpha" AND "filler"', ['"alpha"', '"filler"']);
  });

  test('a table declared again (a replace import) forgets every count', () => {
    expectBm25('"alpha" AND "beta"', ['"alpha"', '"beta"']);
    conn.run('DROP TABLE t');
    conn.run(TABLE);
    conn.run("INSERT INTO t (rowid, body) VALUES (1, 'alpha'), (2, 'beta'), (3, 'alpha beta'), (4, 'omega')");
    expect(phraseRows(conn, 't', ['"alpha"', '"beta"'])).toEqual([2, 2]);
    expectBm25('"alpha" AND "beta"', ['"alpha"', '"beta"']);
  });

  test('counts made inside a transaction are not kept: it may roll back', () => {
    conn.run('BEGIN');
    conn.run("UPDATE t SET body = 'gamma' WHERE rowid % 10 = 9");
    expect(phraseRows(conn, 't', ['"gamma"'])).toEqual([count('"gamma"')]);
    conn.run('ROLLBACK');
    expect(phraseRows(conn, 't', ['"gamma"'])).toEqual([count('"gamma"')]);
    expectBm25('"alpha" AND "gamma"', ['"alpha"', '"gamma"']);
  });

  test('takes its table and a count for each scoring phrase', () => {
    expect(() => conn.all(`SELECT ${BM25_FUNCTION}(t) FROM t WHERE t MATCH 'alpha'`)).toThrow(
      `${BM25_FUNCTION} takes its table and the row count of each phrase that scores`,
    );
    expect(() => conn.all(`SELECT ${BM25_FUNCTION}(t, -1, 2) FROM t WHERE t MATCH 'alpha AND beta'`)).toThrow(
      `${BM25_FUNCTION} takes its table and the row count of each phrase that scores`,
    );
  });
});
