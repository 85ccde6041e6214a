/** The SQLite WASM module, loaded once per worker (or Node process), when a database is first needed. */
import sqlite3InitModule, { type Sqlite3Static } from '@sqlite.org/sqlite-wasm';

let sqlite3Promise: Promise<Sqlite3Static> | undefined;

export function loadSqlite3(): Promise<Sqlite3Static> {
  sqlite3Promise ??= sqlite3InitModule();
  return sqlite3Promise;
}
