/**
 * How the store sets up its SQLite connections.
 *
 * Every connection is defensive (no writes to the schema or to shadow tables
 * by ordinary SQL) and trusts no schema: functions with side effects and
 * virtual tables not marked innocuous cannot be used from triggers or views.
 *
 * A connection that reads foreign bytes (a snapshot being imported) also runs
 * no triggers and no views at all, caps the length of any value, of any SQL
 * text (the file's schema is SQL text) and the depth of any expression, and
 * stops once its time budget is spent, through the progress handler.
 */
import type { Database, Sqlite3Static } from '@sqlite.org/sqlite-wasm';

/** Any string or blob a foreign file may hand us: a document larger than this is refused. */
export const FOREIGN_MAX_VALUE_BYTES = 256 * 1024 * 1024;
/** Any one statement, the file's own CREATE statements included (ours are a few KB). */
export const FOREIGN_MAX_SQL_BYTES = 1024 * 1024;
/** Expression nesting (ours nest a handful of levels). */
export const FOREIGN_MAX_EXPRESSION_DEPTH = 100;
/** The progress handler is called every this many virtual machine instructions. */
const PROGRESS_INSTRUCTIONS = 10_000;

export function hardenConnection(sqlite3: Sqlite3Static, db: Database): void {
  const { capi } = sqlite3;
  setConfig(sqlite3, db, capi.SQLITE_DBCONFIG_DEFENSIVE, 1);
  setConfig(sqlite3, db, capi.SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0);
}

export interface ForeignBudget {
  /** True once the time budget was spent (SQLite then fails with SQLITE_INTERRUPT). */
  readonly exceeded: boolean;
  readonly budgetMs: number;
  /** Runs `work`, which is not reading the file (writing what was read, say): its time is not counted. */
  outside<T>(work: () => T): T;
}

/**
 * Sets up a connection over untrusted bytes. Call before the first statement:
 * the file's schema is parsed then, under these limits.
 */
export function hardenForeignConnection(sqlite3: Sqlite3Static, db: Database, budgetMs: number): ForeignBudget {
  const { capi } = sqlite3;
  hardenConnection(sqlite3, db);
  setConfig(sqlite3, db, capi.SQLITE_DBCONFIG_ENABLE_TRIGGER, 0);
  setConfig(sqlite3, db, capi.SQLITE_DBCONFIG_ENABLE_VIEW, 0);
  capi.sqlite3_limit(db, capi.SQLITE_LIMIT_LENGTH, FOREIGN_MAX_VALUE_BYTES);
  capi.sqlite3_limit(db, capi.SQLITE_LIMIT_SQL_LENGTH, FOREIGN_MAX_SQL_BYTES);
  capi.sqlite3_limit(db, capi.SQLITE_LIMIT_EXPR_DEPTH, FOREIGN_MAX_EXPRESSION_DEPTH);
  let deadline = performance.now() + budgetMs;
  const budget = {
    exceeded: false,
    budgetMs,
    outside<T>(work: () => T): T {
      const start = performance.now();
      try {
        return work();
      } finally {
        deadline += performance.now() - start;
      }
    },
  };
  capi.sqlite3_progress_handler(
    db,
    PROGRESS_INSTRUCTIONS,
    () => {
      if (performance.now() < deadline) return 0;
      budget.exceeded = true;
      return 1;
    },
    0,
  );
  return budget;
}

/** An on/off option of sqlite3_db_config (its typings list each option's arguments separately). */
function setConfig(sqlite3: Sqlite3Static, db: Database, op: number, value: 0 | 1): void {
  const rc = (sqlite3.capi.sqlite3_db_config as (db: Database, op: number, value: number, out: number) => number)(
    db,
    op,
    value,
    0,
  );
  if (rc !== sqlite3.capi.SQLITE_OK)
    throw new Error(`sqlite3_db_config(${op}) failed: ${sqlite3.capi.sqlite3_js_rc_str(rc)}`);
}
