/**
 * What a page's worker offers the page over Comlink. Every method answers
 * with an Outcome (value or serialized TrajectoryStoreError), so that the
 * page rebuilds a real TrajectoryStoreError with its code and issues.
 */
import * as Comlink from 'comlink';
import type { StorageKind, StoreRole } from '../client/types.js';
import { TrajectoryStoreError } from '../errors.js';
import type { ProgressListener } from '../schema/query.js';
import type { StoreChange } from '../store/store.js';
import { StandaloneBackend, type StoreBackend } from './backend.js';
import type { HolderInfo, StoreCall } from './calls.js';
import { opfsUnavailableReason } from './databases.js';
import { databaseNames } from './names.js';
import { outcomeOf, type Outcome } from './outcome.js';
import { SharedBackend } from './shared-backend.js';

export interface WorkerOpenOptions {
  /** A valid database name (the page checks it). */
  name: string;
  /** Absent: OPFS where it can be had, else memory. */
  storage?: StorageKind;
}

export interface OpenedStore {
  role: StoreRole;
  storage: StorageKind;
  /** Why the store runs in memory although OPFS was not declined. */
  warning?: string;
}

export type WorkerInfo = HolderInfo & { role: StoreRole };

export interface StoreWorkerApi {
  open(options: WorkerOpenOptions, onChange: (change: StoreChange) => void): Promise<Outcome<OpenedStore>>;
  call(call: StoreCall, onProgress?: ProgressListener): Promise<Outcome<unknown>>;
  info(): Promise<Outcome<WorkerInfo>>;
  close(): Promise<void>;
}

export function createWorkerApi(): StoreWorkerApi {
  let backend: StoreBackend | null = null;
  const opened = (): StoreBackend => {
    if (!backend) throw new TrajectoryStoreError('closed', 'The store is not open');
    return backend;
  };

  return {
    open: (options, onChange) =>
      outcomeOf(async () => {
        if (backend) throw new TrajectoryStoreError('storage', 'This worker has a store open already');
        const notify = (change: StoreChange) => void Promise.resolve(onChange(change)).catch(() => {});
        const unavailable = options.storage === 'memory' ? null : await opfsUnavailableReason();
        if (options.storage === 'memory' || unavailable) {
          if (options.storage === 'opfs') {
            throw new TrajectoryStoreError(
              'storage',
              `OPFS storage was asked for, but ${unavailable}. Nothing was opened.`,
            );
          }
          backend = await StandaloneBackend.open(notify);
          return {
            role: backend.role,
            storage: 'memory',
            ...(unavailable ? { warning: `The store keeps its data in memory only, because ${unavailable}.` } : {}),
          };
        }
        backend = await SharedBackend.start(databaseNames(options.name), notify);
        return { role: backend.role, storage: 'opfs' };
      }, 'Opening the store'),

    async call(call, onProgress) {
      try {
        const outcome = await outcomeOf(() => opened().run(call, onProgress), call.method);
        // A snapshot is moved to the page, not copied.
        if (outcome.ok && outcome.value instanceof Uint8Array) return Comlink.transfer(outcome, [outcome.value.buffer]);
        return outcome;
      } finally {
        (onProgress as Partial<Comlink.Remote<ProgressListener>> | undefined)?.[Comlink.releaseProxy]?.();
      }
    },

    info: () =>
      outcomeOf(async () => {
        const store = opened();
        const info = (await store.run({ method: 'info', args: [] })) as HolderInfo;
        // The holder's answer, and this tab's own part in it.
        return { ...info, role: store.role };
      }, 'info'),

    async close() {
      const closing = backend;
      backend = null;
      await closing?.close();
    },
  };
}
