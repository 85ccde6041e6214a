/**
 * Snapshots: a whole database as the bytes of an ordinary SQLite file.
 *
 * An imported file is untrusted. It is checked as bytes first, then opened as
 * a private in-memory copy (never attached to the live database, so nothing
 * in it can run against our tables), stripped of every trigger and view,
 * checked for integrity, migrated forward, and its documents validated one by
 * one. Only then are the records handed to the store, which writes them in
 * one transaction.
 */
import type { Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { TrajectoryStoreError, type Issue } from '../errors.js';
import { atifFindings } from '../schema/atif-findings.js';
import { joinPath, zodIssues } from '../schema/issues.js';
import { isRecord } from '../schema/json.js';
import { TestGenDataSchema } from '../schema/testgen.js';
import { normalizeTimestamp } from '../schema/timestamp.js';
import type { ParsedSelection, ProgressListener } from '../schema/query.js';
import { Connection, type Row } from './connection.js';
import { atifRecord, testgenFromDocument, testgenRecord, type TrajectoryRecord } from './documents.js';
import { forEachMatch } from './export.js';
import { migrate, planMigrations, type Migration } from './migrations.js';
import { saveRecord } from './writes.js';

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

/** A private, writable in-memory database holding a copy of `bytes`. */
function openCopy(sqlite3: Sqlite3Static, bytes: Uint8Array): Connection {
  const db = new sqlite3.oo1.DB(':memory:', 'c');
  const pointer = sqlite3.wasm.allocFromTypedArray(bytes);
  const { capi } = sqlite3;
  const rc = capi.sqlite3_deserialize(
    db,
    'main',
    pointer,
    bytes.length,
    bytes.length,
    capi.SQLITE_DESERIALIZE_FREEONCLOSE | capi.SQLITE_DESERIALIZE_RESIZEABLE,
  );
  if (rc !== capi.SQLITE_OK) {
    sqlite3.wasm.dealloc(pointer);
    db.close();
    corruptThrow(`SQLite could not open it (${capi.sqlite3_js_rc_str(rc)})`);
  }
  return new Connection(db);
}

export interface ImportedRecord {
  record: TrajectoryRecord;
  createdAt: string;
  updatedAt: string;
}

/** Opens, checks, migrates and validates a snapshot; returns its records. Throws a typed error for any bad file. */
export function readSnapshot(
  sqlite3: Sqlite3Static,
  bytes: Uint8Array,
  migrations: readonly Migration[],
): ImportedRecord[] {
  const conn = openCopy(sqlite3, checkSnapshotHeader(bytes));
  try {
    prepareCopy(conn, migrations);
    return readRecords(conn);
  } catch (error) {
    if (error instanceof TrajectoryStoreError) throw error;
    throw corrupt(`it could not be read (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    conn.close();
  }
}

function prepareCopy(conn: Connection, migrations: readonly Migration[]): void {
  conn.db.exec('PRAGMA trusted_schema = OFF');
  const integrity = conn.all('PRAGMA integrity_check(5)').map((r) => String(Object.values(r)[0]));
  if (integrity.join() !== 'ok') corruptThrow(`its integrity check failed (${integrity.join('; ')})`);

  const applicationId = Number(conn.value('PRAGMA application_id'));
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    throw incompatible(`it was written by another application (application_id 0x${applicationId.toString(16)})`);
  }
  if (!conn.value("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'trajectories'")) {
    throw incompatible(
      'it has no trajectories table, so it is neither a trajectory-store snapshot nor a database of the original desktop tool',
    );
  }
  try {
    planMigrations(conn, migrations);
  } catch (error) {
    throw incompatible((error as Error).message.replace(/ Nothing was changed\.$/, ''));
  }
  // Nothing of the file's own may run: not while it is migrated, not ever.
  const objects = conn.all<{ type: string; name: string }>(
    "SELECT type, name FROM sqlite_schema WHERE type IN ('trigger', 'view') AND name NOT LIKE 'sqlite_%'",
  );
  for (const { type, name } of objects)
    conn.db.exec(`DROP ${type === 'view' ? 'VIEW' : 'TRIGGER'} IF EXISTS "${name.replace(/"/g, '""')}"`);
  try {
    migrate(conn, migrations);
  } catch (error) {
    throw incompatible(`it could not be brought to the current schema (${(error as Error).message})`);
  }
}

/** The row a stored trajectory is read from, here and in a snapshot (where a document may be missing). */
const STORED_ROW = `SELECT t.id, t.kind, d.trajectory, t.created_at, t.updated_at
  FROM trajectories t LEFT JOIN trajectory_documents d ON d.seq = t.seq`;

/** One stored row as a record to write again, checked as untrusted input; or what is wrong with it. */
function storedRecord(row: Row, now: string): ImportedRecord | { issues: Issue[] } {
  const id = String(row.id);
  const at = `trajectories[id=${JSON.stringify(id)}]`;
  if (row.trajectory === null) return { issues: [{ path: `${at}.trajectory`, message: 'is missing' }] };
  let doc: unknown;
  try {
    doc = JSON.parse(String(row.trajectory));
  } catch {
    return { issues: [{ path: `${at}.trajectory`, message: 'is not valid JSON' }] };
  }
  let record: TrajectoryRecord;
  if (row.kind === 'testgen') {
    const parsed = TestGenDataSchema.safeParse(testgenFromDocument(isRecord(doc) ? doc : {}));
    if (!parsed.success) return { issues: zodIssues(parsed.error, `${at}.testgen`) };
    record = testgenRecord(parsed.data);
  } else {
    // Refused only if it cannot be stored at all; departures from the spec are kept, as when they were saved.
    const { refusals, warnings } = atifFindings(doc);
    if (refusals.length > 0)
      return { issues: refusals.map((i) => ({ path: joinPath(`${at}.trajectory`, i.path), message: i.message })) };
    // The stored text as it is: it parsed, and re-writing it could only lose something.
    record = atifRecord(doc as Record<string, unknown>, String(row.trajectory), warnings.length === 0);
  }
  // The stored id stands, even where it differs from the document's own (a `keep-both` copy).
  record.id = id;
  const createdAt = normalizeTimestamp(String(row.created_at)) ?? now;
  return { record, createdAt, updatedAt: normalizeTimestamp(String(row.updated_at)) ?? createdAt };
}

function readRecords(conn: Connection): ImportedRecord[] {
  const issues: Issue[] = [];
  const records: ImportedRecord[] = [];
  const now = new Date().toISOString();
  for (const row of conn.all(`${STORED_ROW} ORDER BY t.seq`)) {
    const read = storedRecord(row, now);
    if ('issues' in read) issues.push(...read.issues);
    else records.push(read);
  }
  if (issues.length > 0) {
    const error = TrajectoryStoreError.validation('snapshot contents', issues);
    throw new TrajectoryStoreError('corrupt_snapshot', `Snapshot refused: ${error.message}. Nothing was changed.`, {
      issues,
    });
  }
  return records;
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
        const read = storedRecord(conn.get(`${STORED_ROW} WHERE t.id = ?`, [id])!, now);
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
