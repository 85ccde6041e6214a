/** The SQLite WASM module, loaded once per worker (or Node process), when a database is first needed. */
import sqlite3InitModule, { type Sqlite3Static } from '@sqlite.org/sqlite-wasm';

let sqlite3Promise: Promise<Sqlite3Static> | undefined;
let loaded: Sqlite3Static | undefined;

export function loadSqlite3(): Promise<Sqlite3Static> {
  sqlite3Promise ??= sqlite3InitModule().then((sqlite3) => {
    quietStepFailures(sqlite3);
    loaded = sqlite3;
    return sqlite3;
  });
  return sqlite3Promise;
}

/** The module, once loadSqlite3 has resolved (every database is made after that). */
export function loadedSqlite3(): Sqlite3Static {
  if (!loaded) throw new Error('the SQLite module is not loaded yet');
  return loaded;
}

/**
 * The oo1 layer prints every failed statement, its SQL included, to the
 * console before it throws. The store turns each failure into a typed error
 * of its own; printing the SQL too would only put a user's query text in logs.
 */
function quietStepFailures(sqlite3: Sqlite3Static): void {
  const warn = sqlite3.config.warn.bind(sqlite3.config);
  sqlite3.config.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('sqlite3_step() rc=')) return;
    warn(...args);
  };
}
