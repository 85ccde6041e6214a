/** Making and editing SQLite files for the snapshot tests, with a plain (not hardened) connection. */
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { rawDatabase } from './fixtures.js';

/** `bytes` opened as a scratch database (a copy: changing it leaves `bytes` as they are). */
async function scratchDatabase(bytes: Uint8Array) {
  const sqlite3 = await loadSqlite3();
  const db = new sqlite3.oo1.DB(':memory:', 'c');
  const p = sqlite3.wasm.allocFromTypedArray(bytes);
  const { capi } = sqlite3;
  db.checkRc(
    capi.sqlite3_deserialize(
      db,
      'main',
      p,
      bytes.length,
      bytes.length,
      capi.SQLITE_DESERIALIZE_FREEONCLOSE | capi.SQLITE_DESERIALIZE_RESIZEABLE,
    ),
  );
  return { db, capi };
}

/** Opens `bytes` as a scratch database, runs `sql` on it, returns the new bytes. */
export async function editSnapshot(bytes: Uint8Array, sql: string): Promise<Uint8Array> {
  const { db, capi } = await scratchDatabase(bytes);
  db.exec(sql);
  const out = capi.sqlite3_js_db_export(db);
  db.close();
  return out;
}

/** The rows of `sql` (as arrays) on a scratch copy of `bytes`. */
export async function selectFromSnapshot(bytes: Uint8Array, sql: string): Promise<unknown[][]> {
  const { db } = await scratchDatabase(bytes);
  try {
    return db.selectArrays(sql);
  } finally {
    db.close();
  }
}

export async function databaseBytes(sql: string): Promise<Uint8Array> {
  const db = await rawDatabase();
  db.exec(sql);
  const out = (await loadSqlite3()).capi.sqlite3_js_db_export(db);
  db.close();
  return out;
}
