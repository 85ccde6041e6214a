/**
 * A thin layer over an oo1 Database: every value bound (never spliced into
 * SQL), statements prepared once and reused, rows as plain objects.
 */
import type { BindingSpec, Database, PreparedStatement, SqlValue } from '@sqlite.org/sqlite-wasm';
import { LruMap } from '../util/lru.js';
import { loadedSqlite3 } from './sqlite3.js';

export type Row = Record<string, SqlValue>;
export type Params = readonly SqlValue[];

/** A write transaction begun by Connection.begin. */
export interface WriteTransaction {
  commit(): void;
  /** Rolls back whatever is still open (nothing, if a failure already did). */
  rollback(): void;
}

/** 2^63: an integer-valued double at or beyond it (or below -2^63) has no 64-bit integer. */
const INT64_LIMIT = 2 ** 63;

/**
 * oo1's bind, except for an integer-valued double outside the 64-bit range (a token count of 1e20 in a
 * document): oo1 binds every integer-valued double with sqlite3_bind_int64, which wraps it (1e20 became
 * 7.8e18 and 2^63 became -2^63). Such a value is bound as the double it is, stored as REAL.
 */
function bindAll(db: Database, stmt: PreparedStatement, params: Params): void {
  stmt.bind(params as BindingSpec);
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    if (typeof value === 'number' && (value >= INT64_LIMIT || value < -INT64_LIMIT)) {
      db.checkRc(loadedSqlite3().capi.sqlite3_bind_double(stmt.pointer!, i + 1, value));
    }
  }
}

/** Enough for every statement the store builds (filters combine into a few hundred shapes at most). */
const STATEMENT_CACHE_SIZE = 200;

export class Connection {
  /** Prepared statements by SQL, reused; the least recently used is finalized when the cache is full. */
  private readonly statements = new LruMap<string, PreparedStatement>(STATEMENT_CACHE_SIZE, (stmt) => stmt.finalize());

  constructor(readonly db: Database) {}

  private statement(sql: string): PreparedStatement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private withStatement<T>(sql: string, params: Params, use: (stmt: PreparedStatement) => T): T {
    const stmt = this.statement(sql);
    try {
      if (params.length > 0) bindAll(this.db, stmt, params);
      return use(stmt);
    } finally {
      stmt.reset(true);
    }
  }

  all<T extends Row = Row>(sql: string, params: Params = []): T[] {
    return this.withStatement(sql, params, (stmt) => {
      const rows: T[] = [];
      if (!stmt.step()) return rows;
      const names = stmt.getColumnNames();
      do rows.push(rowObject(stmt, names) as T);
      while (stmt.step());
      return rows;
    });
  }

  get<T extends Row = Row>(sql: string, params: Params = []): T | undefined {
    return this.withStatement(sql, params, (stmt) =>
      stmt.step() ? (rowObject(stmt, stmt.getColumnNames()) as T) : undefined,
    );
  }

  value(sql: string, params: Params = []): SqlValue | undefined {
    return this.withStatement(sql, params, (stmt) => (stmt.step() ? stmt.get(0) : undefined));
  }

  /**
   * Calls `visit` with each row as an array of column values, until it returns
   * false. Steps through the C API directly: some three times faster than the
   * object rows of `all` when a whole table is read (a snapshot import).
   */
  forEach(sql: string, params: Params, visit: (row: SqlValue[]) => boolean | undefined): void {
    this.withStatement(sql, params, (stmt) => {
      const { capi } = loadedSqlite3();
      const count = stmt.columnCount;
      for (;;) {
        const rc = capi.sqlite3_step(stmt.pointer!);
        if (rc === capi.SQLITE_DONE) return;
        if (rc !== capi.SQLITE_ROW) this.db.checkRc(rc); // throws the statement's error, with its message
        const row: SqlValue[] = [];
        for (let i = 0; i < count; i++) row.push(columnValue(stmt, i));
        if (visit(row) === false) return;
      }
    });
  }

  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, params: Params = []): number {
    return this.withStatement(sql, params, (stmt) => {
      stmt.step();
      return this.db.changes();
    });
  }

  /** Runs `work` in one write transaction: committed if it returns, rolled back if it throws. */
  transaction<T>(work: () => T): T {
    const transaction = this.begin();
    try {
      const result = work();
      transaction.commit();
      return result;
    } catch (error) {
      transaction.rollback();
      throw error;
    }
  }

  /**
   * Begins a write transaction that outlives this call, for work that arrives over time (transaction() for work
   * done at once): the caller commits or rolls it back, and lets nothing else run on the connection meanwhile.
   */
  begin(): WriteTransaction {
    this.db.exec('BEGIN IMMEDIATE');
    return {
      commit: () => this.db.exec('COMMIT'),
      rollback: () => {
        if (!this.db.isOpen()) return; // closed: SQLite rolled back what was open
        // A full disk or an I/O error can roll the transaction back by itself (https://sqlite.org/lang_transaction.html):
        // a ROLLBACK then fails with "no transaction is active" and would hide the error that says what went wrong.
        if (loadedSqlite3().capi.sqlite3_get_autocommit(this.db) === 0) this.db.exec('ROLLBACK');
      },
    };
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}

/**
 * The current row as an object, the same values as oo1's `stmt.get({})` (an integer is a number, or a BigInt
 * beyond 2^53) read about three times faster: the column names are read once a statement, not once a value,
 * and an integer goes through a double, not a BigInt, unless it is too large for one (a page of 50 summaries
 * took 3-5 ms that way, 1,448 rows of stats cells 85 ms).
 */
function rowObject(stmt: PreparedStatement, names: readonly string[]): Row {
  const row: Row = {};
  for (let i = 0; i < names.length; i++) row[names[i]!] = columnValue(stmt, i);
  return row;
}

/**
 * Column `i` of the current row, the value oo1's `stmt.get(i)` gives, read through the C API (forEach steps
 * there, so oo1's own getters would refuse the row).
 */
function columnValue(stmt: PreparedStatement, i: number): SqlValue {
  const { capi, wasm } = loadedSqlite3();
  const pointer = stmt.pointer!;
  const type = capi.sqlite3_column_type(pointer, i);
  if (type === capi.SQLITE_NULL) return null;
  if (type === capi.SQLITE_TEXT) return capi.sqlite3_column_text(pointer, i);
  if (type === capi.SQLITE_FLOAT) return capi.sqlite3_column_double(pointer, i);
  if (type === capi.SQLITE_INTEGER) {
    const value = capi.sqlite3_column_double(pointer, i);
    // Beyond 2^53 a double is not the integer: oo1 gives it as a BigInt.
    return Number.isSafeInteger(value) ? value : BigInt(capi.sqlite3_column_int64(pointer, i));
  }
  // A blob: its bytes copied out of the wasm heap.
  const bytes = capi.sqlite3_column_blob(pointer, i);
  return wasm.heap8u().slice(bytes, bytes + capi.sqlite3_column_bytes(pointer, i));
}
