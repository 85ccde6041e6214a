/**
 * A thin layer over an oo1 Database: every value bound (never spliced into
 * SQL), statements prepared once and reused, rows as plain objects.
 */
import type { BindingSpec, Database, PreparedStatement, SqlValue } from '@sqlite.org/sqlite-wasm';

export type Row = Record<string, SqlValue>;
export type Params = readonly SqlValue[];

/** Enough for every statement the store builds (filters combine into a few hundred shapes at most). */
const STATEMENT_CACHE_SIZE = 200;

export class Connection {
  private readonly statements = new Map<string, PreparedStatement>();

  constructor(readonly db: Database) {}

  /** A cached prepared statement; the cache is kept in least-recently-used order. */
  private statement(sql: string): PreparedStatement {
    let stmt = this.statements.get(sql);
    if (stmt) {
      this.statements.delete(sql);
    } else {
      stmt = this.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) {
        const [oldestSql, oldest] = this.statements.entries().next().value as [string, PreparedStatement];
        oldest.finalize();
        this.statements.delete(oldestSql);
      }
    }
    this.statements.set(sql, stmt);
    return stmt;
  }

  private withStatement<T>(sql: string, params: Params, use: (stmt: PreparedStatement) => T): T {
    const stmt = this.statement(sql);
    try {
      if (params.length > 0) stmt.bind(params as BindingSpec);
      return use(stmt);
    } finally {
      stmt.reset(true);
    }
  }

  all<T extends Row = Row>(sql: string, params: Params = []): T[] {
    return this.withStatement(sql, params, (stmt) => {
      const rows: T[] = [];
      while (stmt.step()) rows.push(stmt.get({}) as T);
      return rows;
    });
  }

  get<T extends Row = Row>(sql: string, params: Params = []): T | undefined {
    return this.withStatement(sql, params, (stmt) => (stmt.step() ? (stmt.get({}) as T) : undefined));
  }

  value(sql: string, params: Params = []): SqlValue | undefined {
    return this.withStatement(sql, params, (stmt) => (stmt.step() ? stmt.get(0) : undefined));
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
    return this.db.transaction('IMMEDIATE', () => work());
  }

  close(): void {
    for (const stmt of this.statements.values()) stmt.finalize();
    this.statements.clear();
    this.db.close();
  }
}
