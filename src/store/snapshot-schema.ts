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

/** Every schema object (table, index, trigger, view) by name, as sqlite_schema holds it, after each migration (keyed by version). */
type KnownSchemas = Map<string, Map<string, SchemaObject>>;

/**
 * Tables SQLite itself adds to a file (ANALYZE, `PRAGMA optimize`), with the SQL it gives them: plain data
 * tables, with nothing to evaluate. A file the sqlite3 shell has optimized may hold them.
 */
const SQLITE_STAT_TABLES = new Map([
  ['sqlite_stat1', 'CREATE TABLE sqlite_stat1(tbl,idx,stat)'],
  ['sqlite_stat4', 'CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)'],
]);

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
      const objects = new Map<string, SchemaObject>();
      for (const row of conn.all<SchemaObject & Record<string, string | null>>(
        'SELECT type, name, sql FROM sqlite_schema',
      )) {
        objects.set(row.name, { type: row.type, name: row.name, sql: row.sql });
      }
      known.set(migrations[i]!.version, objects);
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
  if (object.sql !== known.get(version)?.get(name)?.sql) {
    return `its ${name} table is not declared as this project declares it at schema version ${version}`;
  }
  return null;
}

/** Like tableMismatch for `_schema_version`, which is read before the version is known. */
export function versionTableMismatch(known: KnownSchemas, objects: readonly SchemaObject[]): string | null {
  const object = objects.find((o) => o.name.toLowerCase() === '_schema_version');
  if (!object) return 'it records no schema version';
  const accepted = new Set([
    ...ORIGINAL_VERSION_TABLES,
    ...[...known.values()].map((t) => t.get('_schema_version')?.sql),
  ]);
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
  for (const objects of known.values()) {
    for (const o of objects.values()) if (o.type === 'table' && o.sql !== null) ours.add(o.sql);
  }
  return objects
    .filter((o) => o.type === 'table' && o.sql !== null && ours.has(o.sql) && !/^CREATE VIRTUAL/i.test(o.sql))
    .map((o) => o.name);
}

/**
 * Why a file's whole schema (`objects`, its sqlite_schema) is not exactly what this project's migrations
 * declare at `version`, or null when it is: every table, index, trigger and view, each with the same SQL,
 * none missing, none added. Then whatever SQLite runs while the store works on the file (a trigger firing on
 * a write, a CHECK, a default, an index expression, a view) is ours. Besides, a file may hold the statistics
 * tables SQLite adds itself, and `_schema_version` as the original desktop tool declared it.
 */
export function schemaMismatch(known: KnownSchemas, version: string, objects: readonly SchemaObject[]): string | null {
  const declared = known.get(version);
  if (!declared) return `its schema version ${version} is not one of this project's`;
  for (const object of objects) {
    const { type, name, sql } = object;
    if (type === 'table' && SQLITE_STAT_TABLES.get(name) === sql) continue;
    if (name === '_schema_version' && type === 'table' && ORIGINAL_VERSION_TABLES.includes(sql ?? '')) continue;
    const ours = declared.get(name);
    if (!ours) return `it has a ${type} ${name} that this project does not declare at schema version ${version}`;
    if (ours.type !== type || ours.sql !== sql) {
      return `its ${type} ${name} is not declared as this project declares it at schema version ${version}`;
    }
  }
  const present = new Set(objects.map((o) => o.name));
  for (const [name, ours] of declared) {
    if (!present.has(name)) return `it lacks the ${ours.type} ${name} of schema version ${version}`;
  }
  return null;
}
