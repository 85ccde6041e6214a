/**
 * A replace import's writes: the old trajectories go, the summary table's indexes and its change-log trigger are
 * dropped, the file's checked records are inserted batch by batch, and at the end the change log is filled by one
 * statement and the indexes are built once. The same writes for a file read and checked here
 * (StoreCore.importSnapshot) and for one checked in another worker, whose records arrive over time
 * (StoreCore.beginReplaceImport, src/worker/checked-import.ts).
 */
import { TrajectoryStoreError } from '../errors.js';
import type { Connection, WriteTransaction } from './connection.js';
import { setAside } from './schema-objects.js';
import { mergeAsFts5DefaultUntilDone } from './search-index.js';
import { deleteAllRecords, dropSummaryIndexes, insertNewRecords, type NewRecord } from './writes.js';

/**
 * The change log's insert trigger (migrations/013), set aside while the rows come: each new row's change number is
 * then given by CHANGES_FILL, in the order the trigger would have given them (the rows' order), as 013 numbered
 * the rows it found. The rollup's trigger stays: filled by one GROUP BY, its cost sums would differ in the last
 * bit (SQLite's total() compensates rounding; the trigger adds row by row).
 */
const CHANGE_LOG_TRIGGER = 'trajectory_changes_insert';
const CHANGES_FILL = 'INSERT INTO trajectory_changes (seq) SELECT seq FROM trajectories ORDER BY seq';

/** The writes above. The caller holds the transaction: on any failure all of it rolls back. */
export class ReplaceWrites {
  private readonly createIndexes: () => void;
  private readonly createChangeLogTrigger: () => void;
  private readonly restoreSearchSettings: () => void;

  constructor(private readonly conn: Connection) {
    // Dropped first: a row-by-row delete with a dozen secondary indexes costs five times as much.
    this.createIndexes = dropSummaryIndexes(conn);
    deleteAllRecords(conn);
    this.createChangeLogTrigger = setAside(conn, 'trigger', 'name = ?', [CHANGE_LOG_TRIGGER]);
    this.restoreSearchSettings = mergeAsFts5DefaultUntilDone(conn);
  }

  write(batch: readonly NewRecord[]): void {
    insertNewRecords(this.conn, batch);
  }

  finish(): void {
    this.restoreSearchSettings();
    this.conn.run(CHANGES_FILL);
    this.createChangeLogTrigger();
    this.createIndexes();
  }
}

/** A replace import whose checked records arrive over time, as the store hands it out (StoreCore.beginReplaceImport). */
export interface ReplaceImport {
  /** Writes a batch of checked records, in the file's order; on a failure everything is rolled back. */
  write(batch: readonly NewRecord[]): void;
  /** Commits, once the whole file was checked: `count` records in all. On a failure rolled back. */
  commit(count: number): { trajectories: number };
  /** Rolls back: the file was refused, or the import given up. Does nothing once over. */
  abort(): void;
}

/**
 * ReplaceWrites in a transaction of its own that stays open while the records arrive: committed once the file was
 * checked whole, rolled back if it was refused (or anything failed), so that the old data is then exactly as it
 * was. Nothing else may run on the connection until it is over.
 */
export class StagedReplace {
  private open = true;
  private written = 0;

  private constructor(
    private readonly transaction: WriteTransaction,
    private readonly writes: ReplaceWrites,
  ) {}

  static begin(conn: Connection): StagedReplace {
    const transaction = conn.begin();
    try {
      return new StagedReplace(transaction, new ReplaceWrites(conn));
    } catch (error) {
      transaction.rollback();
      throw error;
    }
  }

  /** Writes a batch of checked records; on a failure rolls everything back (the import is then over). */
  write(batch: readonly NewRecord[]): void {
    this.step(() => {
      this.writes.write(batch);
      this.written += batch.length;
    });
  }

  /**
   * Commits, once the whole file was checked and `count` records were handed over: fewer written than that
   * means a batch was lost on the way, and nothing is committed.
   */
  commit(count: number): void {
    this.step(() => {
      if (count !== this.written) {
        throw new TrajectoryStoreError('storage', `${count} records were checked but ${this.written} arrived`);
      }
      this.writes.finish();
      this.transaction.commit();
    });
    this.open = false;
  }

  /** Rolls back whatever was written: the file was refused, or the import given up. Does nothing once over. */
  abort(): void {
    if (!this.open) return;
    this.open = false;
    this.transaction.rollback();
  }

  private step(work: () => void): void {
    if (!this.open) throw new TrajectoryStoreError('storage', 'the import is over (committed or rolled back)');
    try {
      work();
    } catch (error) {
      this.abort();
      throw error;
    }
  }
}
