/**
 * SQL for PostgreSQL written the way the local store writes it: conditions
 * with `?` placeholders and their values side by side (src/store/filters.ts's
 * Condition), numbered `$1, $2...` only when a statement is run. The local
 * store's filter, ordering and cursor SQL is reused as it is; no value is ever
 * spliced into SQL text.
 */
import type { Sql } from 'postgres';
import type { Condition } from '../store/filters.js';

export type Db = Sql<Record<string, never>>;
export type PgRow = Record<string, unknown>;
/** A pool or a transaction: anything that runs statements. */
export type Runner = Pick<Db, 'unsafe'>;

/** `?` -> `$n`, in order; the SQL given here never holds a `?` of its own (no JSON operators, no literals with one). */
export function numbered(sql: string, paramCount: number): string {
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${++n}`);
  if (n !== paramCount) throw new Error(`statement has ${n} placeholders for ${paramCount} values`);
  return text;
}

/** A statement and its values; a Condition is one, and Postgres also takes arrays (`= ANY(?)`). */
export interface Statement {
  sql: string;
  params: readonly unknown[];
}

/** Runs a statement built from conditions; rows come back as plain objects. */
export async function query(db: Db, statement: Statement): Promise<PgRow[]> {
  const rows = await db.unsafe(numbered(statement.sql, statement.params.length), statement.params as never[]);
  return rows as unknown as PgRow[];
}

/** `1` is SQLite's always-true condition (filters.ts writes it); Postgres wants a boolean. */
export function where(condition: Condition): string {
  return condition.sql === '1' ? 'true' : condition.sql;
}
