/**
 * Runs a call on the store core this worker holds: `core[method](...args)`, driven by the method table
 * (contract/methods.ts), with the progress listener put back into the call's options.
 */
import { invokeMethod } from '../contract/methods.js';
import { argsOf, type StoreCall } from '../protocol/calls.js';
import type { ProgressListener } from '../schema/query.js';
import type { StoreCore } from '../store/store.js';
import { importChecked, replaceImportOf } from './checked-import.js';

/**
 * Synchronous, so nothing else runs on the database meanwhile; except a replace import, whose file is checked in a
 * worker of its own while this one writes (checked-import.ts): it returns a promise and holds its transaction open
 * until that settles, so callers run the next call only then (the leader's queue, the standalone backend's chain).
 */
export function runCall(core: StoreCore, call: StoreCall, onProgress?: ProgressListener): unknown {
  const runHere = () => invokeMethod(core, call.method, argsOf(call, onProgress));
  const replacing = replaceImportOf(call);
  return replacing ? importChecked(core, replacing, onProgress, runHere) : runHere();
}
