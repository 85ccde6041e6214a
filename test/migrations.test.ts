import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Connection } from '../src/store/connection.js';
import { MIGRATIONS } from '../src/store/migration-files.js';
import { checksum } from '../src/store/migration-checksum.js';
import { migrate, migrationsFromFiles, planMigrations, type Migration } from '../src/store/migrations.js';
import { catchError, rawDatabase } from './fixtures.js';

const versions = MIGRATIONS.map((m) => m.version);

function schemaOf(conn: Connection): string {
  return conn
    .all('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name')
    .map((r) => `${r.type} ${r.name} ${r.sql}`)
    .join('\n');
}

async function fresh(): Promise<Connection> {
  return new Connection(await rawDatabase());
}

describe('migration files', () => {
  test('are numbered 001.. without gaps and carry the seed tables first', () => {
    expect(versions.slice(0, 4)).toEqual([
      '001_initial_schema',
      '002_inferences',
      '003_hillclimber',
      '004_trajectories',
    ]);
    for (const [i, v] of versions.entries()) expect(v.slice(0, 3)).toBe(String(i + 1).padStart(3, '0'));
  });

  test('are every file of migrations/, each with the checksum of its text (computed at build time)', () => {
    const dir = new URL('../migrations/', import.meta.url);
    const onDisk = readdirSync(dir)
      .filter((name) => name.endsWith('.sql'))
      .sort()
      .map((name) => {
        const sql = readFileSync(new URL(name, dir), 'utf8');
        return { version: name.replace(/\.sql$/, ''), sql, checksum: checksum(sql) };
      });
    expect(MIGRATIONS).toEqual(onDisk);
  });

  test('refuse a file name without a number', () => {
    expect(() => migrationsFromFiles({ '../migrations/initial.sql': 'SELECT 1' })).toThrow(/001_name\.sql/);
  });

  test('checksums are FNV-1a 64 (the digits databases have recorded since 005)', () => {
    const reference = (text: string) => {
      let hash = 0xcbf29ce484222325n;
      for (const byte of new TextEncoder().encode(text))
        hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
      return hash.toString(16).padStart(16, '0');
    };
    for (const text of ['', 'a', 'SELECT 1;', 'café 日本語 \u{1F600}', ...MIGRATIONS.map((m) => m.sql)])
      expect(checksum(text)).toBe(reference(text.replace(/\r\n?/g, '\n')));
  });

  test('checksums ignore line-ending style but nothing else', () => {
    expect(checksum('a\r\nb')).toBe(checksum('a\nb'));
    expect(checksum('a\nb')).not.toBe(checksum('a\nc'));
  });
});

describe('the runner', () => {
  test('applies every file in order on an empty database and records each with its checksum', async () => {
    const conn = await fresh();
    expect(migrate(conn, MIGRATIONS)).toEqual(versions);
    const rows = conn.all('SELECT version, checksum FROM _schema_version ORDER BY version');
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, checksum: m.checksum })));
    for (const table of [
      'tasks',
      'task_dependencies',
      'task_deletions',
      'tasks_fts',
      'inferences',
      'inferences_fts',
      'hillclimber_configs',
      'hillclimber_runs',
      'hillclimber_best_configs',
      'trajectories',
      'testgen_trajectories',
      'trajectory_search',
      'trajectory_search_unsegmented',
    ]) {
      expect(conn.value('SELECT count(*) FROM sqlite_schema WHERE name = ?', [table]), table).toBe(1);
    }
  });

  test('keeps the seed columns of trajectories (documents beside them) and testgen_trajectories', async () => {
    const conn = await fresh();
    migrate(conn, MIGRATIONS);
    const columns = (table: string) => conn.all(`SELECT name FROM pragma_table_info('${table}')`).map((r) => r.name);
    expect(columns('trajectories')).toEqual(
      expect.arrayContaining([
        'session_id',
        'schema_version',
        'agent_name',
        'agent_version',
        'model_name',
        'step_count',
        'first_step_at',
        'last_step_at',
        'total_cost_usd',
        'total_tokens',
        'created_at',
        'indexed_at',
      ]),
    );
    // The documents live beside the summaries (005), one row each.
    expect(columns('trajectory_documents')).toEqual(['seq', 'trajectory', 'embedding']);
    expect(columns('testgen_trajectories')).toEqual(
      expect.arrayContaining([
        'session_id',
        'task_id',
        'task_description',
        'total_tests',
        'total_rounds',
        'category_rounds',
        'comprehensiveness_score',
        'total_tokens_used',
        'duration_ms',
        'tests',
        'reflections',
        'environment',
        'uncertainties',
        'created_at',
      ]),
    );
  });

  test('is a no-op when re-run: nothing applied, nothing written', async () => {
    const conn = await fresh();
    migrate(conn, MIGRATIONS);
    const before = schemaOf(conn);
    const changesBefore = conn.db.changes(true);
    expect(migrate(conn, MIGRATIONS)).toEqual([]);
    expect(schemaOf(conn)).toBe(before);
    expect(conn.db.changes(true)).toBe(changesBefore);
  });

  test('applies only what is pending', async () => {
    const conn = await fresh();
    expect(migrate(conn, MIGRATIONS.slice(0, 3))).toEqual(versions.slice(0, 3));
    expect(migrate(conn, MIGRATIONS)).toEqual(versions.slice(3));
  });

  test('refuses an applied file that was edited since, before writing anything', async () => {
    const conn = await fresh();
    migrate(conn, MIGRATIONS.slice(0, 4));
    const edited: Migration[] = MIGRATIONS.map((m) =>
      m.version === '002_inferences'
        ? { ...m, sql: `${m.sql}\n-- edited`, checksum: checksum(`${m.sql}\n-- edited`) }
        : m,
    );
    const before = schemaOf(conn);
    const error = catchError(() => migrate(conn, edited));
    expect(error.code).toBe('migration');
    expect(error.message).toMatch(/002_inferences was edited/);
    expect(schemaOf(conn)).toBe(before);
  });

  test('refuses, untouched, a database that records versions it does not know', async () => {
    const conn = await fresh();
    migrate(conn, MIGRATIONS.slice(0, 5));
    conn.run("INSERT INTO _schema_version (version, applied_at, checksum) VALUES ('099_from_the_future', 'x', 'y')");
    const before = schemaOf(conn);
    const error = catchError(() => migrate(conn, MIGRATIONS));
    expect(error.code).toBe('migration');
    expect(error.message).toMatch(/099_from_the_future.*newer release/);
    expect(schemaOf(conn)).toBe(before);
    expect(conn.value('SELECT count(*) FROM _schema_version')).toBe(6);
  });

  test('applies each file atomically: a failing file leaves no trace and no version row', async () => {
    const conn = await fresh();
    const broken: Migration[] = [
      ...MIGRATIONS.slice(0, 1),
      {
        version: '002_broken',
        sql: 'CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);',
        checksum: 'c',
      },
    ];
    const error = catchError(() => migrate(conn, broken));
    expect(error.code).toBe('migration');
    expect(error.message).toMatch(/002_broken failed and was rolled back: .*no such table/);
    expect(conn.value("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'")).toBe(0);
    expect(conn.all('SELECT version FROM _schema_version')).toEqual([{ version: '001_initial_schema' }]);
  });

  test('leaves foreign keys enforced', async () => {
    const conn = await fresh();
    migrate(conn, MIGRATIONS);
    expect(conn.value('PRAGMA foreign_keys')).toBe(1);
    expect(() =>
      conn.run(
        `INSERT INTO testgen_trajectories (id, session_id, task_id, task_description, total_tests, total_rounds,
         total_tokens_used, duration_ms, tests, created_at) VALUES ('nobody', 's', 't', 'd', 0, 0, 0, 0, '[]', 'now')`,
      ),
    ).toThrow(/FOREIGN KEY/);
  });

  test('plans without writing: reports the current version and what is pending', async () => {
    const conn = await fresh();
    expect(planMigrations(conn, MIGRATIONS)).toEqual({ current: null, pending: MIGRATIONS });
    migrate(conn, MIGRATIONS.slice(0, 2));
    const plan = planMigrations(conn, MIGRATIONS);
    expect(plan.current).toBe('002_inferences');
    expect(plan.pending.map((m) => m.version)).toEqual(versions.slice(2));
  });
});
