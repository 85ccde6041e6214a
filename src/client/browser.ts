/**
 * openTrajectoryStore in a browser page: starts the store's dedicated module
 * worker, which holds the database on OPFS or reaches the tab that holds it,
 * and gives the page the async API of design.md over Comlink.
 */
import * as Comlink from 'comlink';
import { TrajectoryStoreError } from '../errors.js';
import { parseOrThrow } from '../schema/issues.js';
import type { ProgressListener } from '../schema/query.js';
import type { ChangeListener, StoreChange } from '../store/store.js';
import type { StoreWorkerApi } from '../worker/api.js';
import type { CallArgs, CallMethod, CallResult, StoreCall } from '../worker/calls.js';
import { unwrap } from '../worker/outcome.js';
import { BrowserOpenOptionsSchema } from './open-options.js';
import { repeatWhileBusy } from './retry.js';
import type { OpenOptions, StoreInfo, TrajectoryStore } from './types.js';

export async function openTrajectoryStore(options: OpenOptions = {}): Promise<TrajectoryStore> {
  const { name, snapshot, ...rest } = parseOrThrow(BrowserOpenOptionsSchema, options, 'open options');
  // A snapshot opens in a database of its own unless OPFS is asked for by name: opening a file to look
  // at it must never replace the trajectories this origin keeps.
  const storage = rest.storage ?? (snapshot ? 'memory' : undefined);
  // Asked of the page, not the worker: the browser decides per document.
  const persistence = requestPersistence();
  const { worker, failed } = startWorker();
  const remote = Comlink.wrap<StoreWorkerApi>(worker);
  const listeners = new Set<ChangeListener>();
  const onChange = Comlink.proxy((change: StoreChange) => {
    for (const listener of listeners) {
      try {
        listener(change);
      } catch {
        // A subscriber's failure is its own.
      }
    }
  });

  try {
    const opened = unwrap(
      await Promise.race([remote.open({ name, ...(storage ? { storage } : {}) }, onChange), failed]),
    );
    if (opened.warning) console.warn(`trajectory-store: ${opened.warning}`);
    await persistence;
  } catch (error) {
    worker.terminate();
    throw error;
  }

  const store = browserStore(remote, listeners, () => {
    remote[Comlink.releaseProxy]();
    worker.terminate();
  });
  if (snapshot) {
    try {
      await store.importSnapshot(snapshot, { mode: 'replace' });
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

function startWorker(): { worker: Worker; failed: Promise<never> } {
  // One static expression, which bundlers recognise (and vite.lib.config.ts points at the built worker).
  const worker = new Worker(new URL('../worker/store-worker.ts', import.meta.url), {
    type: 'module',
    name: 'trajectory-store',
  });
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener(
      'error',
      (event) =>
        reject(
          new TrajectoryStoreError(
            'storage',
            `The store's worker failed to start: ${event.message || 'its script could not be loaded'}`,
          ),
        ),
      { once: true },
    );
  });
  failed.catch(() => {}); // only raced during open
  return { worker, failed };
}

async function requestPersistence(): Promise<void> {
  try {
    if (!(await navigator.storage?.persisted?.())) await navigator.storage?.persist?.();
  } catch {
    // Not offered here (an insecure context, say): info().persisted says so.
  }
}

function browserStore(
  remote: Comlink.Remote<StoreWorkerApi>,
  listeners: Set<ChangeListener>,
  release: () => void,
): TrajectoryStore {
  let closed = false;

  /** One typed call, repeated while busy when that is safe. */
  const invoke = <M extends CallMethod>(
    method: M,
    args: CallArgs<M>,
    onProgress?: ProgressListener,
  ): Promise<CallResult<M>> => {
    if (closed) return Promise.reject(new TrajectoryStoreError('closed', `${method}: the store is closed`));
    const call = { method, args } as StoreCall;
    return repeatWhileBusy(call, async () =>
      unwrap(await remote.call(call, onProgress ? Comlink.proxy(onProgress) : undefined)),
    ) as Promise<CallResult<M>>;
  };

  return {
    async info(): Promise<StoreInfo> {
      if (closed) throw new TrajectoryStoreError('closed', 'info: the store is closed');
      const info = await repeatWhileBusy({ method: 'info', args: [] }, async () => unwrap(await remote.info()));
      return { ...info, persisted: await isPersisted() };
    },
    insertTrajectory: (atif) => invoke('insertTrajectory', [atif]),
    insertTestGenTrajectory: (data) => invoke('insertTestGenTrajectory', [data]),
    insertMany: (items, options) => {
      const { onProgress, ...rest } = options ?? {};
      return invoke('insertMany', [items, rest], onProgress);
    },
    getTrajectory: (id) => invoke('getTrajectory', [id]),
    listTrajectories: (query) => invoke('listTrajectories', [query]),
    searchTrajectories: (text, query) => invoke('searchTrajectories', [text, query]),
    getStats: (query) => invoke('getStats', [query]),
    deleteTrajectory: (id) => invoke('deleteTrajectory', [id]),
    exportTrajectories: (options) => invoke('exportTrajectories', [options]),
    exportSnapshot: (options) => {
      const { onProgress, ...selection } = options ?? {};
      return invoke('exportSnapshot', [selection], onProgress);
    },
    importSnapshot: (bytes, options) => {
      const { onProgress, ...rest } = options ?? {};
      return invoke('importSnapshot', [bytes, rest as typeof options], onProgress);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      try {
        await remote.close();
      } finally {
        release();
      }
    },
  };
}

async function isPersisted(): Promise<boolean> {
  try {
    return (await navigator.storage?.persisted?.()) ?? false;
  } catch {
    return false;
  }
}
