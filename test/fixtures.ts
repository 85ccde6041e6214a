/** Documents and stores for the unit tests: real sqlite-wasm, in memory. */
import type { Database } from '@sqlite.org/sqlite-wasm';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import type { TrajectoryStore } from '../src/contract/store.js';
import { TrajectoryStoreError } from '../src/errors.js';
import { openTrajectoryStore } from '../src/node.js';
import { StoreCore } from '../src/store/store.js';
import { atifRun, testgenSession } from './documents.js';

export { atifRun, comparableRuns, testgenSession } from './documents.js';

/** A Node store holding these ids: ATIF runs, and testgen sessions for ids starting with `tg`. */
export async function storeWith(ids: string[]): Promise<TrajectoryStore> {
  const store = await openTrajectoryStore();
  await store.insertMany(
    ids.map((id) => (id.startsWith('tg') ? { testgen: testgenSession(id) } : atifRun(id, { text: `text of ${id}` }))),
  );
  return store;
}

/** Every id in the store, sorted. */
export async function idsOf(store: TrajectoryStore): Promise<string[]> {
  return (await store.listTrajectories({ limit: 1000 })).items.map((s) => s.id).sort();
}

/** A store core together with its raw database, for tests that look underneath. */
export async function openCore(): Promise<{ core: StoreCore; db: Database }> {
  const sqlite3 = await loadSqlite3();
  const db = new sqlite3.oo1.DB(':memory:', 'c');
  return { core: new StoreCore(sqlite3, db), db };
}

export async function rawDatabase(): Promise<Database> {
  const sqlite3 = await loadSqlite3();
  return new sqlite3.oo1.DB(':memory:', 'c');
}

/** The TrajectoryStoreError that `work` throws (fails the test if it throws nothing or something else). */
export function catchError(work: () => unknown): TrajectoryStoreError {
  try {
    work();
  } catch (error) {
    if (error instanceof TrajectoryStoreError) return error;
    throw error;
  }
  throw new Error('expected a TrajectoryStoreError, but nothing was thrown');
}

/** The TrajectoryStoreError that `promise` rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<TrajectoryStoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TrajectoryStoreError) return error;
    throw error;
  }
  throw new Error('expected a TrajectoryStoreError, but the promise resolved');
}
