/**
 * Snapshots: a whole database as the bytes of an ordinary SQLite file.
 *
 * An imported file is untrusted, and nothing of its own schema ever runs. It
 * is checked as bytes first, then opened as a private read-only copy on a
 * hardened connection (no triggers, no views, capped sizes, a time budget;
 * never attached to the live database). The tables read must be declared
 * exactly as this project's migrations declare them at the version the file
 * records (snapshot-schema.ts), their rows are read with statements written
 * here, naming known columns, and their b-trees are checked. The file is not
 * migrated: its documents are all the store needs, and each is validated as
 * untrusted input as it is read. The records go to the store a batch at a
 * time (memory stays bounded at any size of file), which writes them all in
 * one transaction: a file refused at its last row leaves nothing written.
 */
import type { SqlValue, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { TrajectoryStoreError, type Issue } from '../errors.js';
import { idProblem, isRecord } from '../schema/json.js';
import { normalizeTimestamp } from '../schema/timestamp.js';
import type { ParsedSelection, ProgressListener } from '../schema/query.js';
import { Connection, type Row } from './connection.js';
import { testgenFromDocument } from './documents.js';
import { forEachMatch } from './export.js';
import { hardenForeignConnection, type ForeignBudget } from './hardening.js';
import { migrate, planMigrations, type Migration } from './migrations.js';
import { type Prepared, prepareAtif, prepareTestGen } from './prepare.js';
import {
  checkableTables,
  knownSchemas,
  LEGACY_TABLES,
  schemaMismatch,
  STORE_SHAPE_VERSION,
  STORE_TABLES,
  tableMismatch,
  versionTableMismatch,
  type SchemaObject,
} from './snapshot-schema.js';
import { type NewRecord, saveRecord } from './writes.js';

/** `PRAGMA application_id` of a trajectory-store database ('TRJS'); set by migrations/005. */
export const APPLICATION_ID = 0x54524a53;

const HEADER_SIZE = 100;
const MAGIC = 'SQLite format 3\u0000';

export function exportSnapshot(sqlite3: Sqlite3Static, conn: Connection): Uint8Array {
  return asRollbackJournalFile(sqlite3.capi.sqlite3_js_db_export(conn.db));
}

/**
 * Marks a database file's header as a rollback-journal one (read and write versions 1, not WAL's 2), in place. A
 * copy of a database kept in WAL mode is whole once its log is checkpointed, but a lone file has no log: marked so,
 * every SQLite opens it as it is.
 */
export function asRollbackJournalFile(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= HEADER_SIZE && (bytes[18] === 2 || bytes[19] === 2)) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return bytes;
}

const corrupt = (message: string) =>
  new TrajectoryStoreError('corrupt_snapshot', `Snapshot refused: ${message}. Nothing was changed.`);
const incompatible = (message: string) =>
  new TrajectoryStoreError('incompatible_snapshot', `Snapshot refused: ${message}. Nothing was changed.`);

/**
 * Checks the 100-byte header (https://sqlite.org/fileformat.html). Returns
 * the bytes to open: a WAL-mode file is converted to a rollback-journal one
 * (a lone file holds no WAL; its last checkpoint is what it contains).
 */
export function checkSnapshotHeader(bytes: Uint8Array): Uint8Array {
  if (bytes.length < HEADER_SIZE) corruptThrow(`the file is ${bytes.length} bytes, too short to be a SQLite database`);
  if (new TextDecoder('latin1').decode(bytes.subarray(0, 16)) !== MAGIC)
    corruptThrow('the file is not a SQLite database');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawPageSize = view.getUint16(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
    corruptThrow(`the header gives an invalid page size (${rawPageSize})`);
  if (bytes.length % pageSize !== 0)
    corruptThrow(`the file is truncated (${bytes.length} bytes is not a whole number of ${pageSize}-byte pages)`);
  const pageCount = view.getUint32(28);
  const pageCountValid = view.getUint32(92) === view.getUint32(24);
  if (pageCountValid && pageCount * pageSize > bytes.length) {
    corruptThrow(`the file is truncated (${bytes.length} bytes, the header says ${pageCount * pageSize})`);
  }
  if (bytes[18] === 2 || bytes[19] === 2) {
    const copy = bytes.slice();
    copy[18] = 1;
    copy[19] = 1;
    return copy;
  }
  return bytes;
}

function corruptThrow(message: string): never {
  throw corrupt(message);
}

/**
 * How long reading and validating a file may take: enough for any real file
 * of its size on a slow, busy machine. Nothing of a file is evaluated, so this
 * is a second line of defence, against whatever the first did not foresee.
 */
function readBudgetMs(size: number): number {
  return 60_000 + size / 1_000; // a minute, plus a second a MB
}

/**
 * A private, read-only in-memory copy of `bytes` on a hardened connection:
 * no triggers, no views, capped lengths and depth, a time budget. Never
 * attached to the live database.
 */
function openForeign(sqlite3: Sqlite3Static, bytes: Uint8Array): { conn: Connection; budget: ForeignBudget } {
  const pointer = sqlite3.wasm.allocFromTypedArray(bytes);
  const { capi } = sqlite3;
  return openForeignAt(
    sqlite3,
    pointer,
    bytes.length,
    capi.SQLITE_DESERIALIZE_FREEONCLOSE | capi.SQLITE_DESERIALIZE_READONLY,
  );
}

/**
 * The database file of `size` bytes at `pointer` in the wasm heap, read-only on a hardened connection. With
 * SQLITE_DESERIALIZE_FREEONCLOSE in `flags` the connection owns the memory (freed here too if it cannot be
 * opened); without, the caller does, and the bytes must outlive the connection.
 */
function openForeignAt(
  sqlite3: Sqlite3Static,
  pointer: number,
  size: number,
  flags: number,
): { conn: Connection; budget: ForeignBudget } {
  const { capi } = sqlite3;
  const owned = (flags & capi.SQLITE_DESERIALIZE_FREEONCLOSE) !== 0;
  const db = new sqlite3.oo1.DB(':memory:', 'c');
  let budget: ForeignBudget;
  try {
    budget = hardenForeignConnection(sqlite3, db, readBudgetMs(size));
  } catch (error) {
    if (owned) sqlite3.wasm.dealloc(pointer);
    db.close();
    throw error;
  }
  const rc = capi.sqlite3_deserialize(db, 'main', pointer, size, size, flags);
  if (rc !== capi.SQLITE_OK) {
    if (owned) sqlite3.wasm.dealloc(pointer);
    db.close();
    corruptThrow(`SQLite could not open it (${capi.sqlite3_js_rc_str(rc)})`);
  }
  return { conn: new Connection(db), budget };
}

/**
 * Checks a database file that a command is about to work on as its own store (the CLI's `--db`), before the
 * store opens it: this project's, with its whole schema (every table, index, trigger and view) exactly what the
 * migrations declare at the version it records, so that nothing of the file's own runs while the store reads,
 * writes and migrates it. The original desktop tool's database declares its tables otherwise and is refused
 * here: an import reads it instead. The bytes are read where they lie (`size`
 * bytes at `pointer` in the wasm heap, its header checked already) on a hardened read-only connection, closed
 * again before this returns. Throws `incompatible_snapshot` or `corrupt_snapshot`.
 */
export function checkDatabaseFile(
  sqlite3: Sqlite3Static,
  pointer: number,
  size: number,
  migrations: readonly Migration[],
): void {
  const { conn, budget } = openForeignAt(sqlite3, pointer, size, sqlite3.capi.SQLITE_DESERIALIZE_READONLY);
  try {
    foreignRead(budget, () => {
      const known = knownSchemas(sqlite3, migrations);
      const objects = conn.all<SchemaObject & Row>('SELECT type, name, sql FROM sqlite_schema');
      const mismatch = schemaMismatch(known, recordedVersion(conn, known, migrations, objects), objects);
      if (mismatch) throw incompatible(mismatch);
    });
  } finally {
    conn.close();
  }
}

/** One batch of a snapshot's records, checked, handed to the store to write. */
export type RecordSink = (batch: NewRecord[]) => void;

export interface SnapshotReadOptions {
  /** Receives the file's records, checked, BATCH_SIZE at a time in the file's order; renamed duplicates come last. */
  write: RecordSink;
  /** Ids a renamed duplicate must not take (the live ones, in a merge). */
  taken?: (id: string) => boolean;
  onProgress?: ProgressListener;
}

/** Records handed to the sink at once: memory stays bounded whatever the file's size. */
const BATCH_SIZE = 500;

/**
 * A snapshot file opened for reading: its header, application id and schema
 * declarations are checked (a bad file is refused with a typed error here,
 * before anything is written); then `readRecords` streams its rows and
 * checks the b-trees of the tables read last. Nothing of the file's own
 * schema is ever executed: the tables read are declared exactly as ours, and
 * rows are read with statements written here, naming known columns.
 */
export class SnapshotFile {
  private constructor(
    private readonly conn: Connection,
    private readonly budget: ForeignBudget,
    private readonly source: CheckedSource,
  ) {}

  static open(sqlite3: Sqlite3Static, bytes: Uint8Array, migrations: readonly Migration[]): SnapshotFile {
    const { conn, budget } = openForeign(sqlite3, checkSnapshotHeader(bytes));
    try {
      const source = foreignRead(budget, () => checkedSource(conn, knownSchemas(sqlite3, migrations), migrations));
      return new SnapshotFile(conn, budget, source);
    } catch (error) {
      conn.close();
      throw error;
    }
  }

  /**
   * Reads every row, checks it as untrusted input and hands the records to
   * `write` a batch at a time. Throws a typed error for a bad row (after
   * looking at up to MAX_BAD_ROWS of them, to say what is wrong); the caller
   * holds the transaction, so that what was written by then rolls back. The
   * time the sink takes does not count against the file's time budget.
   * Then checks the b-trees of the tables read (integrityCheck), so that the
   * first records go out without waiting for a pass over the whole file: the
   * caller commits nothing before this returns, so a file refused there
   * leaves nothing written all the same. Returns the number of records written.
   */
  readRecords({ write, taken = () => false, onProgress }: SnapshotReadOptions): number {
    const { rows, checkableTables } = this.source;
    const total = foreignRead(this.budget, () => Number(this.conn.value(rows.count)));
    const records = new RecordStream(
      (key) => foreignRead(this.budget, () => rows.at(this.conn, key)),
      (batch) => this.budget.outside(() => write(batch)),
      taken,
    );
    let read = 0;
    foreignRead(this.budget, () =>
      rows.each(this.conn, (row) => {
        const goOn = records.add(row);
        if (++read % BATCH_SIZE === 0) onProgress?.({ done: read, total });
        return goOn;
      }),
    );
    const count = foreignRead(this.budget, () => records.finish());
    foreignRead(this.budget, () => integrityCheck(this.conn, checkableTables));
    onProgress?.({ done: total, total });
    return count;
  }

  close(): void {
    this.conn.close();
  }
}

/** A failure of the sink (the store's write), which is no fault of the file: passed on as it is. */
class SinkFailure {
  constructor(readonly error: unknown) {}
}

/** Runs `read` on the foreign connection: any failure that is not a typed error says the file is corrupt. */
function foreignRead<T>(budget: ForeignBudget, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SinkFailure) throw error.error;
    if (error instanceof TrajectoryStoreError) throw error;
    if (budget.exceeded) corruptThrow(`reading it took longer than ${Math.round(budget.budgetMs / 1000)} s`);
    throw corrupt(`it could not be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** A row as read from a file, not yet trusted in any way. */
interface SnapshotRow {
  /** Where it is in the file (its seq, or rowid in an older file), to read it again. */
  key: number;
  /** The stored id; null in files older than the store's identity rules (it comes from the document then). */
  id: SqlValue;
  /** The session id such an older file keyed its rows by. */
  legacySessionId?: SqlValue;
  kind: SqlValue;
  trajectory: SqlValue;
  createdAt: SqlValue;
  updatedAt: SqlValue;
}

/** How the rows of a file of one shape are read: all in order, one again by its key, and counted. */
interface RowSource {
  count: string;
  /** Calls `visit` with each row of the file in order, until it returns false. */
  each(conn: Connection, visit: (row: SnapshotRow) => boolean): void;
  at(conn: Connection, key: number): SnapshotRow;
}

/** How to read a file whose declarations were checked, and which of its tables' b-trees to check. */
interface CheckedSource {
  rows: RowSource;
  checkableTables: string[];
}

/** Checks what the file declares; returns how to read its rows and the tables integrityCheck takes. */
function checkedSource(
  conn: Connection,
  known: ReturnType<typeof knownSchemas>,
  migrations: readonly Migration[],
): CheckedSource {
  const objects = conn.all<SchemaObject & Row>('SELECT type, name, sql FROM sqlite_schema');
  const version = recordedVersion(conn, known, migrations, objects);
  const storeShape = version >= STORE_SHAPE_VERSION;
  for (const table of storeShape ? STORE_TABLES : LEGACY_TABLES) {
    const mismatch = tableMismatch(known, version, objects, table);
    if (mismatch) throw incompatible(mismatch);
  }
  return { rows: storeShape ? STORE_ROWS : legacyRows(conn), checkableTables: checkableTables(known, objects) };
}

/**
 * `quick_check` of each table and its indexes: a b-tree that is not well formed, or a row that breaks one of
 * our NOT NULL or CHECK constraints, refuses the file (the rows are read NOT INDEXED, so a bad index alone
 * would otherwise go unnoticed).
 */
function integrityCheck(conn: Connection, tables: readonly string[]): void {
  for (const table of tables) {
    const problems = conn
      .all(`PRAGMA quick_check("${table.replace(/"/g, '""')}")`)
      .map((r) => String(Object.values(r)[0]));
    if (problems.join() !== 'ok') corruptThrow(`its integrity check failed (${problems.slice(0, 5).join('; ')})`);
  }
}

/** The schema version a file records, once it is known to be this project's (or the original desktop tool's). */
function recordedVersion(
  conn: Connection,
  known: ReturnType<typeof knownSchemas>,
  migrations: readonly Migration[],
  objects: readonly SchemaObject[],
): string {
  const applicationId = Number(conn.value('PRAGMA application_id'));
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    throw incompatible(`it was written by another application (application_id 0x${applicationId.toString(16)})`);
  }
  if (!objects.some((o) => o.name.toLowerCase() === 'trajectories')) {
    throw incompatible(
      'it has no trajectories table, so it is neither a trajectory-store snapshot nor a database of the original desktop tool',
    );
  }
  const versionTable = versionTableMismatch(known, objects);
  if (versionTable) throw incompatible(versionTable);
  let version: string | null;
  try {
    version = planMigrations(conn, migrations).current;
  } catch (error) {
    throw incompatible((error as Error).message.replace(/ Nothing was changed\.$/, ''));
  }
  if (version === null) throw incompatible('it records no schema version');
  return version;
}

/** NOT INDEXED: the file's indexes are never used, so an index that disagrees with its table changes nothing. */
const STORE_ROW = `SELECT t.seq, t.id, t.kind, d.trajectory, t.created_at, t.updated_at
  FROM trajectories AS t NOT INDEXED LEFT JOIN trajectory_documents AS d NOT INDEXED ON d.seq = t.seq`;

const storeRow = ([key, id, kind, trajectory, createdAt, updatedAt]: SqlValue[]): SnapshotRow => ({
  key: Number(key),
  id: id!,
  kind: kind!,
  trajectory: trajectory!,
  createdAt: createdAt!,
  updatedAt: updatedAt!,
});

const STORE_ROWS: RowSource = {
  count: 'SELECT count(*) FROM trajectories NOT INDEXED',
  each: (conn, visit) => conn.forEach(`${STORE_ROW} ORDER BY t.seq`, [], (values) => visit(storeRow(values))),
  at: (conn, key) => storeRow(firstRow(conn, `${STORE_ROW} WHERE t.seq = ?`, key)),
};

/**
 * A file older than the store's identity rules (the original desktop tool's,
 * or this project's before 005): read as migration 005 reads it.
 */
function legacyRows(conn: Connection): RowSource {
  const testgen = new Set<SqlValue>();
  conn.forEach('SELECT session_id FROM testgen_trajectories NOT INDEXED', [], ([sessionId]) => {
    testgen.add(sessionId!);
    return true;
  });
  const select = 'SELECT rowid, session_id, schema_version, trajectory, created_at FROM trajectories NOT INDEXED';
  const row = ([key, sessionId, schemaVersion, trajectory, createdAt]: SqlValue[]): SnapshotRow => ({
    key: Number(key),
    id: null,
    legacySessionId: sessionId!,
    kind:
      testgen.has(sessionId!) || (typeof schemaVersion === 'string' && /^testgen/i.test(schemaVersion))
        ? 'testgen'
        : 'atif',
    trajectory: trajectory!,
    createdAt: createdAt!,
    updatedAt: createdAt!,
  });
  return {
    count: 'SELECT count(*) FROM trajectories NOT INDEXED',
    each: (c, visit) => c.forEach(`${select} ORDER BY created_at, rowid`, [], (values) => visit(row(values))),
    at: (c, key) => row(firstRow(c, `${select} WHERE rowid = ?`, key)),
  };
}

function firstRow(conn: Connection, sql: string, key: number): SqlValue[] {
  let found: SqlValue[] | undefined;
  conn.forEach(sql, [key], (values) => {
    found = values;
    return false;
  });
  if (!found) throw corrupt(`a row it listed could not be read again (${key})`);
  return found;
}

/** After this many bad rows a file is refused without reading the rest: it is refused either way. */
const MAX_BAD_ROWS = 20;

/**
 * Every row validated as untrusted input as it is read, and handed on in
 * batches. Rows sharing an id: identical ones are one trajectory; a differing
 * one is kept under a fresh id (never lost), one that no row of the file and
 * no live row (`taken`) has. Only ids and keys are held, never documents: the
 * first row of an id is read again from the file when another shares it, and
 * the differing ones at the end, when every id of the file is known.
 */
class RecordStream {
  /** Each id, with the key of the row it came from. */
  private readonly firstAt = new Map<string, number>();
  /** Keys of rows whose id an earlier, differing row has. */
  private readonly differing: number[] = [];
  private batch: NewRecord[] = [];
  private readonly issues: Issue[] = [];
  private badRows = 0;
  private written = 0;
  private readonly now = new Date().toISOString();

  constructor(
    private readonly rowAt: (key: number) => SnapshotRow,
    private readonly write: RecordSink,
    private readonly taken: (id: string) => boolean,
  ) {}

  /** Returns false once enough is wrong to refuse the file. */
  add(row: SnapshotRow): boolean {
    const read = storedRecord(row, this.now);
    if ('issues' in read) {
      this.issues.push(...read.issues);
      return ++this.badRows < MAX_BAD_ROWS;
    }
    if (this.issues.length > 0) return true; // the file is refused: the rest is only checked, to say what is wrong
    const id = read.record.id;
    const firstKey = this.firstAt.get(id);
    if (firstKey === undefined) {
      this.firstAt.set(id, row.key);
      this.push(read);
    } else if (differs(this.recordAt(firstKey), read)) {
      this.differing.push(row.key);
    }
    return true;
  }

  /** Throws if any row was bad; else writes what is left, the renamed duplicates last. Returns the count written. */
  finish(): number {
    if (this.issues.length > 0) {
      const more = this.badRows >= MAX_BAD_ROWS ? ` (the first ${MAX_BAD_ROWS} bad rows)` : '';
      const error = TrajectoryStoreError.validation(`snapshot contents${more}`, this.issues);
      throw new TrajectoryStoreError('corrupt_snapshot', `Snapshot refused: ${error.message}. Nothing was changed.`, {
        issues: this.issues,
      });
    }
    for (const key of this.differing) {
      const read = this.recordAt(key);
      const id = read.record.id;
      let n = 2;
      while (this.firstAt.has(`${id}~${n}`) || this.taken(`${id}~${n}`)) n++;
      read.record.id = `${id}~${n}`;
      this.firstAt.set(read.record.id, key);
      this.push(read);
    }
    this.flush();
    return this.written;
  }

  /** A row read again (it was valid the first time: the file is read-only). */
  private recordAt(key: number): NewRecord {
    const read = storedRecord(this.rowAt(key), this.now);
    if ('issues' in read) throw corrupt('a row read differently the second time');
    return read;
  }

  private push(read: NewRecord): void {
    this.batch.push(read);
    if (this.batch.length >= BATCH_SIZE) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    try {
      this.write(batch);
    } catch (error) {
      throw new SinkFailure(error);
    }
    this.written += batch.length;
  }
}

/** Whether two records of one id are different trajectories (identical rows are one). */
function differs(a: NewRecord, b: NewRecord): boolean {
  return a.record.json !== b.record.json || a.record.kind !== b.record.kind;
}

/** The row a stored trajectory is read from in the live database. */
const STORED_ROW = `SELECT t.id, t.kind, d.trajectory, t.created_at, t.updated_at
  FROM trajectories t LEFT JOIN trajectory_documents d ON d.seq = t.seq`;

/** One stored row as a record to write again, checked as untrusted input; or what is wrong with it. */
function storedRecord(row: SnapshotRow, now: string): NewRecord | { issues: Issue[] } {
  const label = row.id ?? row.legacySessionId;
  const at = `trajectories[id=${typeof label === 'string' ? JSON.stringify(label) : String(label)}]`;
  if (row.trajectory === null) return { issues: [{ path: `${at}.trajectory`, message: 'is missing' }] };
  if (typeof row.trajectory !== 'string') return { issues: [{ path: `${at}.trajectory`, message: 'is not text' }] };
  let doc: unknown;
  try {
    doc = JSON.parse(row.trajectory);
  } catch {
    return { issues: [{ path: `${at}.trajectory`, message: 'is not valid JSON' }] };
  }
  const id = row.id ?? legacyId(doc, row.legacySessionId);
  const badId = idProblem(id);
  if (badId) return { issues: [{ path: `${at}.id`, message: badId }] };
  // The stored id stands, even where it differs from the document's own (a `keep-both` copy).
  let prepared: Prepared;
  if (row.kind === 'testgen') {
    prepared = prepareTestGen(testgenFromDocument(isRecord(doc) ? doc : {}), {
      path: `${at}.testgen`,
      id: id as string,
    });
  } else if (row.kind === 'atif') {
    // Refused only if it cannot be stored at all; departures from the spec are kept, as when they were saved.
    prepared = prepareAtif(doc, { path: `${at}.trajectory`, id: id as string, storedJson: row.trajectory });
  } else {
    return { issues: [{ path: `${at}.kind`, message: 'must be atif or testgen' }] };
  }
  if ('issues' in prepared) return prepared;
  const { record } = prepared;
  const createdAt = (typeof row.createdAt === 'string' && normalizeTimestamp(row.createdAt)) || now;
  const updatedAt = (typeof row.updatedAt === 'string' && normalizeTimestamp(row.updatedAt)) || createdAt;
  return { record, createdAt, updatedAt };
}

/** Migration 005's rule: the document's trajectory_id, else the row's session id. */
function legacyId(doc: unknown, sessionId: SqlValue | undefined): SqlValue {
  const trajectoryId = isRecord(doc) ? doc.trajectory_id : undefined;
  return typeof trajectoryId === 'string' && trajectoryId !== '' ? trajectoryId : (sessionId ?? null);
}

/**
 * A snapshot of only the selected trajectories: a new in-memory database
 * with the full schema, the rows copied with their ids and times, its file.
 */
export function exportSelection(
  sqlite3: Sqlite3Static,
  conn: Connection,
  selection: ParsedSelection,
  migrations: readonly Migration[],
  onProgress?: ProgressListener,
): Uint8Array {
  const ids: string[] = [];
  forEachMatch(conn, selection, (summary) => ids.push(summary.id));
  const target = new Connection(new sqlite3.oo1.DB(':memory:', 'c'));
  try {
    migrate(target, migrations);
    const now = new Date().toISOString();
    target.transaction(() => {
      ids.forEach((id, i) => {
        const row = conn.get(`${STORED_ROW} WHERE t.id = ?`, [id])!;
        const read = storedRecord(
          {
            key: 0,
            id: row.id!,
            kind: row.kind!,
            trajectory: row.trajectory!,
            createdAt: row.created_at!,
            updatedAt: row.updated_at!,
          },
          now,
        );
        if ('issues' in read) throw TrajectoryStoreError.validation('stored trajectory', read.issues);
        saveRecord(target, read.record, read);
        onProgress?.({ done: i + 1, total: ids.length });
      });
    });
    return exportSnapshot(sqlite3, target);
  } finally {
    target.close();
  }
}
