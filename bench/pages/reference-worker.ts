/**
 * The bench's reference worker, a dedicated worker like the store's own, on the same page:
 * - raw OPFS writes and flushes through a sync access handle: the floor under any SQLite on OPFS;
 * - the same documents as plain rows through sqlite-wasm on opfs-sahpool: SQLite's own cost, none of ours;
 * - the store core opened exactly as the store's worker opens it (src/worker/databases.ts), its calls timed
 *   inside the worker (no trip from the page) and its OPFS calls counted.
 */
import type { SAHPoolUtil } from '@sqlite.org/sqlite-wasm';
import * as Comlink from 'comlink';
import { loadSqlite3 } from '../../src/store/sqlite3.js';
import { prepareAtif } from '../../src/store/prepare.js';
import type { StoreCore } from '../../src/store/store.js';
import { openOpfsDatabase, type OpenedDatabase } from '../../src/worker/databases.js';
import { databaseNames } from '../../src/worker/names.js';
import { benchAtif, benchTestgen } from '../data.js';

interface SyncAccessHandle {
  write(buffer: ArrayBufferView, options?: { at: number }): number;
  read(buffer: ArrayBufferView, options?: { at: number }): number;
  flush(): void;
  truncate(size: number): void;
  close(): void;
}

/** OPFS calls made in this worker since it started (every sync access handle's, SQLite's included), and their time. */
const io = { reads: 0, writes: 0, writeBytes: 0, flushes: 0, writeMs: 0, flushMs: 0 };

function countCalls(): void {
  const proto = (globalThis as unknown as { FileSystemSyncAccessHandle?: { prototype: SyncAccessHandle } })
    .FileSystemSyncAccessHandle?.prototype;
  if (!proto) return;
  const { read, write, flush } = proto;
  proto.read = function (this: SyncAccessHandle, buffer, options) {
    io.reads++;
    return read.call(this, buffer, options);
  };
  proto.write = function (this: SyncAccessHandle, buffer, options) {
    io.writes++;
    io.writeBytes += buffer.byteLength;
    const t = performance.now();
    try {
      return write.call(this, buffer, options);
    } finally {
      io.writeMs += performance.now() - t;
    }
  };
  proto.flush = function (this: SyncAccessHandle) {
    io.flushes++;
    const t = performance.now();
    try {
      return flush.call(this);
    } finally {
      io.flushMs += performance.now() - t;
    }
  };
}
countCalls();

async function scratchFile(name: string): Promise<SyncAccessHandle> {
  const root = await navigator.storage.getDirectory();
  const file = await root.getFileHandle(name, { create: true });
  return (file as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }).createSyncAccessHandle();
}

async function removeScratch(name: string): Promise<void> {
  await (await navigator.storage.getDirectory()).removeEntry(name).catch(() => {});
}

export type IoCounts = typeof io;
export type CallTimes = { ms: number[]; io: IoCounts[] };

/** Calls made untimed first, as the page's warm store has made many. */
const WARM_UP = 10;

let database: OpenedDatabase | undefined;
const core = (): StoreCore => {
  if (!database) throw new Error('no store opened in the reference worker');
  return database.core;
};

const delta = (before: IoCounts): IoCounts => ({
  reads: io.reads - before.reads,
  writes: io.writes - before.writes,
  writeBytes: io.writeBytes - before.writeBytes,
  flushes: io.flushes - before.flushes,
  writeMs: io.writeMs - before.writeMs,
  flushMs: io.flushMs - before.flushMs,
});

const api = {
  /** Writes `totalBytes` in calls of `chunkBytes` to a scratch file, then one flush. */
  async rawWrites(totalBytes: number, chunkBytes: number): Promise<{ ms: number }> {
    const handle = await scratchFile('bench-raw.bin');
    try {
      handle.truncate(0);
      const chunk = new Uint8Array(chunkBytes).fill(7);
      const t = performance.now();
      for (let at = 0; at < totalBytes; at += chunkBytes) handle.write(chunk, { at });
      handle.flush();
      return { ms: performance.now() - t };
    } finally {
      handle.close();
      await removeScratch('bench-raw.bin');
    }
  },

  /** The time of one flush after an 8 KiB write, `runs` times. */
  async flushTimes(runs: number): Promise<number[]> {
    const handle = await scratchFile('bench-flush.bin');
    try {
      const page = new Uint8Array(8192).fill(1);
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        handle.write(page, { at: (i % 64) * 8192 });
        const t = performance.now();
        handle.flush();
        ms.push(performance.now() - t);
      }
      return ms;
    } finally {
      handle.close();
      await removeScratch('bench-flush.bin');
    }
  },

  /** `count` bench documents as plain rows (id, document) on opfs-sahpool, in one transaction. */
  async plainSahpool(count: number): Promise<{ ms: number; jsonBytes: number }> {
    const sqlite3 = await loadSqlite3();
    const pool: SAHPoolUtil = await sqlite3.installOpfsSAHPoolVfs({ name: 'bench-plain', directory: '.bench-plain' });
    try {
      await pool.wipeFiles();
      const docs = Array.from({ length: count }, (_, i) => JSON.stringify(benchAtif(i)));
      const jsonBytes = docs.reduce((sum, doc) => sum + doc.length, 0);
      const db = new pool.OpfsSAHPoolDb('/plain.sqlite3');
      db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
      const t = performance.now();
      db.transaction(() => {
        const insert = db.prepare('INSERT INTO docs (id, doc) VALUES (?, ?)');
        docs.forEach((doc, i) => {
          insert.bind([`bench-${i}`, doc]).stepReset();
        });
        insert.finalize();
      });
      const ms = performance.now() - t;
      db.close();
      return { ms, jsonBytes };
    } finally {
      await pool.removeVfs();
    }
  },

  /** Opens the store's database `name` as its worker does; the page's store must be closed. */
  async open(name: string): Promise<number> {
    const t = performance.now();
    database = await openOpfsDatabase(databaseNames(name));
    return performance.now() - t;
  },

  /**
   * Saves bench documents one by one, timing each save and counting its OPFS calls. The first WARM_UP saves are not
   * timed (a new worker runs its wasm in the baseline compiler at first), nor is making each document.
   */
  saves(kind: 'atif' | 'testgen', count: number, prefix: string): CallTimes {
    const result: CallTimes = { ms: [], io: [] };
    for (let i = -WARM_UP; i < count; i++) {
      const n = i + WARM_UP;
      const save =
        kind === 'atif'
          ? (
              (doc) => () =>
                core().insertTrajectory(doc)
            )(benchAtif(n, prefix))
          : (
              (doc) => () =>
                core().insertTestGenTrajectory(doc)
            )(benchTestgen(n, prefix));
      const before = { ...io };
      const t = performance.now();
      save();
      if (i < 0) continue;
      result.ms.push(performance.now() - t);
      result.io.push(delta(before));
    }
    return result;
  },

  /** The JS part of a save alone (prepare.ts: exact JSON, every check, the summary and search text), `count` times. */
  prepares(count: number, prefix: string): number[] {
    const ms: number[] = [];
    for (let i = -WARM_UP; i < count; i++) {
      const doc = benchAtif(i + WARM_UP, prefix);
      const t = performance.now();
      prepareAtif(doc);
      if (i >= 0) ms.push(performance.now() - t);
    }
    return ms;
  },

  /** insertMany of `count` bench documents from number `first` (built before the clock starts). */
  bulk(first: number, count: number): { ms: number; jsonBytes: number; io: IoCounts } {
    const items = Array.from({ length: count }, (_, k) => benchAtif(first + k));
    const jsonBytes = items.reduce((sum, item) => sum + JSON.stringify(item).length, 0);
    const before = { ...io };
    const t = performance.now();
    core().insertMany(items);
    return { ms: performance.now() - t, jsonBytes, io: delta(before) };
  },

  /**
   * A store method called `runs` times inside the worker, after three calls untimed: a new worker runs its wasm in
   * the baseline compiler until the optimizing one has caught up, and its page cache is empty.
   */
  time(method: string, args: unknown[], runs: number): CallTimes {
    const target = core() as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (let i = 0; i < 3; i++) target[method]!.call(core(), ...args);
    const result: CallTimes = { ms: [], io: [] };
    for (let i = 0; i < runs; i++) {
      const before = { ...io };
      const t = performance.now();
      target[method]!.call(core(), ...args);
      result.ms.push(performance.now() - t);
      result.io.push(delta(before));
    }
    return result;
  },

  close(): void {
    database?.close();
    database = undefined;
  },
};

export type ReferenceWorker = typeof api;
Comlink.expose(api);
