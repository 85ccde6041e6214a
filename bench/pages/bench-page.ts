/** The bench page: the package's browser entry, the bench documents and the reference worker, on `window.bench`. */
import * as Comlink from 'comlink';
import * as entry from '../../src/index.js';
import { benchAtif, benchTestgen } from '../data.js';
import type { ReferenceWorker } from './reference-worker.js';

/** A new reference worker; `terminate` ends it once its files are let go. */
function reference(): { worker: Comlink.Remote<ReferenceWorker>; terminate(): Promise<void> } {
  const raw = new Worker(new URL('./reference-worker.ts', import.meta.url), { type: 'module' });
  const worker = Comlink.wrap<ReferenceWorker>(raw);
  return {
    worker,
    async terminate() {
      await worker.close();
      raw.terminate();
    },
  };
}

const api = { ...entry, benchAtif, benchTestgen, reference };
export type BenchPageApi = typeof api;
Object.assign(window, { bench: api });
