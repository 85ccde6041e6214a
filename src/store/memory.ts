/** The one way to open a store in memory: empty, or holding a snapshot's trajectories. */
import { loadSqlite3 } from './sqlite3.js';
import { StoreCore } from './store.js';

/**
 * A store on a new in-memory database. Given a snapshot's bytes, it holds their trajectories, checked like
 * importSnapshot's `replace`; a refused snapshot closes it again and is thrown.
 */
export async function openMemoryStore(snapshot?: Uint8Array): Promise<StoreCore> {
  const sqlite3 = await loadSqlite3();
  const core = new StoreCore(sqlite3, new sqlite3.oo1.DB(':memory:', 'c'));
  if (!snapshot) return core;
  try {
    core.importSnapshot(snapshot, { mode: 'replace' });
  } catch (error) {
    core.close();
    throw error;
  }
  return core;
}
