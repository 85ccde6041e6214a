/**
 * The store over one SQLite connection: synchronous, no DOM, no worker. It
 * runs in-process in Node and inside the Web Worker in a browser; the client
 * layer makes it asynchronous. Every input is validated here, at the boundary.
 */
import type { Database, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { TrajectoryStoreError, toStoreError, type Issue } from '../errors.js';
import { parseOrThrow } from '../schema/issues.js';
import { idProblem } from '../schema/json.js';
import {
  ExportOptionsSchema,
  ImportOptionsSchema,
  ImportTrajectoriesOptionsSchema,
  InsertManyOptionsSchema,
  InsertOptionsSchema,
  selectsEverything,
  SnapshotOptionsSchema,
  TrajectoryFilterSchema,
  TrajectoryQuerySchema,
  type ExportOptions,
  type ImportOptions,
  type ImportTrajectoriesOptions,
  type InsertManyOptions,
  type InsertOptions,
  type OnConflict,
  type ProgressListener,
  type SnapshotOptions,
  type TrajectoryFilter,
  type TrajectoryQuery,
} from '../schema/query.js';
import { BatchFilterSchema, CompareBatchesOptionsSchema, type CompareBatchesOptions } from '../schema/compare.js';
import type { DatabaseInfo, StoreMethods } from '../contract/methods.js';
import type {
  ChangeListener,
  ImportResult,
  InsertManyResult,
  SaveResult,
  Page,
  SearchHit,
  StoreChange,
  StoredTrajectory,
  TrajectoryStats,
  TrajectorySummary,
} from '../contract/results.js';
import type { BatchComparison, TrajectoryComparison } from '../contract/compare.js';
import { compareBatches, compareTrajectories } from './compare/index.js';
import { Connection } from './connection.js';
import type { TrajectoryRecord } from './documents.js';
import { exportTrajectories } from './export.js';
import { prepareAtif, prepareItem, prepareTestGen } from './prepare.js';
import { hardenConnection } from './hardening.js';
import { listTrajectories } from './list.js';
import { MIGRATIONS } from './migration-files.js';
import { migrate, planMigrations } from './migrations.js';
import { getTrajectory } from './read.js';
import { searchTrajectories } from './search.js';
import { exportSelection, exportSnapshot, SnapshotFile } from './snapshot.js';
import { type ReplaceImport, ReplaceWrites, StagedReplace } from './snapshot-replace.js';
import { getStats } from './stats.js';
import { importInput } from './import/index.js';
import { exists, place } from './identity.js';
import { indexPending } from './search-index.js';
import { deleteRecord, type NewRecord, savePlaced, saveRecord } from './writes.js';
import { BatchWrite, INSERT_MANY_BATCH, InsertManyRun, type PreparedItem } from './insert-many.js';
import { recordDeletion, recordSync, syncBatch, syncStatus } from './sync.js';
import {
  SyncBatchOptionsSchema,
  SyncProgressSchema,
  SyncTargetSchema,
  type SyncBatchOptions,
  type SyncProgress,
  type SyncTarget,
} from '../schema/sync.js';
import type { SyncBatch, SyncTargetStatus } from '../contract/sync.js';
import { reportProgress } from '../util/report-progress.js';
import { registerRankFunction } from './fts5-rank.js';

export interface StoreCoreOptions {
  readFile?: () => Uint8Array | null;
}

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
      registerRankFunction(sqlite3, db);
      db.exec('PRAGMA foreign_keys = ON');
      migrate(this.conn, MIGRATIONS);
      // Rows a migration left unindexed (010 moved text extraction into JS) are indexed now, once.
      indexPending(this.conn);
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
      freeBytes: Number(
        this.conn.value('SELECT freelist_count * page_size FROM pragma_freelist_count, pragma_page_size'),
      ),
      trajectoryCount: Number(this.conn.value('SELECT count(*) FROM trajectories')),
    }));
  }

  /**
   * Saves one ATIF document under the identity rule (identity.ts). Refused
   * only when it cannot be stored (prepare.ts); its departures from the spec
   * come back as warnings, or refuse it with `strict: true`.
   */
  insertTrajectory(atif: unknown, options: InsertOptions = {}): SaveResult {
    return this.run('insertTrajectory', () => {
      const { strict, onConflict } = parseOrThrow(InsertOptionsSchema, options, 'insertTrajectory options');
      const prepared = prepareAtif(atif, { strict });
      if ('issues' in prepared) throw TrajectoryStoreError.validation('ATIF trajectory', prepared.issues);
      return this.saveOne(prepared, onConflict);
    });
  }

  insertTestGenTrajectory(data: unknown): SaveResult {
    return this.run('insertTestGenTrajectory', () => {
      const prepared = prepareTestGen(data);
      if ('issues' in prepared) throw TrajectoryStoreError.validation('testgen trajectory', prepared.issues);
      return this.saveOne(prepared, undefined);
    });
  }

  /**
   * Prepares every item, then writes the storable ones in transactions of
   * INSERT_MANY_BATCH items, each under `onConflict` (default: the identity rule). An
   * item that cannot be stored (or, with `strict`, is not conformant) is
   * reported in `rejected` and never written; a storage failure rolls back its
   * whole batch (earlier batches stay saved) and is thrown.
   */
  insertMany(items: unknown, options: InsertManyOptions = {}): InsertManyResult {
    return this.run('insertMany', () => {
      if (!Array.isArray(items)) {
        throw TrajectoryStoreError.validation('insertMany items', [{ path: '', message: 'must be an array' }]);
      }
      const { onConflict, strict } = parseOrThrow(InsertManyOptionsSchema, options, 'insertMany options');
      const run = new InsertManyRun(this.conn, items.length, onConflict, options.onProgress);
      // Prepared a batch at a time, so that the first batch commits (and progress is told) early.
      for (let start = 0; start < items.length; start += INSERT_MANY_BATCH) {
        run.write(
          items
            .slice(start, start + INSERT_MANY_BATCH)
            .map((item, i) => ({ index: start + i, prepared: prepareItem(item, strict) })),
        );
      }
      if (run.savedIds.length > 0) this.emit({ type: 'saved', ids: run.savedIds });
      return run.result;
    });
  }

  /**
   * Writes one batch of prepared items in one transaction, adding what happened
   * to `result`; returns the ids written. Used by imports.
   */
  private saveBatch(
    items: readonly PreparedItem[],
    onConflict: OnConflict | undefined,
    result: InsertManyResult | ImportResult,
  ): string[] {
    const batch = new BatchWrite(this.conn, onConflict, result);
    try {
      batch.add(items);
      return batch.commit();
    } catch (error) {
      batch.abort();
      throw error;
    }
  }

  private saveOne({ record, warnings }: { record: TrajectoryRecord; warnings: Issue[] }, onConflict?: OnConflict) {
    const originalId = record.id;
    const placement = this.conn.transaction(() => {
      const placed = place(this.conn, record, onConflict);
      if (placed.write) savePlaced(this.conn, { ...record, id: placed.id }, placed);
      return placed;
    });
    if (placement.write) this.emit({ type: 'saved', ids: [placement.id] });
    const outcome = placement.outcome === 'skipped' ? 'unchanged' : placement.outcome;
    return {
      id: placement.id,
      sessionId: record.sessionId,
      outcome,
      ...(outcome === 'renamed' ? { originalId } : {}),
      warnings,
    } satisfies SaveResult;
  }

  /**
   * Imports a file's trajectories in whatever format it is (import/detect.ts),
   * a batch of INSERT_MANY_BATCH at a time like insertMany; a snapshot is merged.
   * Input in no known format is refused with `unknown_format` before anything is written.
   */
  importTrajectories(input: unknown, options: ImportTrajectoriesOptions = {}): ImportResult {
    return this.run('importTrajectories', () => {
      const parsed = parseOrThrow(ImportTrajectoriesOptionsSchema, options, 'importTrajectories options');
      const onProgress: ProgressListener = ({ done, total }) => reportProgress(options.onProgress, done, total);
      const { result, savedIds } = importInput(
        {
          batchSize: INSERT_MANY_BATCH,
          saveBatch: (batch, onConflict, into) => this.saveBatch(batch, onConflict, into),
          mergeSnapshot: (bytes, progress) =>
            this.importSnapshot(bytes, { mode: 'merge', onProgress: progress }).trajectories,
        },
        input,
        { ...parsed, onProgress },
      );
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
      const checked = idOrThrow(id);
      const deleted = this.conn.transaction(() => {
        recordDeletion(this.conn, checked); // for the team servers this database pushes to
        return deleteRecord(this.conn, checked);
      });
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
      const progress: ProgressListener = ({ done, total }) => reportProgress(options.onProgress, done, total);
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
      // A file whose header or schema is bad is refused here, before anything is written; its rows and b-trees are
      // checked as they are read, inside the transaction.
      const file = SnapshotFile.open(this.sqlite3, bytes, MIGRATIONS);
      let count: number;
      try {
        const onProgress: ProgressListener = ({ done, total }) => reportProgress(options.onProgress, done, total);
        count = this.conn.transaction(() => {
          if (mode === 'merge') {
            const taken = (id: string) => exists(this.conn, id);
            return file.readRecords({ write: (batch) => this.merge(batch), taken, onProgress });
          }
          const replace = new ReplaceWrites(this.conn);
          const written = file.readRecords({ write: (batch) => replace.write(batch), onProgress });
          replace.finish();
          return written;
        });
      } finally {
        file.close();
      }
      this.emit({ type: 'imported', mode, count });
      return { trajectories: count };
    });
  }

  /**
   * importSnapshot's `replace` for a file checked somewhere else (by the browser's checker worker:
   * src/worker/checked-import.ts), its checked records handed over as they come: the old trajectories go and each
   * batch is written as it arrives, in one transaction that stays open until `commit` or `abort`. The caller lets
   * nothing else run on the store meanwhile (the worker's call queue holds other calls back).
   */
  beginReplaceImport(): ReplaceImport {
    const staged = this.run('importSnapshot', () => StagedReplace.begin(this.conn));
    return {
      write: (batch) => this.run('importSnapshot', () => staged.write(batch)),
      commit: (count) =>
        this.run('importSnapshot', () => {
          staged.commit(count);
          this.emit({ type: 'imported', mode: 'replace', count });
          return { trajectories: count };
        }),
      abort: () => staged.abort(),
    };
  }

  /** The next trajectories to push to a team server (store.sync() sends them): those changed after its watermark. */
  syncBatch(target: SyncTarget, options: SyncBatchOptions = {}): SyncBatch {
    return this.run('syncBatch', () =>
      syncBatch(
        this.conn,
        parseOrThrow(SyncTargetSchema, target, 'sync target'),
        parseOrThrow(SyncBatchOptionsSchema, options, 'syncBatch options'),
      ),
    );
  }

  /** Records how a push to a team server went (its watermark, its last error) and tells every subscriber. */
  recordSync(target: SyncTarget, progress: SyncProgress): void {
    this.run('recordSync', () => {
      const parsedTarget = parseOrThrow(SyncTargetSchema, target, 'sync target');
      const parsedProgress = parseOrThrow(SyncProgressSchema, progress, 'sync progress');
      this.conn.transaction(() => recordSync(this.conn, parsedTarget, parsedProgress));
      this.emit({ type: 'sync', ...parsedTarget, ...parsedProgress });
    });
  }

  /** Every team server this database pushes to: its watermark, what is still to send, the last error. */
  syncStatus(): SyncTargetStatus[] {
    return this.run('syncStatus', () => syncStatus(this.conn));
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

  /** Writes a snapshot's records under the identity rule: a different trajectory under a taken id is kept beside it. */
  private merge(batch: readonly NewRecord[]): void {
    for (const { record, ...times } of batch) {
      const placement = place(this.conn, record, undefined);
      if (placement.write) saveRecord(this.conn, { ...record, id: placement.id }, times);
    }
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

function idOrThrow(id: unknown): string {
  const problem = idProblem(id);
  if (problem) throw TrajectoryStoreError.validation('id', [{ path: 'id', message: problem }]);
  return id as string;
}
