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
