/**
 * What the worker takes from the store core's modules (StoreCore and everything it imports: zod's schemas, the
 * importers with fflate, compare, export, snapshots: most of the worker's code). Loaded by import() in
 * lazy-store.ts, so that it is not part of the worker's first script: it evaluates while OPFS opens the pool's
 * files, instead of before SQLite starts.
 */
export { StoreCore } from '../store/store.js';
export { openMemoryStore } from '../store/memory.js';
export { asRollbackJournalFile } from '../store/snapshot.js';
export { runCall } from './dispatch.js';
