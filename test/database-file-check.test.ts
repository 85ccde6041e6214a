/**
 * checkDatabaseFile: a file a command works on as its own store (the CLI's --db) must be this project's at
 * some schema version, or the original desktop tool's, with its whole schema exactly as declared there.
 * Every file of this project passes (each migration level, one the sqlite3 shell analyzed); anything of the
 * file's own (a trigger, view, CHECK, index expression, extra table) is refused, unrun. The original desktop
 * tool's database declares its tables otherwise (and has triggers of its own): it is refused too, and read
 * by an import instead, which runs nothing of it (test/cli/commands.test.ts).
 */
import type { Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { describe, expect, test } from 'vitest';
import { Connection } from '../src/store/connection.js';
import { MIGRATIONS } from '../src/store/migration-files.js';
import { migrate } from '../src/store/migrations.js';
import { checkDatabaseFile } from '../src/store/snapshot.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { StoreCore } from '../src/store/store.js';
import { atifRun, rawDatabase } from './fixtures.js';
import { createOriginalDatabase } from './original-desktop-tool.js';
import { editSnapshot } from './snapshot-files.js';

/** Runs the check on `bytes` as the CLI does: from the wasm heap, freed afterwards. */
function check(sqlite3: Sqlite3Static, bytes: Uint8Array): void {
  const pointer = sqlite3.wasm.allocFromTypedArray(bytes);
  try {
    checkDatabaseFile(sqlite3, pointer, bytes.length, MIGRATIONS);
  } finally {
    sqlite3.wasm.dealloc(pointer);
  }
}

async function currentFile(): Promise<Uint8Array> {
  const sqlite3 = await loadSqlite3();
  const core = new StoreCore(sqlite3, new sqlite3.oo1.DB(':memory:', 'c'));
  core.insertMany([atifRun('a'), atifRun('b')]);
  const bytes = core.exportSnapshot();
  core.close();
  return bytes;
}

describe('checkDatabaseFile', () => {
  test('passes a file at every schema level of this project, and one the sqlite3 shell analyzed', async () => {
    const sqlite3 = await loadSqlite3();
    // Levels from 004 on have a trajectories table: a file made by any release of this project.
    for (let level = 4; level <= MIGRATIONS.length; level++) {
      const conn = new Connection(new sqlite3.oo1.DB(':memory:', 'c'));
      migrate(conn, MIGRATIONS.slice(0, level));
      const bytes = sqlite3.capi.sqlite3_js_db_export(conn.db);
      conn.close();
      expect(() => check(sqlite3, bytes), MIGRATIONS[level - 1]!.version).not.toThrow();
    }
    const current = await currentFile();
    expect(() => check(sqlite3, current)).not.toThrow();
    const analyzed = await editSnapshot(current, 'ANALYZE; PRAGMA optimize');
    expect(() => check(sqlite3, analyzed)).not.toThrow();
  });

  test.each([
    [
      'a trigger',
      'CREATE TRIGGER planted AFTER INSERT ON trajectories BEGIN DELETE FROM trajectory_documents; END',
      'trigger planted',
    ],
    ['a view', 'CREATE VIEW planted AS SELECT * FROM trajectories', 'view planted'],
    ['a table', "CREATE TABLE planted (x CHECK (length(printf('%.*c', 300000000, 'x')) > 0))", 'table planted'],
    ['an expression index', 'CREATE INDEX planted ON trajectories (length(id) * 2)', 'index planted'],
    [
      'a trigger named like SQLite’s own',
      'CREATE TRIGGER sqliteX AFTER INSERT ON trajectories BEGIN SELECT 1; END',
      'trigger sqliteX',
    ],
  ])('refuses %s of the file’s own, naming it', async (_, sql, named) => {
    const sqlite3 = await loadSqlite3();
    const planted = await editSnapshot(await currentFile(), sql);
    expect(() => check(sqlite3, planted)).toThrow(expect.objectContaining({ code: 'incompatible_snapshot' }));
    expect(() => check(sqlite3, planted)).toThrow(named);
  });

  test('refuses a table of ours declared otherwise, one missing, another application’s file, a newer one', async () => {
    const sqlite3 = await loadSqlite3();
    const current = await currentFile();
    const refused = async (sql: string, message: string | RegExp) => {
      const bytes = await editSnapshot(current, sql);
      expect(() => check(sqlite3, bytes), sql).toThrow(expect.objectContaining({ code: 'incompatible_snapshot' }));
      expect(() => check(sqlite3, bytes), sql).toThrow(message);
    };
    // sqlite_schema edited as a tool could: trajectory_documents with a CHECK bomb in place of ours.
    await refused(
      `PRAGMA writable_schema = ON;
       UPDATE sqlite_schema SET sql = replace(sql, 'trajectory JSON NOT NULL', 'trajectory JSON NOT NULL CHECK (length(printf(''%.*c'', 300000000, ''x'')) > 0)') WHERE name = 'trajectory_documents';`,
      'table trajectory_documents is not declared as this project declares it',
    );
    await refused('DROP INDEX inferences_created', /lacks the index|is not declared/);
    await refused('PRAGMA application_id = 305419896', 'another application');
    await refused("INSERT INTO _schema_version (version, applied_at) VALUES ('999_future', 'now')", /newer|999_future/);
  });

  test('refuses the original desktop tool’s database: its tables are declared otherwise, its triggers its own', async () => {
    const sqlite3 = await loadSqlite3();
    const original = await rawDatabase();
    createOriginalDatabase(original);
    const bytes = sqlite3.capi.sqlite3_js_db_export(original);
    original.close();
    expect(() => check(sqlite3, bytes)).toThrow(expect.objectContaining({ code: 'incompatible_snapshot' }));
  });
});
