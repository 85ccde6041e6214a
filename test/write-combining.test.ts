/**
 * The write combining of the store's worker (src/worker/write-combining.ts), over a file kept in memory with a
 * sync access handle's semantics. Whatever the calls, the combined handle's file reads and ends exactly as the
 * same calls made directly would leave it; a write that fails fails the call that sends it, and only that.
 * (e2e/write-combining.spec.ts counts the calls on real OPFS files in Chromium.)
 */
import { describe, expect, test } from 'vitest';
import { CombiningHandle, type SyncAccessHandle } from '../src/worker/write-combining.js';

/** A file in memory with a sync access handle's methods; counts the writes that reach it. */
class MemoryFile implements SyncAccessHandle {
  bytes = new Uint8Array(0);
  writes = 0;
  flushes = 0;
  /** The next write is refused: with an exception, or (as Chromium answers as often) writes this many bytes. */
  failNextWrite: false | 'throw' | number = false;

  write(buffer: ArrayBufferView, options?: { at?: number }): number {
    let source = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const failure = this.failNextWrite;
    this.failNextWrite = false;
    if (failure === 'throw') throw new DOMException('out of space', 'QuotaExceededError');
    if (typeof failure === 'number') source = source.subarray(0, failure);
    this.writes++;
    const at = options?.at ?? 0;
    if (at + source.length > this.bytes.length) {
      const grown = new Uint8Array(at + source.length);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(source, at);
    return source.length;
  }
  read(buffer: ArrayBufferView, options?: { at?: number }): number {
    const target = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const part = this.bytes.subarray(options?.at ?? 0, (options?.at ?? 0) + target.length);
    target.set(part);
    return part.length;
  }
  getSize(): number {
    return this.bytes.length;
  }
  truncate(size: number): void {
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, size));
    this.bytes = next;
  }
  flush(): void {
    this.flushes++;
  }
  close(): void {}
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

/** A deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('write combining', () => {
  test('a log of frames (header, page, header, page...) goes out as one write at the flush', () => {
    const file = new MemoryFile();
    const handle = new CombiningHandle(file);
    const page = new Uint8Array(8192);
    for (let frame = 0; frame < 30; frame++) {
      handle.write(new Uint8Array(24).fill(frame), { at: 32 + frame * (24 + 8192) });
      handle.write(page.fill(frame), { at: 32 + frame * (24 + 8192) + 24 });
    }
    expect(file.writes).toBe(0);
    handle.flush();
    expect([file.writes, file.flushes]).toEqual([1, 1]);
    // The caller's buffer was reused for every page: each page keeps what it held when it was written.
    expect(file.bytes[32 + 5 * (24 + 8192) + 24]).toBe(5);
    expect(file.getSize()).toBe(32 + 30 * (24 + 8192));
  });

  test('any calls leave the file, and every read and size on the way, as the same calls made directly', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed);
      const direct = new MemoryFile();
      const underCombined = new MemoryFile();
      const combined = new CombiningHandle(underCombined);
      let cursor = 0;
      for (let step = 0; step < 300; step++) {
        const roll = next();
        if (roll < 0.6) {
          // Mostly appends (a log), sometimes anywhere (a checkpoint's pages), some larger than what is gathered.
          const length = next() < 0.005 ? 5 * 1024 * 1024 : 1 + Math.floor(next() * 9000);
          const at = next() < 0.7 ? cursor : Math.floor(next() * (direct.getSize() + 100));
          const bytes = new Uint8Array(length).fill(step % 251);
          expect(combined.write(bytes, { at })).toBe(direct.write(bytes, { at }));
          cursor = at + length;
        } else if (roll < 0.75) {
          const at = Math.floor(next() * (direct.getSize() + 10));
          const a = new Uint8Array(1 + Math.floor(next() * 20000));
          const b = new Uint8Array(a.length);
          expect(combined.read(a, { at })).toBe(direct.read(b, { at }));
          expect(sameBytes(a, b)).toBe(true);
        } else if (roll < 0.85) {
          expect(combined.getSize()).toBe(direct.getSize());
        } else if (roll < 0.9) {
          const size = Math.floor(next() * direct.getSize());
          combined.truncate(size);
          direct.truncate(size);
          cursor = size;
        } else {
          combined.flush();
          direct.flush();
          // Everything written before a flush is in the file when it returns.
          expect(sameBytes(underCombined.bytes, direct.bytes)).toBe(true);
        }
      }
      combined.close();
      expect(sameBytes(underCombined.bytes, direct.bytes)).toBe(true);
      expect(underCombined.writes).toBeLessThanOrEqual(direct.writes);
    }
  });

  test('a write that fails fails the flush that sends it; the bytes stay gathered and go with the next flush', () => {
    const file = new MemoryFile();
    const handle = new CombiningHandle(file);
    handle.write(new Uint8Array(100).fill(1), { at: 0 });
    handle.flush();
    handle.write(new Uint8Array(100).fill(2), { at: 100 });
    file.failNextWrite = 'throw';
    expect(() => handle.flush()).toThrow(/out of space/);
    expect(file.flushes).toBe(1);
    // The next transaction writes over the refused one's place; the room is back, and all of it goes out.
    handle.write(new Uint8Array(50).fill(3), { at: 100 });
    handle.flush();
    expect([...file.bytes.subarray(99, 101)]).toEqual([1, 3]);
    expect([...file.bytes.subarray(149, 151)]).toEqual([3, 2]);
    expect([file.getSize(), file.writes, file.flushes]).toEqual([200, 2, 2]);
  });

  test('a read and the size see the writes gathered before them, without sending them', () => {
    const file = new MemoryFile();
    const handle = new CombiningHandle(file);
    handle.write(new Uint8Array([9, 9, 9, 9]), { at: 0 });
    handle.flush();
    handle.write(new Uint8Array([1, 2, 3]), { at: 2 });
    handle.write(new Uint8Array([4, 5]), { at: 5 });
    const out = new Uint8Array(8);
    expect(handle.read(out, { at: 0 })).toBe(7);
    expect([...out]).toEqual([9, 9, 1, 2, 3, 4, 5, 0]);
    expect(handle.getSize()).toBe(7);
    // Past the file's end and before gathered bytes written beyond it: zeros, as in a file.
    handle.flush();
    handle.write(new Uint8Array([7]), { at: 10 });
    const gap = new Uint8Array(6).fill(255);
    expect(handle.read(gap, { at: 6 })).toBe(5);
    expect([...gap]).toEqual([5, 0, 0, 0, 7, 255]);
    expect(file.writes).toBe(2);
  });

  test('a truncation drops the gathered bytes past it unsent (a log emptied after a checkpoint)', () => {
    const file = new MemoryFile();
    const handle = new CombiningHandle(file);
    handle.write(new Uint8Array(100).fill(1), { at: 0 });
    handle.truncate(40);
    expect(handle.getSize()).toBe(40);
    handle.truncate(0);
    handle.flush();
    expect([file.writes, file.getSize()]).toEqual([0, 0]);
  });

  test("a commit's bytes written after its sync are still read after the next transaction's sync is refused", () => {
    // The case e2e/quota.spec.ts found: SQLite syncs a commit at a 4 KiB boundary inside its last (padding) frame
    // and writes the frame's rest after the sync; that frame is then the page's newest copy.
    for (const failure of ['throw', 4096 + 10] as const) {
      const file = new MemoryFile();
      const handle = new CombiningHandle(file);
      const frame = (fill: number) => new Uint8Array(8216).fill(fill);
      handle.write(frame(1), { at: 0 });
      handle.write(frame(1).subarray(0, 4096 * 3 - 8216), { at: 8216 });
      handle.flush();
      handle.write(frame(1).subarray(4096 * 3 - 8216), { at: 4096 * 3 });
      // The next transaction's frames join the gathered rest; its sync is refused.
      for (let n = 2; n < 6; n++) handle.write(frame(n), { at: n * 8216 });
      file.failNextWrite = failure;
      expect(() => handle.flush()).toThrow(failure === 'throw' ? /out of space/ : /wrote 4106 of/);
      // SQLite rolls that transaction back and reads the committed page again: all of it.
      const page = new Uint8Array(8216);
      expect(handle.read(page, { at: 8216 })).toBe(8216);
      expect(page.every((byte) => byte === 1)).toBe(true);
      expect(handle.getSize()).toBe(6 * 8216);
      // With room again, the next sync puts on disk everything SQLite was told was written.
      handle.flush();
      expect(file.getSize()).toBe(6 * 8216);
      expect(file.bytes.subarray(8216, 2 * 8216).every((byte) => byte === 1)).toBe(true);
    }
  });
});
