/** Documents and stores for the unit tests: real sqlite-wasm, in memory. */
import type { Database } from '@sqlite.org/sqlite-wasm';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { TrajectoryStoreError } from '../src/errors.js';
import { StoreCore } from '../src/store/store.js';

export { atifRun, comparableRuns, testgenSession } from './documents.js';

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
