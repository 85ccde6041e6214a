/**
 * Applies `migrations/NNN_name.sql` in order. Each file runs in its own
 * transaction together with its `_schema_version` row, so a database is always
 * at some whole version. Applied files are recorded with a checksum: an
 * applied file that was edited since is refused, and so is a database that
 * records a version this code does not know (it was written by a newer
 * release). Both refusals happen before anything is written.
 *
 * Databases made by the original desktop tool record 001 as `1.0.0` and have
 * no checksum column: their rows are accepted as they are.
 */
import { TrajectoryStoreError } from '../errors.js';
import type { Connection } from './connection.js';
import { checksum } from './migration-checksum.js';

export interface Migration {
  /** The file name without `.sql`, e.g. `004_trajectories`. */
  version: string;
  sql: string;
  checksum: string;
}

/** Versions written by the original desktop tool under another name. */
const LEGACY_ALIASES: Readonly<Record<string, string>> = { '1.0.0': '001_initial_schema' };

const FILE_NAME = /(?:^|\/)(\d{3}_[a-z0-9_]+)\.sql$/;

/** A migration file as the build hands it over: its text, and the checksum it is recorded with. */
export interface MigrationFile {
  sql: string;
  checksum: string;
}

/** Turns `{path: file}` (as a bundler's glob import gives them) into migrations in version order. */
export function migrationsInOrder(files: Record<string, MigrationFile>): Migration[] {
  const migrations = Object.entries(files).map(([path, file]) => {
    const match = FILE_NAME.exec(path);
    if (!match?.[1]) throw new Error(`migration file name must look like 001_name.sql: ${path}`);
    return { version: match[1], sql: file.sql, checksum: file.checksum };
  });
  // By code unit, which the numbers order: localeCompare loaded ICU's collator, 10-25 ms of a worker start (measured).
  return migrations.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

/** Turns `{path: sql}` into migrations in version order, checksumming each text here. */
export function migrationsFromFiles(files: Record<string, string>): Migration[] {
  return migrationsInOrder(
    Object.fromEntries(Object.entries(files).map(([path, sql]) => [path, { sql, checksum: checksum(sql) }])),
  );
}

interface AppliedRow {
  version: string;
  checksum: string | null;
}

function appliedRows(conn: Connection): AppliedRow[] | null {
  const exists = conn.value("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '_schema_version'");
  if (!exists) return null;
  const hasChecksum = conn.value("SELECT 1 FROM pragma_table_info('_schema_version') WHERE name = 'checksum'");
  return conn.all<AppliedRow & Record<string, string | null>>(
    hasChecksum
      ? 'SELECT version, checksum FROM _schema_version'
      : 'SELECT version, NULL AS checksum FROM _schema_version',
  );
}

export interface MigrationPlan {
  /** The newest version recorded, or null for an empty database. */
  current: string | null;
  pending: Migration[];
}

/**
 * Reads what a database records and what is left to apply, without writing.
 * Throws a `migration` error for unknown versions and edited files.
 */
export function planMigrations(conn: Connection, migrations: readonly Migration[]): MigrationPlan {
  const known = new Map(migrations.map((m) => [m.version, m]));
  const applied = new Set<string>();
  for (const row of appliedRows(conn) ?? []) {
    const version = LEGACY_ALIASES[row.version] ?? row.version;
    const migration = known.get(version);
    if (!migration) {
      throw new TrajectoryStoreError(
        'migration',
        `The database records schema version ${JSON.stringify(row.version)}, which this release of trajectory-store does not know: it was written by a newer release. Nothing was changed.`,
      );
    }
    if (row.checksum !== null && row.checksum !== migration.checksum) {
      throw new TrajectoryStoreError(
        'migration',
        `Migration ${version} was edited after it was applied to this database (checksum ${row.checksum}, file ${migration.checksum}). Released migrations must never change; add a new one instead. Nothing was changed.`,
      );
    }
    applied.add(version);
  }
  const current = [...applied].sort().at(-1) ?? null;
  return { current, pending: migrations.filter((m) => !applied.has(m.version)) };
}

/** Applies every pending migration. Returns the versions applied (none when already current). */
export function migrate(conn: Connection, migrations: readonly Migration[]): string[] {
  const { pending } = planMigrations(conn, migrations);
  if (pending.length === 0) return [];
  // Rebuilding a table (005) needs foreign keys off; they are checked before each commit instead.
  conn.db.exec('PRAGMA foreign_keys = OFF');
  try {
    for (const migration of pending) {
      try {
        conn.transaction(() => {
          ensureVersionTable(conn);
          conn.db.exec(migration.sql);
          const violation = conn.get('SELECT * FROM pragma_foreign_key_check LIMIT 1');
          if (violation) throw new Error(`foreign key violation in table ${String(violation.table)}`);
          conn.run(
            "INSERT INTO _schema_version (version, applied_at, checksum) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)",
            [migration.version, migration.checksum],
          );
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new TrajectoryStoreError(
          'migration',
          `Migration ${migration.version} failed and was rolled back: ${reason}`,
          { cause: error },
        );
      }
    }
  } finally {
    conn.db.exec('PRAGMA foreign_keys = ON');
  }
  return pending.map((m) => m.version);
}

function ensureVersionTable(conn: Connection): void {
  conn.db.exec('CREATE TABLE IF NOT EXISTS _schema_version (version TEXT PRIMARY KEY, applied_at TEXT, checksum TEXT)');
  if (!conn.value("SELECT 1 FROM pragma_table_info('_schema_version') WHERE name = 'checksum'")) {
    conn.db.exec('ALTER TABLE _schema_version ADD COLUMN checksum TEXT');
  }
}
