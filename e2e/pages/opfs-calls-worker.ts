/**
 * A worker that opens a store's database exactly as the store's worker does (src/worker/databases.ts) and counts
 * every OPFS sync access handle call made in it: what SQLite really asks of the disk for each save.
 */
import * as Comlink from 'comlink';
import { openOpfsDatabase, type OpenedDatabase } from '../../src/worker/databases.js';
import { databaseNames } from '../../src/worker/names.js';
import { atifBatch, atifDocument } from '../support/documents.js';

interface SyncAccessHandle {
  write(buffer: ArrayBufferView, options?: { at?: number }): number;
  flush(): void;
}

/** Calls on the real handles (the prototype's methods, under whatever wraps them). */
const calls = { writes: 0, flushes: 0 };
const prototype = (globalThis as unknown as { FileSystemSyncAccessHandle: { prototype: SyncAccessHandle } })
  .FileSystemSyncAccessHandle.prototype;
const { write, flush } = prototype;
prototype.write = function (this: SyncAccessHandle, ...args) {
  calls.writes++;
  return write.apply(this, args);
};
prototype.flush = function (this: SyncAccessHandle) {
  calls.flushes++;
  return flush.call(this);
};

let database: OpenedDatabase | undefined;
const core = () => {
  if (!database) throw new Error('no database open');
  return database.core;
};

const api = {
  async open(name: string): Promise<void> {
    database = await openOpfsDatabase(databaseNames(name));
  },
  close(): void {
    database?.close();
    database = undefined;
  },
  /** Saves `count` documents one by one; the OPFS calls each made. */
  saves(prefix: string, count: number): Array<typeof calls> {
    return Array.from({ length: count }, (_, i) => {
      const before = { ...calls };
      core().insertTrajectory(atifDocument(`${prefix}-${i}`, undefined, 20));
      return { writes: calls.writes - before.writes, flushes: calls.flushes - before.flushes };
    });
  },
  /** One insertMany of `count` documents; the OPFS calls it made. */
  insertMany(prefix: string, count: number): typeof calls {
    const before = { ...calls };
    core().insertMany(atifBatch(prefix, count, 20));
    return { writes: calls.writes - before.writes, flushes: calls.flushes - before.flushes };
  },
  /** How many of the documents `${prefix}-0`... read back exactly as `saves` and `insertMany` saved them. */
  same(prefix: string, count: number): number {
    let same = 0;
    for (let i = 0; i < count; i++) {
      const stored = core().getTrajectory(`${prefix}-${i}`);
      if (JSON.stringify(stored?.trajectory) === JSON.stringify(atifDocument(`${prefix}-${i}`, undefined, 20))) same++;
    }
    return same;
  },
};

export type OpfsCallsWorker = typeof api;
Comlink.expose(api);
