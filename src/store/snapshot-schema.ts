/**
 * What a snapshot's schema must say before any of its rows is read.
 *
 * A SQLite file carries its schema as SQL text, and SQLite runs parts of it
 * while reading rows (a generated column, a DEFAULT for a short record) or
 * checking them (CHECK constraints, index expressions). So the tables an
 * import reads must be declared exactly as this project's migrations declare
 * them at the version the file records: then every expression SQLite could
 * evaluate is one of ours. The known declarations are taken from the
 * migrations themselves, applied one by one to an empty database, so they
 * never go out of date.
 */
import type { Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { Connection } from './connection.js';
import { hardenConnection } from './hardening.js';
import { migrate, type Migration } from './migrations.js';

/** The tables an import reads, by the shape of the file (before and since STORE_SHAPE_VERSION). */
export const LEGACY_TABLES = ['trajectories', 'testgen_trajectories'] as const;
export const STORE_TABLES = ['trajectories', 'trajectory_documents'] as const;

/** The migration that moved documents to their own table and keyed trajectories by `id`. */
export const STORE_SHAPE_VERSION = '005_trajectory_identity';

/**
 * `_schema_version` as the original desktop tool's runner created it (no
 * checksum column), and as it reads once this project's runner added one.
 */
const ORIGINAL_VERSION_TABLES = [
  'CREATE TABLE _schema_version (version TEXT PRIMARY KEY, applied_at TEXT)',
  'CREATE TABLE _schema_version (version TEXT PRIMARY KEY, applied_at TEXT, checksum TEXT)',
];

export interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}

/** Table name -> its CREATE statement as sqlite_schema holds it, after each migration (keyed by version). */
type KnownSchemas = Map<string, Map<string, string>>;

const cache = new WeakMap<readonly Migration[], KnownSchemas>();

export function knownSchemas(sqlite3: Sqlite3Static, migrations: readonly Migration[]): KnownSchemas {
  let known = cache.get(migrations);
  if (known) return known;
  known = new Map();
  const conn = new Connection(new sqlite3.oo1.DB(':memory:', 'c'));
  try {
    hardenConnection(sqlite3, conn.db);
    for (let i = 0; i < migrations.length; i++) {
      migrate(conn, migrations.slice(0, i + 1));
      const tables = new Map<string, string>();
      for (const row of conn.all<{ name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table'",
      )) {
        tables.set(row.name, row.sql);
      }
      known.set(migrations[i]!.version, tables);
    }
  } finally {
    conn.close();
  }
  cache.set(migrations, known);
  return known;
}

/**
 * Why table `name` of a file at `version` is not as this project declares it,
 * or null when it is. `objects` is the file's sqlite_schema.
 */
export function tableMismatch(
  known: KnownSchemas,
  version: string,
  objects: readonly SchemaObject[],
  name: string,
): string | null {
  const object = objects.find((o) => o.name.toLowerCase() === name.toLowerCase());
  if (!object) return `it has no ${name} table`;
  if (object.type !== 'table') return `its ${name} is a ${object.type}, not a table`;
  if (object.sql !== known.get(version)?.get(name)) {
    return `its ${name} table is not declared as this project declares it at schema version ${version}`;
  }
  return null;
}

/** Like tableMismatch for `_schema_version`, which is read before the version is known. */
export function versionTableMismatch(known: KnownSchemas, objects: readonly SchemaObject[]): string | null {
  const object = objects.find((o) => o.name.toLowerCase() === '_schema_version');
  if (!object) return 'it records no schema version';
  const accepted = new Set([...ORIGINAL_VERSION_TABLES, ...[...known.values()].map((t) => t.get('_schema_version'))]);
  if (object.type !== 'table' || !accepted.has(object.sql ?? '')) {
    return 'its _schema_version table is not declared as this project declares it';
  }
  return null;
}

/**
 * The file's plain tables declared exactly as one of ours (at any version):
 * their b-trees, with their indexes', can be checked with `quick_check`,
 * which evaluates their NOT NULL and CHECK constraints, ours then. Other
 * tables are never read, and virtual tables (the search index) are rebuilt
 * from the documents, so neither is checked.
 */
export function checkableTables(known: KnownSchemas, objects: readonly SchemaObject[]): string[] {
  const ours = new Set<string>(ORIGINAL_VERSION_TABLES);
  for (const tables of known.values()) for (const sql of tables.values()) ours.add(sql);
  return objects
    .filter((o) => o.type === 'table' && o.sql !== null && ours.has(o.sql) && !/^CREATE VIRTUAL/i.test(o.sql))
    .map((o) => o.name);
}
