/**
 * Opening the store's database in a worker: on OPFS through opfs-sahpool, or
 * in memory. Opening never deletes or rewrites stored data: the pool is
 * installed with `preserveOnInitFailure`, and a database the core refuses
 * (a newer schema, a failed migration) is closed as it is.
 */
import type { Database, SAHPoolUtil, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { toStoreError, TrajectoryStoreError } from '../errors.js';
import type { StoreCall } from '../protocol/calls.js';
import type { ProgressListener } from '../schema/query.js';
import type { StoreCore } from '../store/store.js';
import { retry } from '../util/retry.js';
import { checkpointed, checkpointWhenIdle } from './idle-checkpoint.js';
import { loadStoreModules, type StoreModules } from './lazy-store.js';
import type { DatabaseNames } from './names.js';
import { loadSqlite3 } from '../store/sqlite3.js';
import { combineOpfsWrites } from './write-combining.js';

export interface OpenedDatabase {
  core: StoreCore;
  /** Runs a call on the core (dispatch.ts); a promise only for a replace import checked in a worker of its own. */
  run(call: StoreCall, onProgress?: ProgressListener): unknown;
  /**
   * Copies the write-ahead log into the database file and empties it, so that the next write starts the log
   * afresh; false when that could not be done (a full quota, say). Only on OPFS.
   */
  rewindLog?(): boolean;
  /** Closes the database and lets go of its files, so that another worker can open them. */
  close(): void;
}

/**
 * How long to keep trying when the pool's files are still held. A tab that
 * closed releases its lock and its file handles separately, so the next
 * holder may briefly find the handles still taken.
 */
const POOL_BUSY_RETRY_MS = 5_000;

/** Why OPFS cannot be had in this context, or null when it can. */
export async function opfsUnavailableReason(): Promise<string | null> {
  if (typeof navigator.locks?.request !== 'function') return 'Web Locks are missing (not a secure context?)';
  if (typeof BroadcastChannel !== 'function') return 'BroadcastChannel is missing';
  if (typeof navigator.storage?.getDirectory !== 'function')
    return 'the origin private file system is missing (not a secure context?)';
  if (typeof FileSystemFileHandle !== 'function' || !('createSyncAccessHandle' in FileSystemFileHandle.prototype)) {
    return 'OPFS sync access handles are missing';
  }
  try {
    await navigator.storage.getDirectory();
  } catch (error) {
    return `the origin private file system is refused (${(error as Error).message})`;
  }
  return null;
}

export async function openMemoryDatabase(): Promise<OpenedDatabase> {
  const modules = await loadStoreModules();
  const core = await modules.openMemoryStore();
  return { core, run: runOn(modules, core), close: () => core.close() };
}

/** Opens the database on OPFS. Call only while holding the database's election lock. */
export async function openOpfsDatabase(names: DatabaseNames): Promise<OpenedDatabase> {
  const sqlite3 = await loadSqlite3();
  // Loaded while the pool's files open (the store core is needed only once the database is open).
  const loadingModules = loadStoreModules();
  combineOpfsWrites(names.poolDirectory);
  const pool = await installPool(sqlite3, names);
  const giveUp = (error: unknown, db?: Database): never => {
    db?.close(); // a no-op if the core closed it already
    pool.pauseVfs();
    throw toStoreError(error, 'Opening the database');
  };
  let db: Database;
  let core: StoreCore;
  let modules: StoreModules;
  try {
    db = new pool.OpfsSAHPoolDb(names.file);
  } catch (error) {
    return giveUp(error);
  }
  try {
    useWriteAheadLog(db);
    // Temporary files would each take one of the pool's few file slots.
    db.exec('PRAGMA temp_store = MEMORY');
    // OPFS reads cost about 0.4 ms a page: keep the hot pages (indexes, recent rows) in 32 MiB, not SQLite's 2 MiB.
    db.exec('PRAGMA cache_size = -32768');
    modules = await loadingModules;
    const { asRollbackJournalFile, StoreCore } = modules;
    const opened = db;
    core = new StoreCore(sqlite3, db, {
      // Between calls no transaction is open: once the log is checkpointed into it, the file itself is the whole,
      // consistent database; read in one call it comes out some 30 times faster than SQLite's page-by-page
      // serialization through the pool (measured). Inside a transaction the core serializes it instead.
      readFile: () =>
        sqlite3.capi.sqlite3_get_autocommit(opened) === 0 || !checkpointed(opened)
          ? null
          : asRollbackJournalFile(pool.exportFile(names.file)),
    }); // migrates; refused, it leaves the file as it was
  } catch (error) {
    return giveUp(error, db);
  }
  const stopCheckpoints = checkpointWhenIdle(db, core);
  return {
    core,
    run: runOn(modules, core),
    rewindLog() {
      try {
        return checkpointed(db);
      } catch {
        return false;
      }
    },
    close() {
      stopCheckpoints();
      core.close();
      // Lets go of the pool's access handles without touching its files.
      pool.pauseVfs();
    },
  };
}

function runOn(modules: StoreModules, core: StoreCore): OpenedDatabase['run'] {
  return (call, onProgress) => modules.runCall(core, call, onProgress);
}

/**
 * The journal set-up. The worker holds the pool's files alone, so SQLite may keep its lock for as long as the
 * database is open (locking_mode EXCLUSIVE): that lets it use a write-ahead log without shared memory, which
 * opfs-sahpool lacks. A save then writes its pages once, appended to the log, and flushes once (synchronous FULL:
 * a resolved save is on disk, whatever happens to the browser next), where the rollback journal wrote every page
 * twice and flushed six times (measured: BENCHMARKS.md). Checkpoints copy the log into the file now and then, and
 * closing the database empties it. Both pragmas must come before the file is first read.
 */
function useWriteAheadLog(db: Database): void {
  db.exec('PRAGMA locking_mode = EXCLUSIVE');
  // Were the log refused, SQLite would keep the rollback journal: slower, as safe.
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  // A large transaction (an import) grows the log to its size; after the next checkpoint it goes back to 16 MiB.
  db.exec('PRAGMA journal_size_limit = 16777216');
}

async function installPool(sqlite3: Sqlite3Static, names: DatabaseNames): Promise<SAHPoolUtil> {
  try {
    return await retry(() => sqlite3.installOpfsSAHPoolVfs(poolOptions(names)), {
      retryable: isHeldElsewhere,
      withinMs: POOL_BUSY_RETRY_MS,
      firstPauseMs: 50,
      longestPauseMs: 500,
    });
  } catch (error) {
    if (!isHeldElsewhere(error)) throw toStoreError(error, 'Opening the database on OPFS');
    // Not `busy`: this worker will not get the files back by trying again; a reload may.
    throw new TrajectoryStoreError(
      'storage',
      `Opening the database on OPFS: its files are held by another context that does not take part in ` +
        `this store's coordination (another copy of the library, or a tab of an older release). ` +
        `Nothing was changed. (${(error as Error).message})`,
      { cause: error },
    );
  }
}

function poolOptions(names: DatabaseNames): PoolOptions {
  return {
    directory: names.poolDirectory,
    // Never delete the pool because it failed to start.
    preserveOnInitFailure: true,
    // A failed attempt is cached by the library; this worker may try again (documented, missing from its types).
    forceReinitIfPreviouslyFailed: true,
  };
}

type PoolOptions = Parameters<Sqlite3Static['installOpfsSAHPoolVfs']>[0] & { forceReinitIfPreviouslyFailed?: boolean };

/** The error OPFS gives when another context holds a sync access handle on the file. */
function isHeldElsewhere(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'NoModificationAllowedError';
}
