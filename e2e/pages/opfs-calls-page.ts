/** Starts the OPFS calls worker (opfs-calls-worker.ts) and puts it on `window.opfsCalls`. */
import * as Comlink from 'comlink';
import type { OpfsCallsWorker } from './opfs-calls-worker.js';

const worker = Comlink.wrap<OpfsCallsWorker>(
  new Worker(new URL('./opfs-calls-worker.ts', import.meta.url), { type: 'module' }),
);
export type OpfsCallsApi = typeof worker;
Object.assign(window, { opfsCalls: worker });
