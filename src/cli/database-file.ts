/**
 * The database file the command works on: an ordinary snapshot file (what the
 * browser app exports and imports), run by the same store core as everywhere.
 *
 * The core runs on the official sqlite-wasm build in memory: the file is read
 * straight into the wasm heap and handed to SQLite (sqlite3_deserialize), and
 * written back whole, atomically: to a temporary file beside it, flushed to
 * disk, then renamed over it (and the folder flushed). A command killed at any
 * moment leaves the old file or the new one, never a mix. Writers take a lock
 * file (`PATH.lock`, holding their pid) so that two writing commands wait for
 * each other; a lock whose process is gone is taken over. Readers need no lock:
 * the file they open is always whole.
 *
 * A file is someone's to hand over (a snapshot sent by a colleague, a download), so before the store opens
 * it, its whole schema is checked on a hardened read-only connection (snapshot.ts checkDatabaseFile): a
 * trigger, view or CHECK of its own would otherwise run while the store works on it.
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Database, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { TrajectoryStoreError } from '../errors.js';
import { MIGRATIONS } from '../store/migration-files.js';
import { checkDatabaseFile, checkSnapshotHeader } from '../store/snapshot.js';
import { loadSqlite3 } from '../store/sqlite3.js';
import { StoreCore } from '../store/store.js';
import { CliError, EXIT } from './exit-codes.js';

export const DEFAULT_DATABASE = 'trajectories.sqlite';

export interface DatabaseFile {
  readonly path: string;
  readonly core: StoreCore;
  /** False when no file existed: the database is new and written only by save(). */
  readonly existed: boolean;
  /** Writes the database back to its file, atomically. Only for files opened for writing. */
  save(): void;
  /** Closes the database and lets go of the lock. */
  close(): void;
}

export interface OpenFileOptions {
  /** Take the write lock, and create the database if there is no file. */
  write: boolean;
  /** Seconds to wait for another command's lock. */
  waitSeconds: number;
}

export async function openDatabaseFile(file: string, options: OpenFileOptions): Promise<DatabaseFile> {
  const path = resolve(file);
  const lock = options.write ? await acquireLock(path, options.waitSeconds) : undefined;
  try {
    const sqlite3 = await loadSqlite3();
    const db = new sqlite3.oo1.DB(':memory:', 'c');
    const existed = readInto(sqlite3, db, path);
    if (!existed && !options.write) {
      db.close();
      throw new CliError(
        'not_found',
        `no database at ${path} (create one with: trajectory-store import PATH...)`,
        EXIT.notFound,
      );
    }
    const core = new StoreCore(sqlite3, db);
    return {
      path,
      core,
      existed,
      save: () => {
        if (!lock) throw new Error('save() on a database opened for reading');
        writeAtomically(sqlite3, db, path);
      },
      close: () => {
        core.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** Reads the file into the wasm heap and opens it as `db`'s main database; false if there is no file. */
function readInto(sqlite3: Sqlite3Static, db: Database, path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const { capi, wasm } = sqlite3;
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const pointer = capi.sqlite3_malloc64(BigInt(size));
    if (!pointer) throw new CliError('storage', `${path} is too large to open (${size} bytes)`, EXIT.data);
    // Read straight into the heap: no second copy of a large file in JavaScript memory.
    for (let offset = 0; offset < size; ) {
      const read = readSync(fd, wasm.heap8u(), pointer + offset, Math.min(size - offset, 1 << 30), offset);
      if (read === 0) throw new CliError('io', `${path} shrank while it was being read`, EXIT.data);
      offset += read;
    }
    const bytes = wasm.heap8u().subarray(pointer, pointer + size);
    try {
      const checked = checkSnapshotHeader(bytes);
      if (checked !== bytes) bytes.set(checked.subarray(0, 100)); // a WAL-mode file, opened as rollback-journal
      checkDatabaseFile(sqlite3, pointer, size, MIGRATIONS);
    } catch (error) {
      capi.sqlite3_free(pointer);
      throw refusal(path, error);
    }
    const flags = capi.SQLITE_DESERIALIZE_FREEONCLOSE | capi.SQLITE_DESERIALIZE_RESIZEABLE;
    const rc = capi.sqlite3_deserialize(db, 'main', pointer, size, size, flags);
    if (rc !== capi.SQLITE_OK) {
      throw new CliError(
        'corrupt_snapshot',
        `${path}: SQLite could not open it (${capi.sqlite3_js_rc_str(rc)})`,
        EXIT.data,
      );
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * Why the file is not opened. A file that is not whole is `corrupt_snapshot`; one that is someone else's, or
 * this project's with anything of its own added to the schema (a trigger, a view, a CHECK: it would run while
 * the store works on the file) is `incompatible_snapshot`: never migrated into a trajectory store, never run.
 */
function refusal(path: string, error: unknown): CliError {
  const message = (error as Error).message;
  if (error instanceof TrajectoryStoreError && error.code === 'incompatible_snapshot') {
    return new CliError(
      'incompatible_snapshot',
      `${path} was refused: ${message.replace(/^Snapshot refused: /, '').replace(/\. Nothing was changed\.$/, '')}. ` +
        'trajectory-store works only on its own databases, and left this one as it was: pick another --db. To ' +
        `take its trajectories (a database of the original desktop tool, say), import it: trajectory-store import ${path}`,
      EXIT.data,
    );
  }
  return new CliError('corrupt_snapshot', `${path}: ${message}`, EXIT.data);
}

function writeAtomically(sqlite3: Sqlite3Static, db: Database, path: string): void {
  const { capi, wasm } = sqlite3;
  const temporary = `${path}.tmp-${process.pid}`;
  const stack = wasm.pstack.pointer;
  let fd: number | undefined;
  try {
    const sizeOut = wasm.pstack.alloc(8);
    // NOCOPY: a file read in is one block of the heap, written out as it is. A new database (no file
    // yet) is not kept in one block: it is copied out once.
    const pointer = capi.sqlite3_serialize(db, 'main', sizeOut, capi.SQLITE_SERIALIZE_NOCOPY);
    const size = Number(wasm.peek(sizeOut, 'i64'));
    fd = openSync(temporary, 'w', 0o644);
    if (pointer) {
      for (let offset = 0; offset < size; ) {
        offset += writeSync(fd, wasm.heap8u(), pointer + offset, Math.min(size - offset, 1 << 30));
      }
    } else {
      const bytes = capi.sqlite3_js_db_export(db);
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
    syncFolder(dirname(path));
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  } finally {
    wasm.pstack.restore(stack);
  }
}

/** Makes the rename itself durable (a no-op where folders cannot be opened, as on Windows). */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

interface Lock {
  release(): void;
}

/** Waits up to `waitSeconds` for `PATH.lock`; takes over a lock whose process is gone. */
async function acquireLock(path: string, waitSeconds: number): Promise<Lock> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(lockPath, { force: true });
      process.once('exit', release);
      return {
        release: () => {
          process.off('exit', release);
          release();
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(lockPath);
    if (holder !== undefined && !isAlive(holder)) {
      rmSync(lockPath, { force: true }); // left by a command that was killed
      continue;
    }
    if (Date.now() >= deadline) {
      throw new CliError(
        'busy',
        `${path} is being written by another trajectory-store command${holder ? ` (pid ${holder})` : ''}; try again, or wait longer with --wait SECONDS`,
        EXIT.busy,
      );
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

function lockHolder(lockPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
