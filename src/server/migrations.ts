/**
 * The team server's schema: `migrations-pg/NNN_name.sql`, applied in order,
 * each with its row in `team_schema_version`, all pending ones in one
 * transaction (Postgres's DDL is transactional: all or nothing), and
 * checked as the local store checks its SQLite migrations
 * (src/store/migrations.ts, whose file naming and checksum are used here): an
 * applied file edited since, or a version this release does not know, is
 * refused before anything is written. Two servers starting at once take turns
 * (an advisory lock), so a migration never runs twice.
 */
import { TrajectoryStoreError } from '../errors.js';
import { migrationsFromFiles, type Migration } from '../store/migrations.js';
import type { Db } from './sql.js';

const files = import.meta.glob<string>('../../migrations-pg/*.sql', { query: '?raw', import: 'default', eager: true });

export const PG_MIGRATIONS = migrationsFromFiles(files);

/** Any number of our own: held while migrating (pg_advisory_xact_lock). */
const MIGRATION_LOCK = 7_140_014;

/** Applies every pending migration; returns the versions applied. */
export async function migrateTeamDatabase(db: Db, migrations: readonly Migration[] = PG_MIGRATIONS): Promise<string[]> {
  return db.begin(async (tx) => {
    await tx.unsafe('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.unsafe(
      'CREATE TABLE IF NOT EXISTS team_schema_version (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), checksum text NOT NULL)',
    );
    const applied = (await tx.unsafe('SELECT version, checksum FROM team_schema_version')) as unknown as Array<{
      version: string;
      checksum: string;
    }>;
    const known = new Map(migrations.map((m) => [m.version, m]));
    for (const row of applied) {
      const migration = known.get(row.version);
      if (!migration) {
        throw new TrajectoryStoreError(
          'migration',
          `The team database records schema version ${JSON.stringify(row.version)}, which this release of trajectory-store does not know: it was written by a newer release. Nothing was changed.`,
        );
      }
      if (row.checksum !== migration.checksum) {
        throw new TrajectoryStoreError(
          'migration',
          `Team migration ${row.version} was edited after it was applied to this database (checksum ${row.checksum}, file ${migration.checksum}). Released migrations must never change; add a new one instead. Nothing was changed.`,
        );
      }
    }
    const done = new Set(applied.map((row) => row.version));
    const pending = migrations.filter((m) => !done.has(m.version));
    for (const migration of pending) {
      try {
        await tx.savepoint(async (step) => {
          await step.unsafe(migration.sql);
          await step.unsafe('INSERT INTO team_schema_version (version, checksum) VALUES ($1, $2)', [
            migration.version,
            migration.checksum,
          ]);
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new TrajectoryStoreError(
          'migration',
          `Team migration ${migration.version} failed and nothing was changed: ${reason}`,
          { cause: error },
        );
      }
    }
    return pending.map((m) => m.version);
  });
}

/** The newest version a migrated database records. */
export async function teamSchemaVersion(db: Db): Promise<string> {
  const rows = await db.unsafe("SELECT coalesce(max(version), '') AS version FROM team_schema_version");
  return String(rows[0]?.version ?? '');
}
