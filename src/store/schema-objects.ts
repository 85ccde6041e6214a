/**
 * Schema objects set aside while a transaction fills tables in bulk (a replace import), and declared again
 * afterwards from their own declarations in sqlite_schema, so exactly as the migrations declared them.
 */
import type { Connection, Params } from './connection.js';

/**
 * Drops the indexes or triggers that `where` selects (a condition on sqlite_schema's columns, `params` bound) and
 * returns the function that declares them again. The caller holds the transaction: on any failure before that,
 * the rollback brings them back.
 */
export function setAside(conn: Connection, type: 'index' | 'trigger', where: string, params: Params = []): () => void {
  const objects = conn.all<{ name: string; sql: string }>(
    `SELECT name, sql FROM sqlite_schema WHERE type = ? AND sql IS NOT NULL AND (${where})`,
    [type, ...params],
  );
  for (const { name } of objects) conn.db.exec(`DROP ${type.toUpperCase()} "${name.replace(/"/g, '""')}"`);
  return () => {
    for (const { sql } of objects) conn.db.exec(sql);
  };
}
