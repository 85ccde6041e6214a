/**
 * openTrajectoryStore for Node: the store in-process on an in-memory
 * database (the wasm build has no persistent storage under Node). Tools and
 * tests use it; a snapshot file's bytes can be opened with `{snapshot}`.
 */
import { TrajectoryStoreError } from '../errors.js';
import { StoreCore } from '../store/store.js';
import { loadSqlite3 } from '../store/sqlite3.js';
import type { OpenOptions, TrajectoryStore } from './types.js';

export async function openTrajectoryStore(options: OpenOptions = {}): Promise<TrajectoryStore> {
  if (options.storage === 'opfs') {
    throw new TrajectoryStoreError(
      'storage',
      'OPFS exists only in browsers: in Node the store keeps its database in memory (storage: "memory").',
    );
  }
  const sqlite3 = await loadSqlite3();
  const core = new StoreCore(sqlite3, new sqlite3.oo1.DB(':memory:', 'c'));
  if (options.snapshot) {
    try {
      core.importSnapshot(options.snapshot, { mode: 'replace' });
    } catch (error) {
      core.close();
      throw error;
    }
  }
  return inProcessStore(core);
}

/** The async API over a core in this thread. Every call runs in a later microtask, so errors are rejections. */
export function inProcessStore(core: StoreCore): TrajectoryStore {
  const call = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);
  return {
    info: () =>
      call(() => ({ ...core.info(), storage: 'memory' as const, persisted: false, role: 'standalone' as const })),
    insertTrajectory: (atif) => call(() => core.insertTrajectory(atif)),
    insertTestGenTrajectory: (data) => call(() => core.insertTestGenTrajectory(data)),
    insertMany: (items, options) => call(() => core.insertMany(items, options)),
    getTrajectory: (id) => call(() => core.getTrajectory(id)),
    listTrajectories: (query) => call(() => core.listTrajectories(query)),
    searchTrajectories: (text, query) => call(() => core.searchTrajectories(text, query)),
    getStats: (query) => call(() => core.getStats(query)),
    deleteTrajectory: (id) => call(() => core.deleteTrajectory(id)),
    exportTrajectories: (options) => call(() => core.exportTrajectories(options)),
    exportSnapshot: (options) => call(() => core.exportSnapshot(options)),
    importSnapshot: (bytes, options) => call(() => core.importSnapshot(bytes, options)),
    subscribe: (listener) => core.subscribe(listener),
    close: () => call(() => core.close()),
  };
}
