/**
 * openTrajectoryStore for Node: the store in-process on an in-memory
 * database (the wasm build has no persistent storage under Node). Tools and
 * tests use it; a snapshot file's bytes can be opened with `{snapshot}`.
 */
import { invokeMethod, STORE_METHOD_NAMES } from '../contract/methods.js';
import type { OpenOptions, StorePlacement, TrajectoryStore } from '../contract/store.js';
import { TrajectoryStoreError } from '../errors.js';
import { OpenOptionsSchema } from '../protocol/open-options.js';
import { parseOrThrow } from '../schema/issues.js';
import { openMemoryStore } from '../store/memory.js';
import type { StoreCore } from '../store/store.js';
import { syncMethod } from './sync.js';

const IN_PROCESS: StorePlacement = { storage: 'memory', persisted: false, role: 'standalone' };

export async function openTrajectoryStore(options: OpenOptions = {}): Promise<TrajectoryStore> {
  // Checked as a browser checks them; `name` is accepted (a browser's database name) and means nothing here.
  const { storage, snapshot } = parseOrThrow(OpenOptionsSchema, options, 'open options');
  if (storage === 'opfs') {
    throw new TrajectoryStoreError(
      'storage',
      'OPFS exists only in browsers: in Node the store keeps its database in memory (storage: "memory").',
    );
  }
  const core = await openMemoryStore(snapshot);
  return inProcessStore(core);
}

/** The async API over a core in this thread. Every call runs in a later microtask, so errors are rejections. */
function inProcessStore(core: StoreCore): TrajectoryStore {
  const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);
  const methods = Object.fromEntries(
    STORE_METHOD_NAMES.map((method) => [method, (...args: unknown[]) => later(() => invokeMethod(core, method, args))]),
  ) as Omit<TrajectoryStore, 'info' | 'sync' | 'subscribe' | 'close'>;
  return {
    ...methods,
    sync: syncMethod(methods),
    info: () => later(() => ({ ...core.info(), ...IN_PROCESS })),
    subscribe: (listener) => core.subscribe(listener),
    close: () => later(() => core.close()),
  };
}
