/**
 * Reaches a database's OPFS pool directly from a worker of this page, the
 * way a careless second copy of the library would: without the election
 * lock. Tests use it to hold the pool's files (a start that must fail) and
 * to edit a stored database underneath the store.
 */
import * as Comlink from 'comlink';
import type { RawPoolWorker } from './raw-pool-worker.js';

const worker = new Worker(new URL('./raw-pool-worker.ts', import.meta.url), { type: 'module' });
const remote = Comlink.wrap<RawPoolWorker>(worker);

const api = {
  hold: (name: string) => remote.hold(name),
  query: (name: string, sql: string) => remote.query(name, sql),
  release: () => remote.release(),
  holdSpareFile: (name: string) => remote.holdSpareFile(name),
  releaseSpareFile: () => remote.releaseSpareFile(),
};
export type RawPoolApi = typeof api;
Object.assign(window, { rawPool: api });
