/**
 * Room kept back for deletes: a file of zeros beside the database's pool, given back to the browser when a
 * delete meets a full quota, and taken again afterwards as far as there is room.
 *
 * Why a delete needs room at all: in WAL mode every write, a delete too, appends pages to the log, and the
 * log can start over only once a checkpoint has copied it into the database file, which must grow to take
 * the pages saved since the last one. With the origin's quota full, neither can happen, and without room
 * held back nothing could ever be deleted to make some. Chromium grants a sync access handle room in steps
 * (1 MiB, then doubling up to 128 MiB), counted while the handle is open: the reserve is written through a
 * handle that is closed at once, so that it takes exactly its size.
 */
import { type SyncAccessHandle, withSyncFile } from './opfs-files.js';

/** Enough for a checkpoint to grow a database file of up to about 16 MiB by one capacity step, and the log. */
export const QUOTA_RESERVE_BYTES = 16 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

export class QuotaReserve {
  private heldBytes = 0;
  /** Takes and releases one after the other: the file has one sync access handle at a time. */
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    /** Where the reserve lives: directories below the origin's root, then the file's name. */
    private readonly path: readonly string[],
    private readonly bytes: number = QUOTA_RESERVE_BYTES,
  ) {}

  /** Bytes held back now. */
  get held(): number {
    return this.heldBytes;
  }

  /** Whether the reserve is smaller than it should be (given back, or the quota was too tight to take it). */
  get short(): boolean {
    return this.heldBytes < this.bytes;
  }

  /**
   * Takes the reserve, or as much of it as the quota allows (whole MiB). Never throws: without room the
   * store works on as before, only a delete under a full quota may then fail too.
   */
  take(): Promise<number> {
    return this.inTurn(async () => {
      try {
        this.heldBytes = await withSyncFile(this.path, true, (handle) => grow(handle, this.bytes));
      } catch {
        // No OPFS file could be made: nothing is held, nothing is lost.
      }
      return this.heldBytes;
    });
  }

  /** Gives the reserve back to the browser. */
  release(): Promise<void> {
    return this.inTurn(async () => {
      try {
        await withSyncFile(this.path, false, (handle) => {
          handle.truncate(0);
          handle.flush();
        });
      } catch {
        // No reserve file: nothing to give back.
      }
      this.heldBytes = 0;
    });
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const done = this.last.then(work, work);
    this.last = done.catch(() => undefined);
    return done;
  }
}

/**
 * Writes zeros (real disk space, not a sparse file) up to `bytes`, 1 MiB at a time, until the quota refuses
 * one; cuts off a chunk that was written in part. Returns the size reached.
 */
function grow(handle: SyncAccessHandle, bytes: number): number {
  const zeros = new Uint8Array(CHUNK_BYTES);
  let size = handle.getSize();
  while (size < bytes) {
    const chunk = zeros.subarray(0, Math.min(CHUNK_BYTES, bytes - size));
    let written: number;
    try {
      // Chromium answers a refused write with a bogus count (not a QuotaExceededError) as often as it throws.
      written = handle.write(chunk, { at: size });
    } catch {
      written = -1;
    }
    if (written !== chunk.byteLength) break;
    size += written;
  }
  handle.truncate(size);
  handle.flush();
  return size;
}
