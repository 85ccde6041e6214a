/**
 * The store over one SQLite connection: synchronous, no DOM, no worker. It
 * runs in-process in Node and inside the Web Worker in a browser; the client
 * layer makes it asynchronous. Every input is validated here, at the boundary.
 */
import type { Database, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { TrajectoryStoreError, toStoreError, type Issue } from '../errors.js';
import { atifIssues, type AtifTrajectory } from '../schema/atif.js';
import { parseOrThrow, zodIssues } from '../schema/issues.js';
import { isRecord } from '../schema/json.js';
import {
  ExportOptionsSchema,
  ImportOptionsSchema,
  InsertManyOptionsSchema,
  selectsEverything,
  SnapshotOptionsSchema,
  TrajectoryFilterSchema,
  TrajectoryQuerySchema,
  type ExportOptions,
  type ImportOptions,
  type InsertManyOptions,
  type ProgressListener,
  type SnapshotOptions,
  type TrajectoryFilter,
  type TrajectoryQuery,
} from '../schema/query.js';
import { BatchFilterSchema, CompareBatchesOptionsSchema, type CompareBatchesOptions } from '../schema/compare.js';
import { TestGenDataSchema } from '../schema/testgen.js';
import type { DatabaseInfo, StoreMethods } from '../contract/methods.js';
import type {
  ChangeListener,
  InsertManyResult,
  Page,
  SavedId,
  SearchHit,
  StoreChange,
  StoredTrajectory,
  TrajectoryStats,
  TrajectorySummary,
} from '../contract/results.js';
import type { BatchComparison, TrajectoryComparison } from '../contract/compare.js';
import { compareBatches, compareTrajectories } from './compare/index.js';
import { Connection } from './connection.js';
import { atifRecord, testgenRecord, type TrajectoryRecord } from './documents.js';
import { exportTrajectories } from './export.js';
import { hardenConnection } from './hardening.js';
import { listTrajectories } from './list.js';
import { MIGRATIONS } from './migration-files.js';
import { migrate, planMigrations } from './migrations.js';
import { getTrajectory } from './read.js';
import { searchTrajectories } from './search.js';
import { exportSelection, exportSnapshot, readSnapshot } from './snapshot.js';
import { getStats } from './stats.js';
import { deleteRecord, exists, freshId, saveRecord } from './writes.js';

export interface StoreCoreOptions {
  readFile?: () => Uint8Array | null;
}

/** Items a transaction of insertMany or importSnapshot writes: few commits, each well under a second. */
const BATCH_SIZE = 500;

export class StoreCore implements StoreMethods {
  private readonly conn: Connection;
  private readonly listeners = new Set<ChangeListener>();
  private closed = false;

  /**
   * Opens the store on `db` (migrating it) and takes ownership of it. `readFile`, where the database is a
   * file that can be read at once, gives its bytes (or null while that is not safe): a whole-database
   * snapshot then copies the file instead of serializing it page by page.
   */
  constructor(
    private readonly sqlite3: Sqlite3Static,
    db: Database,
    private readonly options: StoreCoreOptions = {},
  ) {
    this.conn = new Connection(db);
    try {
      hardenConnection(sqlite3, db);
      db.exec('PRAGMA foreign_keys = ON');
      migrate(this.conn, MIGRATIONS);
    } catch (error) {
      this.conn.close();
      throw toStoreError(error, 'Opening the database');
    }
  }

  info(): DatabaseInfo {
    return this.run('info', () => ({
      sqliteVersion: this.sqlite3.version.libVersion,
      schemaVersion: planMigrations(this.conn, MIGRATIONS).current ?? '',
      sizeBytes: Number(this.conn.value('SELECT page_count * page_size FROM pragma_page_count, pragma_page_size')),
      trajectoryCount: Number(this.conn.value('SELECT count(*) FROM trajectories')),
    }));
  }

  insertTrajectory(atif: unknown): SavedId {
    return this.run('insertTrajectory', () => {
      const record = atifRecordOrThrow(atif);
      this.conn.transaction(() => this.save(record));
      this.emit({ type: 'saved', ids: [record.id] });
      return { id: record.id, sessionId: record.sessionId };
    });
  }

  insertTestGenTrajectory(data: unknown): SavedId {
    return this.run('insertTestGenTrajectory', () => {
      const record = testgenRecord(parseOrThrow(TestGenDataSchema, data, 'testgen trajectory'));
      this.conn.transaction(() => this.save(record));
      this.emit({ type: 'saved', ids: [record.id] });
      return { id: record.id, sessionId: record.sessionId };
    });
  }

  /**
   * Validates every item, then writes the valid ones in transactions of
   * BATCH_SIZE items. An invalid item is reported in `rejected` and never
   * written; a storage failure rolls back its whole batch (earlier batches
   * stay saved) and is thrown.
   */
  insertMany(items: unknown, options: InsertManyOptions = {}): InsertManyResult {
    return this.run('insertMany', () => {
      if (!Array.isArray(items)) {
        throw TrajectoryStoreError.validation('insertMany items', [{ path: '', message: 'must be an array' }]);
      }
      const { onConflict = 'replace' } = parseOrThrow(InsertManyOptionsSchema, options, 'insertMany options');
      const result: InsertManyResult = { inserted: 0, replaced: 0, skipped: 0, rejected: [], renamed: [] };
      const valid: Array<{ index: number; record: TrajectoryRecord }> = [];
      items.forEach((item, index) => {
        const prepared = prepareItem(item);
        if ('issues' in prepared) result.rejected.push({ index, issues: prepared.issues });
        else valid.push({ index, record: prepared.record });
      });
      const savedIds: string[] = [];
      for (let start = 0; start < valid.length; start += BATCH_SIZE) {
        const batch = valid.slice(start, start + BATCH_SIZE);
        const counts = { inserted: 0, replaced: 0, skipped: 0 };
        const renamed: InsertManyResult['renamed'] = [];
        const ids: string[] = [];
        this.conn.transaction(() => {
          for (const { index, record } of batch) {
            if (exists(this.conn, record.id) && onConflict !== 'replace') {
              if (onConflict === 'skip') {
                counts.skipped++;
                continue;
              }
              const originalId = record.id;
              record.id = freshId(this.conn, originalId);
              renamed.push({ index, id: record.id, originalId });
            }
            counts[this.save(record)]++;
            ids.push(record.id);
          }
        });
        result.inserted += counts.inserted;
        result.replaced += counts.replaced;
        result.skipped += counts.skipped;
        result.renamed.push(...renamed);
        savedIds.push(...ids);
        report(options.onProgress, Math.min(start + BATCH_SIZE, valid.length), valid.length);
      }
      if (savedIds.length > 0) this.emit({ type: 'saved', ids: savedIds });
      return result;
    });
  }

  getTrajectory(id: string): StoredTrajectory | null {
    return this.run('getTrajectory', () => getTrajectory(this.conn, idOrThrow(id)));
  }

  listTrajectories(query: TrajectoryQuery = {}): Page<TrajectorySummary> {
    return this.run('listTrajectories', () =>
      listTrajectories(this.conn, parseOrThrow(TrajectoryQuerySchema, query, 'query')),
    );
  }

  searchTrajectories(text: string, query: TrajectoryQuery = {}): Page<SearchHit> {
    return this.run('searchTrajectories', () => {
      if (typeof text !== 'string') {
        throw TrajectoryStoreError.validation('search', [{ path: 'text', message: 'must be a string' }]);
      }
      return searchTrajectories(this.conn, text, parseOrThrow(TrajectoryQuerySchema, query, 'query'));
    });
  }

  getStats(filter: TrajectoryFilter = {}): TrajectoryStats {
    return this.run('getStats', () => getStats(this.conn, parseOrThrow(TrajectoryFilterSchema, filter, 'query')));
  }

  /** Two stored trajectories of one kind side by side: ATIF runs aligned step by step, testgen sessions test by test. */
  compareTrajectories(idA: string, idB: string): TrajectoryComparison {
    return this.run('compareTrajectories', () => compareTrajectories(this.conn, idOrThrow(idA), idOrThrow(idB)));
  }

  /** Two filtered sets paired by a key (`by`, default `taskId`): outcome, score, cost and tokens per pair. */
  compareBatches(
    queryA: TrajectoryFilter,
    queryB: TrajectoryFilter,
    options: CompareBatchesOptions = {},
  ): BatchComparison {
    return this.run('compareBatches', () => {
      const { by = 'taskId' } = parseOrThrow(CompareBatchesOptionsSchema, options, 'compareBatches options');
      return compareBatches(
        this.conn,
        parseOrThrow(BatchFilterSchema, queryA, 'query A'),
        parseOrThrow(BatchFilterSchema, queryB, 'query B'),
        by,
      );
    });
  }

  deleteTrajectory(id: string): boolean {
    return this.run('deleteTrajectory', () => {
      const deleted = this.conn.transaction(() => deleteRecord(this.conn, idOrThrow(id)));
      if (deleted) this.emit({ type: 'deleted', ids: [id] });
      return deleted;
    });
  }

  exportTrajectories(options: ExportOptions): string {
    return this.run('exportTrajectories', () =>
      exportTrajectories(this.conn, parseOrThrow(ExportOptionsSchema, options, 'export options')),
    );
  }

  /**
   * The whole database as a SQLite file; or, given filters or search `text`,
   * a new file holding only the trajectories they select (ids and times kept).
   */
  exportSnapshot(options: SnapshotOptions = {}): Uint8Array {
    return this.run('exportSnapshot', () => {
      const { onProgress: _listener, ...selection } = parseOrThrow(SnapshotOptionsSchema, options, 'snapshot options');
      const progress: ProgressListener = ({ done, total }) => report(options.onProgress, done, total);
      if (!selectsEverything(selection))
        return exportSelection(this.sqlite3, this.conn, selection, MIGRATIONS, progress);
      const bytes = this.options.readFile?.() ?? exportSnapshot(this.sqlite3, this.conn);
      progress({ done: bytes.length, total: bytes.length });
      return bytes;
    });
  }

  /**
   * Replaces every trajectory with the snapshot's (`replace`), or adds and
   * replaces by id (`merge`), in one transaction: on any failure the current
   * data is untouched. Only trajectories are imported; the original tool's
   * other tables (tasks, inferences, hillclimber) are left as they are.
   */
  importSnapshot(bytes: Uint8Array, options: ImportOptions): { trajectories: number } {
    return this.run('importSnapshot', () => {
      const { mode } = parseOrThrow(ImportOptionsSchema, options, 'import options');
      if (!(bytes instanceof Uint8Array)) {
        throw TrajectoryStoreError.validation('snapshot', [{ path: 'bytes', message: 'must be a Uint8Array' }]);
      }
      const taken = mode === 'merge' ? (id: string) => exists(this.conn, id) : undefined;
      const records = readSnapshot(this.sqlite3, bytes, MIGRATIONS, taken);
      this.conn.transaction(() => {
        if (mode === 'replace') this.conn.run('DELETE FROM trajectories');
        records.forEach(({ record, createdAt, updatedAt }, i) => {
          saveRecord(this.conn, record, { createdAt, updatedAt });
          if ((i + 1) % BATCH_SIZE === 0) report(options.onProgress, i + 1, records.length);
        });
      });
      report(options.onProgress, records.length, records.length);
      this.emit({ type: 'imported', mode, count: records.length });
      return { trajectories: records.length };
    });
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.conn.close();
  }

  private save(record: TrajectoryRecord): 'inserted' | 'replaced' {
    const now = new Date().toISOString();
    return saveRecord(this.conn, record, { createdAt: now, updatedAt: now });
  }

  private emit(change: StoreChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A subscriber's failure is its own; it must not undo or hide a committed write.
      }
    }
  }

  /** Runs a method: refused once closed, and any failure becomes a TrajectoryStoreError. */
  private run<T>(method: string, work: () => T): T {
    if (this.closed) throw new TrajectoryStoreError('closed', `${method}: the store is closed`);
    try {
      return work();
    } catch (error) {
      throw toStoreError(error, method);
    }
  }
}

function report(listener: ProgressListener | undefined, done: number, total: number): void {
  try {
    listener?.({ done, total });
  } catch {
    // Progress is informative only.
  }
}

function idOrThrow(id: unknown): string {
  if (typeof id !== 'string' || id === '') {
    throw TrajectoryStoreError.validation('id', [{ path: 'id', message: 'must be a non-empty string' }]);
  }
  return id;
}

function toJson(value: unknown): string | Issue {
  try {
    return JSON.stringify(value);
  } catch (error) {
    return { path: '', message: `cannot be stored as JSON (${(error as Error).message})` };
  }
}

function atifRecordOrThrow(atif: unknown): TrajectoryRecord {
  const prepared = prepareAtif(atif);
  if ('issues' in prepared) throw TrajectoryStoreError.validation('ATIF trajectory', prepared.issues);
  return prepared.record;
}

function prepareAtif(atif: unknown): { record: TrajectoryRecord } | { issues: Issue[] } {
  const issues = atifIssues(atif);
  if (issues.length > 0) return { issues };
  const json = toJson(atif);
  if (typeof json !== 'string') return { issues: [json] };
  return { record: atifRecord(atif as AtifTrajectory, json) };
}

/** An insertMany item: an ATIF trajectory, or `{testgen: data}`. */
function prepareItem(item: unknown): { record: TrajectoryRecord } | { issues: Issue[] } {
  if (isRecord(item) && 'testgen' in item) {
    const extra = Object.keys(item).filter((k) => k !== 'testgen');
    if (extra.length > 0) return { issues: extra.map((k) => ({ path: k, message: 'unexpected beside testgen' })) };
    const parsed = TestGenDataSchema.safeParse((item as { testgen: unknown }).testgen);
    if (!parsed.success) return { issues: zodIssues(parsed.error, 'testgen') };
    return { record: testgenRecord(parsed.data) };
  }
  return prepareAtif(item);
}
