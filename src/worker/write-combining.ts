/**
 * Write combining for the OPFS sync access handles of the database's pool.
 *
 * SQLite appends a save's pages to the write-ahead log one call at a time, a 24-byte frame header then an 8 KiB
 * page: about 65 writes for one 17 KiB document, 32,000 for a batch of 500. A sync access handle's write costs
 * Chromium about as much for 24 bytes as for 64 KiB (0.1-0.15 ms a call on the bench machine: BENCHMARKS.md), so
 * those calls were most of a save's time. Here contiguous writes are gathered in memory and written as one call
 * when they must be on disk: a flush (SQLite's sync, which makes a commit durable), a write elsewhere in the file,
 * more than MOST_GATHERED bytes, or closing. Reads and the file's size see the gathered bytes without sending
 * them, and a truncation cuts them as it cuts the file. What SQLite counts on is unchanged: everything written
 * before a sync is on disk when the sync returns, and every read sees every earlier write.
 *
 * A send that fails fails the call that needed it (a sync, a write: SQLite answers I/O error and rolls the
 * transaction back), and the gathered bytes are KEPT, to go out with the next flush. Dropping them is wrong: a
 * commit does not always end with its sync. SQLite pads a commit to the next 4 KiB boundary with copies of its last
 * frame, syncs at that boundary, and writes the rest of the frame that straddles it after the sync; that frame is
 * then the page's newest copy in the log's index. Its rest was gathered with the next transaction's frames, and when
 * their sync was refused (a full quota) and everything gathered dropped, the committed page could no longer be read
 * (SQLITE_IOERR_SHORT_READ: e2e/quota.spec.ts). Kept, a read finds every byte SQLite was told was written.
 */

/** The part of FileSystemSyncAccessHandle that SQLite's opfs-sahpool uses (not in TypeScript's DOM types). */
export interface SyncAccessHandle {
  write(buffer: ArrayBufferView, options?: { at?: number }): number;
  read(buffer: ArrayBufferView, options?: { at?: number }): number;
  getSize(): number;
  truncate(size: number): void;
  flush(): void;
  close(): unknown;
}

/** Bytes gathered before they go out anyway: large calls are as fast as OPFS gets, and memory stays bounded. */
const MOST_GATHERED = 4 * 1024 * 1024;
const FIRST_CAPACITY = 256 * 1024;

/** A sync access handle whose contiguous writes go to the file as one call (see the module comment). */
export class CombiningHandle implements SyncAccessHandle {
  private gathered = new Uint8Array(0);
  private gatheredLength = 0;
  /** Where in the file the gathered bytes go. */
  private gatheredAt = 0;

  constructor(private readonly handle: SyncAccessHandle) {}

  write(buffer: ArrayBufferView, options?: { at?: number }): number {
    const at = options?.at;
    const bytes = asBytes(buffer);
    const gatheredEnd = this.gatheredAt + this.gatheredLength;
    const joins = this.gatheredLength > 0 && at !== undefined && at >= this.gatheredAt && at <= gatheredEnd;
    if (this.gatheredLength > 0 && !joins) this.writeGathered();
    // At the file's cursor (SQLite always says where), or too large to be worth copying: straight through.
    if (at === undefined || (!joins && bytes.byteLength >= MOST_GATHERED)) return this.handle.write(buffer, options);
    if (this.gatheredLength === 0) this.gatheredAt = at;
    this.gather(bytes, at - this.gatheredAt);
    if (this.gatheredLength >= MOST_GATHERED) this.writeGathered();
    return bytes.byteLength;
  }

  /** Reads the file as if the gathered bytes were in it, without sending them (see the module comment). */
  read(buffer: ArrayBufferView, options?: { at?: number }): number {
    const at = options?.at;
    const fromFile = this.handle.read(buffer, options);
    if (this.gatheredLength === 0 || at === undefined) return fromFile;
    const target = asBytes(buffer);
    const start = Math.max(at, this.gatheredAt);
    const end = Math.min(at + target.byteLength, this.gatheredAt + this.gatheredLength);
    if (start >= end) return fromFile;
    // Between the file's end and gathered bytes written past it, a file reads zeros.
    if (at + fromFile < start) target.fill(0, fromFile, start - at);
    target.set(this.gathered.subarray(start - this.gatheredAt, end - this.gatheredAt), start - at);
    return Math.max(fromFile, end - at);
  }

  /** The size the file will have once the gathered bytes are in it. */
  getSize(): number {
    return Math.max(this.handle.getSize(), this.gatheredLength > 0 ? this.gatheredAt + this.gatheredLength : 0);
  }

  /** Cuts the file and the gathered bytes past `size` (a log emptied after a checkpoint never sends them). */
  truncate(size: number): void {
    this.handle.truncate(size);
    this.gatheredLength = Math.max(0, Math.min(this.gatheredLength, size - this.gatheredAt));
  }

  flush(): void {
    this.writeGathered();
    this.handle.flush();
  }

  /**
   * Never throws: opfs-sahpool closes its handles one after the other, and one that threw would leave the rest held.
   * SQLite synced its files before (xClose flushes), so nothing is gathered here but what a refused sync kept.
   */
  close(): unknown {
    try {
      this.writeGathered();
    } finally {
      // biome-ignore lint/correctness/noUnsafeFinally: the handle is let go whatever happened to the last write
      return this.handle.close();
    }
  }

  /** Copies `bytes` into the gathered ones at `offset` (the caller's buffer is SQLite's memory, reused at once). */
  private gather(bytes: Uint8Array, offset: number): void {
    const needed = Math.max(this.gatheredLength, offset + bytes.byteLength);
    if (needed > this.gathered.byteLength) {
      const grown = new Uint8Array(Math.max(FIRST_CAPACITY, needed, this.gathered.byteLength * 2));
      grown.set(this.gathered.subarray(0, this.gatheredLength));
      this.gathered = grown;
    }
    this.gathered.set(bytes, offset);
    this.gatheredLength = needed;
  }

  /**
   * Sends the gathered bytes as one write. If that fails (or writes part), they stay gathered and the call that
   * needed them sent fails (see the module comment): they go out with the next flush, which may have room again.
   */
  private writeGathered(): void {
    if (this.gatheredLength === 0) return;
    const written = this.handle.write(this.gathered.subarray(0, this.gatheredLength), { at: this.gatheredAt });
    if (written !== this.gatheredLength) throw new Error(`OPFS wrote ${written} of ${this.gatheredLength} bytes`);
    this.gatheredLength = 0;
  }
}

function asBytes(buffer: ArrayBufferView): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The pool directories (paths below the origin's root) whose database files combine their writes. */
const poolDirectories = new Set<string>();
let installed = false;

/**
 * Makes the sync access handles this worker opens from now on on the database files of the pool in `poolDirectory`
 * combine their writes. Called before the pool is installed: opfs-sahpool opens its handles itself and offers no
 * other way in. Other files of the worker (the quota reserve, the quota probe) are written directly: their callers
 * count on each write's answer.
 */
export function combineOpfsWrites(poolDirectory: string): void {
  poolDirectories.add(poolDirectory);
  if (installed || typeof FileSystemFileHandle !== 'function') return;
  const prototype = FileSystemFileHandle.prototype as unknown as {
    createSyncAccessHandle?: (...args: unknown[]) => Promise<SyncAccessHandle>;
  };
  const open = prototype.createSyncAccessHandle;
  if (typeof open !== 'function') return;
  installed = true;
  prototype.createSyncAccessHandle = async function (this: FileSystemFileHandle, ...args: unknown[]) {
    const handle = await open.apply(this, args);
    return (await isPoolDatabaseFile(this)) ? new CombiningHandle(handle) : handle;
  };
}

/** opfs-sahpool keeps a pool's database files in this subdirectory of the pool (a name it promises never to change). */
const POOL_FILES_DIRECTORY = '.opaque';

async function isPoolDatabaseFile(file: FileSystemFileHandle): Promise<boolean> {
  for (const poolDirectory of poolDirectories) {
    try {
      let directory = await navigator.storage.getDirectory();
      for (const name of poolDirectory.split('/').filter(Boolean)) directory = await directory.getDirectoryHandle(name);
      const path = await directory.resolve(file);
      if (path?.length === 2 && path[0] === POOL_FILES_DIRECTORY) return true;
    } catch {
      // No such directory (yet): not one of its files.
    }
  }
  return false;
}
