/**
 * Keeps the write-ahead log empty while the database is quiet.
 *
 * Opening a database replays its log: opfs-sahpool has no shared memory, so SQLite rebuilds the log's index in
 * memory, reading it frame by frame. A log is only emptied by the next write after a checkpoint, so after a large
 * write (an import, a bulk save) it keeps every page of it until the tab closes, and the next open reads them all:
 * 1.2-1.7 s after importing 100,000 trajectories (a 494 MB log), where the open took 0.6 s with an empty one
 * (measured: BENCHMARKS.md). So once the store has been written to and then left alone for a moment, the log is
 * copied into the database file and truncated, and the next open has nothing to replay.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import type { StoreCore } from '../store/store.js';
import { loadedSqlite3 } from '../store/sqlite3.js';

/** How long the store must go without a write before its log is emptied. */
export const IDLE_CHECKPOINT_MS = 1_000;

/** Copies the write-ahead log into the database file and truncates it; false if SQLite could not copy all of it. */
export function checkpointed(db: Database): boolean {
  const [busy, logFrames, copiedFrames] = db.selectArray('PRAGMA wal_checkpoint(TRUNCATE)') ?? [1];
  return busy === 0 && logFrames === copiedFrames;
}

/**
 * Empties the log `IDLE_CHECKPOINT_MS` after the last change, and as long after opening (for a log that a tab
 * which closed or crashed left behind); returns the function that stops it.
 */
export function checkpointWhenIdle(db: Database, core: StoreCore): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(whenQuiet, IDLE_CHECKPOINT_MS);
  };
  const whenQuiet = () => {
    // A call may still hold a transaction open (one awaiting the page): try again after it.
    if (loadedSqlite3().capi.sqlite3_get_autocommit(db) === 0) return later();
    try {
      checkpointed(db);
    } catch {
      // The log stays and the next open replays it: slower, nothing lost.
    }
  };
  const unsubscribe = core.subscribe(later);
  later();
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
