import { expect, test } from 'vitest';
import { Connection } from '../src/store/connection.js';
import { FOREIGN_MAX_VALUE_BYTES, hardenForeignConnection } from '../src/store/hardening.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';

async function foreign(budgetMs: number) {
  const sqlite3 = await loadSqlite3();
  const conn = new Connection(new sqlite3.oo1.DB(':memory:', 'c'));
  return { conn, budget: hardenForeignConnection(sqlite3, conn.db, budgetMs) };
}

test('a connection over foreign bytes stops once its time budget is spent, and says so', async () => {
  const { conn, budget } = await foreign(50);
  const endless = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n';
  let rows = 0;
  expect(() =>
    conn.forEach(endless, [], () => {
      rows++;
      return true;
    }),
  ).toThrow(/interrupted/);
  expect(budget.exceeded).toBe(true);
  expect(rows).toBeGreaterThan(0);
  conn.close();
});

test('it caps values, SQL text and expression depth, and runs no triggers or views', async () => {
  const { conn } = await foreign(60_000);
  expect(() => conn.value(`SELECT length(printf('%.*c', ${FOREIGN_MAX_VALUE_BYTES + 1}, 'x'))`)).toThrow(/too big/);
  expect(() => conn.value(`SELECT ${'abs('.repeat(200)}1${')'.repeat(200)}`)).toThrow(/too large|depth/);
  expect(() => conn.value(`SELECT 1 /*${' '.repeat(2 * 1024 * 1024)}*/`)).toThrow(/too big|too long/);
  conn.db.exec(`CREATE TABLE t (x); CREATE TABLE log (x);
    CREATE TRIGGER t_insert AFTER INSERT ON t BEGIN INSERT INTO log VALUES (NEW.x); END;
    CREATE VIEW v AS SELECT 1;`);
  conn.run('INSERT INTO t VALUES (1)');
  expect(conn.value('SELECT count(*) FROM log')).toBe(0);
  expect(() => conn.value('SELECT * FROM v')).toThrow(/view/);
  conn.close();
});
