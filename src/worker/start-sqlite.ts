/**
 * Imported first by the worker's entry, so that it is evaluated before the worker's other modules: SQLite's wasm
 * is fetched and compiled on the browser's own threads while they evaluate (zod's schemas, the migrations'
 * checksums... 100-250 ms of a cold open, measured), instead of after them. Every store needs SQLite; a
 * failure to load it is met again, and reported, where the store opens.
 */
import { loadSqlite3 } from '../store/sqlite3.js';

loadSqlite3().catch(() => {});
