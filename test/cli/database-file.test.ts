/**
 * The file of `--db` is checked before the store opens it (src/cli/database-file.ts): a file of this project
 * at any schema version opens (and is upgraded when written); one with anything of its own in its schema (a
 * trigger, a view, a CHECK) or the original desktop tool's is refused with exit 4, unrun and untouched, and
 * the refusal says how to take its trajectories instead. Real subprocesses of the command, real files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { Connection } from '../../src/store/connection.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/migration-files.js';
import { migrate } from '../../src/store/migrations.js';
import { loadSqlite3 } from '../../src/store/sqlite3.js';
import { atifRun, rawDatabase, testgenSession } from '../fixtures.js';
import { createOriginalDatabase, originalInsertTestGen } from '../original-desktop-tool.js';
import { editSnapshot } from '../snapshot-files.js';
import { cli, openFile, tempFolder, writeFiles } from './run-cli.js';

const SLOW = { timeout: 180_000 };

let dir: string;
/** A database the command made, holding `first`. */
let made: Uint8Array;

beforeAll(async () => {
  dir = tempFolder();
  writeFiles(dir, {
    'first.json': JSON.stringify(atifRun('first', { text: 'the first run' })),
    'second.json': JSON.stringify(atifRun('second', { text: 'the second run' })),
  });
  const run = await cli(['import', 'first.json', '--db', 'made.sqlite'], dir);
  expect(run.code).toBe(0);
  made = new Uint8Array(readFileSync(join(dir, 'made.sqlite')));
}, 180_000);

/** Writes `bytes` as `name` in the test folder; returns its path. */
function fileOf(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('--db FILE with a schema of its own', () => {
  test('a planted trigger never fires: the import is refused, exit 4, the file untouched', SLOW, async () => {
    // Would delete every other trajectory as the second is saved.
    const planted = await editSnapshot(
      made,
      'CREATE TRIGGER planted AFTER INSERT ON trajectories BEGIN DELETE FROM trajectories WHERE id <> NEW.id; END',
    );
    const path = fileOf('trigger.sqlite', planted);
    const run = await cli(['import', 'second.json', '--db', path, '--json'], dir);
    expect(run.code).toBe(4);
    const error = JSON.parse(run.stderr).error;
    expect(error.code).toBe('incompatible_snapshot');
    expect(error.message).toContain('trigger planted');
    expect(error.message).toContain(`trajectory-store import ${path}`);
    expect(readFileSync(path).equals(Buffer.from(planted))).toBe(true);
  });

  test('a planted view and a CHECK bomb: reading commands are refused at once, exit 4', SLOW, async () => {
    const view = fileOf('view.sqlite', await editSnapshot(made, 'CREATE VIEW planted AS SELECT * FROM trajectories'));
    const listed = await cli(['list', '--db', view], dir);
    expect(listed.code).toBe(4);
    expect(listed.stderr).toContain('view planted');
    // trajectory_documents redeclared with a CHECK that costs minutes per row, were it ever evaluated.
    const bomb = await editSnapshot(
      made,
      `PRAGMA writable_schema = ON;
       UPDATE sqlite_schema SET sql = replace(sql, 'trajectory JSON NOT NULL',
         'trajectory JSON NOT NULL CHECK (length(printf(''%.*c'', 300000000, ''x'')) > 0)')
       WHERE name = 'trajectory_documents';`,
    );
    const path = fileOf('bomb.sqlite', bomb);
    const started = Date.now();
    const searched = await cli(['search', 'first', '--db', path], dir);
    expect(searched.code).toBe(4);
    expect(searched.stderr).toContain('table trajectory_documents is not declared as this project declares it');
    expect(readFileSync(path).equals(Buffer.from(bomb))).toBe(true);
    // Not a timing assertion on the check: a bomb evaluated once per row would take minutes, not this.
    expect(Date.now() - started).toBeLessThan(120_000);
  });
});

describe('--db FILE of this project or of the original desktop tool', () => {
  test('a file of an older release opens, and is upgraded when written', SLOW, async () => {
    const sqlite3 = await loadSqlite3();
    const level = MIGRATIONS.findIndex((m) => m.version.startsWith('009')) + 1;
    const conn = new Connection(new sqlite3.oo1.DB(':memory:', 'c'));
    migrate(conn, MIGRATIONS.slice(0, level));
    const path = fileOf('older.sqlite', sqlite3.capi.sqlite3_js_db_export(conn.db));
    conn.close();
    const run = await cli(['import', 'second.json', '--db', path], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const store = await openFile(path);
    expect((await store.info()).schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect((await store.getTrajectory('second'))?.trajectory).toEqual(atifRun('second', { text: 'the second run' }));
    await store.close();
  });

  test(
    'the original desktop tool’s database is refused as --db, and imported instead, left as it was',
    SLOW,
    async () => {
      const sqlite3 = await loadSqlite3();
      const original = await rawDatabase();
      createOriginalDatabase(original);
      originalInsertTestGen(original, testgenSession('tg-original', { taskDescription: 'Parse the quarterly ledger' }));
      const bytes = sqlite3.capi.sqlite3_js_db_export(original);
      original.close();
      const path = fileOf('original.sqlite', bytes);
      const listed = await cli(['list', '--db', path], dir);
      expect(listed.code).toBe(4);
      expect(listed.stderr).toContain(`import it: trajectory-store import ${path}`);
      const imported = await cli(['import', path, '--db', 'from-original.sqlite'], dir);
      expect(imported.code).toBe(0);
      const found = await cli(['search', 'ledger', '--db', 'from-original.sqlite', '--json'], dir);
      expect(found.stdout).toContain('tg-original');
      expect(readFileSync(path).equals(Buffer.from(bytes))).toBe(true);
    },
  );
});
