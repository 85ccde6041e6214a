/**
 * Write combining for the OPFS sync access handles of the database's pool.
 *
 * SQLite appends a save's pages to the write-ahead log one call at a time, a 24-byte frame header then an 8 KiB
 * page: about 65 writes for one 17 KiB document, 32,000 for a batch of 500. A sync access handle's write costs
 * Chromium about as much for 24 bytes as for 64 KiB (0.1-0.15 ms a call on the bench machine: BENCHMARKS.md), so
 * those calls were most of a save's time. Here contiguous writes are gathered in memory and written as one call
 * when something needs them on disk or in the file: a flush (SQLite's sync, which makes a commit durable), a read,
 * the file's size, a truncation, closing, or a write elsewhere in the file. What SQLite counts on is unchanged:
 * everything written before a sync is on disk when the sync returns, and every read sees every earlier write.
 *
 * A write that fails when the gathered bytes go out fails the call that sent them (a flush, a read...), so the
 * operation SQLite was doing fails before it is complete (a commit, a checkpoint) and is rolled back: nothing is
 * reported saved that is not on disk. The gathered bytes are then dropped, as a failed write's would be.
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
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    if (this.gatheredLength > 0 && at !== this.gatheredAt + this.gatheredLength) this.writeGathered();
    // At the file's cursor (SQLite always says where), or too large to be worth copying: straight through.
    if (at === undefined || bytes.byteLength >= MOST_GATHERED) return this.handle.write(buffer, options);
    if (this.gatheredLength === 0) this.gatheredAt = at;
    this.gather(bytes);
    if (this.gatheredLength >= MOST_GATHERED) this.writeGathered();
    return bytes.byteLength;
  }

  read(buffer: ArrayBufferView, options?: { at?: number }): number {
    this.writeGathered();
    return this.handle.read(buffer, options);
  }

  getSize(): number {
    this.writeGathered();
    return this.handle.getSize();
  }

  truncate(size: number): void {
    this.writeGathered();
    this.handle.truncate(size);
  }

  flush(): void {
    this.writeGathered();
    this.handle.flush();
  }

  close(): unknown {
    try {
      this.writeGathered();
    } finally {
      // biome-ignore lint/correctness/noUnsafeFinally: the handle is let go whatever happened to the last write
      return this.handle.close();
    }
  }

  /** Copies `bytes` after the gathered ones (the caller's buffer is SQLite's memory, reused at once). */
  private gather(bytes: Uint8Array): void {
    const needed = this.gatheredLength + bytes.byteLength;
    if (needed > this.gathered.byteLength) {
      const grown = new Uint8Array(Math.max(FIRST_CAPACITY, needed, this.gathered.byteLength * 2));
      grown.set(this.gathered.subarray(0, this.gatheredLength));
      this.gathered = grown;
    }
    this.gathered.set(bytes, this.gatheredLength);
    this.gatheredLength = needed;
  }

  private writeGathered(): void {
    if (this.gatheredLength === 0) return;
    const length = this.gatheredLength;
    this.gatheredLength = 0;
    const written = this.handle.write(this.gathered.subarray(0, length), { at: this.gatheredAt });
    if (written !== length) throw new Error(`OPFS wrote ${written} of ${length} bytes`);
  }
}

let installed = false;

/**
 * Makes every sync access handle this worker opens from now on combine its writes. Called once, before the pool
 * is installed: opfs-sahpool opens its handles itself and offers no other way in. Only the store's worker calls
 * it, and the pool's files are the only ones it opens with sync access.
 */
export function combineOpfsWrites(): void {
  if (installed || typeof FileSystemFileHandle !== 'function') return;
  const prototype = FileSystemFileHandle.prototype as unknown as {
    createSyncAccessHandle?: (...args: unknown[]) => Promise<SyncAccessHandle>;
  };
  const open = prototype.createSyncAccessHandle;
  if (typeof open !== 'function') return;
  installed = true;
  prototype.createSyncAccessHandle = async function (this: FileSystemFileHandle, ...args: unknown[]) {
    return new CombiningHandle(await open.apply(this, args));
  };
}
