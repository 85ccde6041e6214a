import { expect, test } from 'vitest';
import { toStoreError } from '../src/errors.js';
import { Connection } from '../src/store/connection.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';

async function connection(): Promise<Connection> {
  const sqlite3 = await loadSqlite3();
  const conn = new Connection(new sqlite3.oo1.DB(':memory:', 'c'));
  conn.db.exec('CREATE TABLE t (x)');
  return conn;
}

test('an error that already rolled the transaction back is the one thrown, not a failed ROLLBACK', async () => {
  const conn = await connection();
  const diskFull = Object.assign(new Error('database or disk is full'), { resultCode: 13 });
  // What SQLite does on a full disk or an I/O error in some cases: the transaction ends with the failed statement.
  const error = (() => {
    try {
      conn.transaction(() => {
        conn.run('INSERT INTO t VALUES (1)');
        conn.db.exec('ROLLBACK');
        throw diskFull;
      });
    } catch (thrown) {
      return thrown;
    }
  })();
  expect(error).toBe(diskFull);
  expect(toStoreError(error, 'insertMany').code).toBe('quota');
  expect(conn.value('SELECT count(*) FROM t')).toBe(0);
  // And the connection works on.
  conn.transaction(() => conn.run('INSERT INTO t VALUES (2)'));
  expect(conn.value('SELECT count(*) FROM t')).toBe(1);
});

test('any other failure rolls back what the transaction wrote', async () => {
  const conn = await connection();
  expect(() =>
    conn.transaction(() => {
      conn.run('INSERT INTO t VALUES (1)');
      throw new Error('boom');
    }),
  ).toThrow('boom');
  expect(conn.value('SELECT count(*) FROM t')).toBe(0);
});

test('rows read as oo1 reads them: every type, integers beyond 2^53 as BigInt, a repeated name keeps its last value', async () => {
  const conn = await connection();
  const sql = `SELECT NULL AS a, 0 AS b, -7 AS c, 9007199254740991 AS d, 9007199254740992 AS e, -9223372036854775808 AS f,
      9223372036854775807 AS g, 1.5 AS h, -0.0 AS i, 1e308 AS j, '' AS k, 'café 日本 😀' AS l, x'' AS m, x'00ff10' AS n,
      1 AS dup, 'two' AS dup, CAST(2 AS REAL) AS o`;
  const oo1 = (() => {
    const stmt = conn.db.prepare(sql);
    try {
      stmt.step();
      return stmt.get({});
    } finally {
      stmt.finalize();
    }
  })();
  const [row] = conn.all(sql);
  expect(row).toStrictEqual(oo1);
  expect(conn.get(sql)).toStrictEqual(oo1);
  expect(row!.e).toBe(9007199254740992n);
  expect(row!.d).toBe(9007199254740991);
  expect(row!.dup).toBe('two');
  // Rows after the first, and a statement that returns none.
  conn.run('INSERT INTO t VALUES (1), (2.5), (NULL), (?)', [2n ** 60n]);
  expect(conn.all('SELECT x FROM t ORDER BY rowid')).toStrictEqual([
    { x: 1 },
    { x: 2.5 },
    { x: null },
    { x: 2n ** 60n },
  ]);
  expect(conn.all('SELECT x FROM t WHERE 0')).toStrictEqual([]);
  expect(conn.get('SELECT x FROM t WHERE 0')).toBeUndefined();
});

test('forEach reads each value as the object rows do: an integer beyond 2^53 stays exact (a BigInt), blobs as bytes', async () => {
  const conn = await connection();
  conn.run("INSERT INTO t VALUES (1), (2.5), (NULL), (?), (?), (?), (x''), (x'00ff10')", [
    2n ** 53n + 1n,
    'text',
    -(2n ** 63n),
  ]);
  const rows: unknown[] = [];
  conn.forEach('SELECT x FROM t ORDER BY rowid', [], ([x]) => {
    rows.push(x);
    return true;
  });
  expect(rows).toStrictEqual(conn.all('SELECT x FROM t ORDER BY rowid').map((row) => row.x));
  expect(rows[3]).toBe(2n ** 53n + 1n);
});

test('an integer-valued double beyond 64-bit integers is bound as the double it is, one within as an integer', async () => {
  const conn = await connection();
  const values = [2 ** 63, -(2 ** 63) - 2048, 1e20, -1e300, 2 ** 60, -(2 ** 63), 7];
  for (const value of values) conn.run('INSERT INTO t VALUES (?)', [value]);
  const stored = conn.all('SELECT x, typeof(x) AS type FROM t ORDER BY rowid');
  expect(stored.map((row) => row.type)).toEqual(['real', 'real', 'real', 'real', 'integer', 'integer', 'integer']);
  expect(stored.map((row) => Number(row.x))).toEqual(values);
});
