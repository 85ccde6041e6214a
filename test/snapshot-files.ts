/** Making and editing SQLite files for the snapshot tests, with a plain (not hardened) connection. */
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { rawDatabase } from './fixtures.js';

/** Opens `bytes` as a scratch database, runs `sql` on it, returns the new bytes. */
export async function editSnapshot(bytes: Uint8Array, sql: string): Promise<Uint8Array> {
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
  db.exec(sql);
  const out = capi.sqlite3_js_db_export(db);
  db.close();
  return out;
}

export async function databaseBytes(sql: string): Promise<Uint8Array> {
  const db = await rawDatabase();
  db.exec(sql);
  const out = (await loadSqlite3()).capi.sqlite3_js_db_export(db);
  db.close();
  return out;
}
