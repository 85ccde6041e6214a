/**
 * The store core's modules (store-modules.ts), loaded once by import(). A cold open is one worker thread busy from
 * the script's start to SQLite's readiness, then mostly waiting on OPFS: only what the open needs before SQLite
 * is ready is in the worker's first script; the rest is fetched, parsed and evaluated during that wait.
 */
export type StoreModules = typeof import('./store-modules.js');

let loading: Promise<StoreModules> | undefined;

export function loadStoreModules(): Promise<StoreModules> {
  loading ??= import('./store-modules.js').catch((error: unknown) => {
    loading = undefined; // the next open may try again
    throw error;
  });
  return loading;
}
