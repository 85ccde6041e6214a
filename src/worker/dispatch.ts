/**
 * Runs a call on the store core this worker holds: `core[method](...args)`, driven by the method table
 * (contract/methods.ts), with the progress listener put back into the call's options.
 */
import { invokeMethod } from '../contract/methods.js';
import { argsOf, type StoreCall } from '../protocol/calls.js';
import type { ProgressListener } from '../schema/query.js';
import type { StoreCore } from '../store/store.js';

/** Synchronous: nothing else runs on the database meanwhile. */
export function runCall(core: StoreCore, call: StoreCall, onProgress?: ProgressListener): unknown {
  return invokeMethod(core, call.method, argsOf(call, onProgress));
}
