/** The raw pool page's worker: opfs-sahpool installed on a store's pool directory, no lock taken. */
import sqlite3InitModule, { type SAHPoolUtil } from '@sqlite.org/sqlite-wasm';
import * as Comlink from 'comlink';
import { databaseNames } from '../../src/worker/names.js';

interface SyncAccessHandle {
  read(buffer: Uint8Array, options: { at: number }): number;
  close(): void;
}

let pool: SAHPoolUtil | undefined;
let spare: SyncAccessHandle | undefined;
const sqlite3Ready = sqlite3InitModule();

async function install(name: string): Promise<SAHPoolUtil> {
  if (pool?.isPaused()) await pool.unpauseVfs();
  pool ??= await (await sqlite3Ready).installOpfsSAHPoolVfs({ directory: databaseNames(name).poolDirectory });
  return pool;
}

const api = {
  /** Takes the pool's files and keeps them; returns the names of the files in it. */
  async hold(name: string): Promise<string[]> {
    return (await install(name)).getFileNames();
  },
  /**
   * Runs SQL on the database file itself; returns the rows of its last statement. The store keeps the file in WAL
   * mode, which opfs-sahpool (no shared memory) opens only with exclusive locking, set before the first read.
   */
  async query(name: string, sql: string): Promise<unknown[][]> {
    const db = new (await install(name)).OpfsSAHPoolDb(databaseNames(name).file);
    try {
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      return db.exec({ sql, returnValue: 'resultRows' }) as unknown[][];
    } finally {
      db.close();
    }
  },
  /**
   * Takes one of the pool's spare files (one that holds no database) with a sync access handle
   * of its own, as another program might: the pool can then not start, though its database is free.
   */
  async holdSpareFile(name: string): Promise<string> {
    let dir = await navigator.storage.getDirectory();
    for (const part of `${databaseNames(name).poolDirectory}/.opaque`.split('/'))
      dir = await dir.getDirectoryHandle(part);
    for await (const [fileName, handle] of dir as unknown as AsyncIterable<[string, FileSystemFileHandle]>) {
      const access = await (
        handle as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }
      ).createSyncAccessHandle();
      const header = new Uint8Array(64);
      access.read(header, { at: 0 });
      if (header[0] === 0) {
        spare = access; // the pool writes no path in a file it has not given out
        return fileName;
      }
      access.close();
    }
    throw new Error('the pool has no spare file');
  },
  releaseSpareFile(): void {
    spare?.close();
    spare = undefined;
  },
  /** Lets go of the pool's files. */
  release(): void {
    pool?.pauseVfs();
  },
};

export type RawPoolWorker = typeof api;
Comlink.expose(api);
