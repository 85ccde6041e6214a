/**
 * openTrajectoryStore in a browser page: starts the store's dedicated module
 * worker, which holds the database on OPFS or reaches the tab that holds it,
 * and gives the page the async API of design.md over Comlink.
 */
import * as Comlink from 'comlink';
import { type DatabaseInfo, STORE_METHOD_NAMES, type StoreMethod } from '../contract/methods.js';
import type { ChangeListener, StoreChange } from '../contract/results.js';
import type { OpenOptions, StorageKind, TrajectoryStore } from '../contract/store.js';
import { TrajectoryStoreError } from '../errors.js';
import { callOf, type StoreCall } from '../protocol/calls.js';
import { OpenOptionsSchema } from '../protocol/open-options.js';
import { type Outcome, unwrap } from '../protocol/outcome.js';
import type { OpenedStore, StoreWorkerApi } from '../protocol/worker-api.js';
import { parseOrThrow } from '../schema/issues.js';
import { PageInbox } from './page-inbox.js';
import { isDataCloneError, plainCall } from './plain-call.js';
import { repeatWhileBusy } from './retry.js';
import { syncMethod } from './sync.js';

export async function openTrajectoryStore(options: OpenOptions = {}): Promise<TrajectoryStore> {
  const { name, snapshot, ...rest } = parseOrThrow(OpenOptionsSchema, options, 'open options');
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

  let opened: OpenedStore;
  try {
    opened = unwrap(await Promise.race([remote.open({ name, ...(storage ? { storage } : {}) }, onChange), failed]));
    if (opened.warning) console.warn(`trajectory-store: ${opened.warning}`);
    await persistence;
  } catch (error) {
    worker.terminate();
    throw error;
  }

  const pageInbox = opened.pageInbox ? new PageInbox(opened.pageInbox) : null;
  const store = browserStore(remote, opened.storage, pageInbox, listeners, () => {
    pageInbox?.close();
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
  storage: StorageKind,
  /** Where another tab holding the database answers this page's calls (shared databases only). */
  pageInbox: PageInbox | null,
  listeners: Set<ChangeListener>,
  release: () => void,
): TrajectoryStore {
  let closed = false;

  /** One call of the method table, repeated while busy when that is safe. */
  const invoke = (method: StoreMethod, args: readonly unknown[]): Promise<unknown> => {
    if (closed) return Promise.reject(new TrajectoryStoreError('closed', `${method}: the store is closed`));
    const { call, onProgress } = callOf(method, args);
    const post = (sent: StoreCall, pageCallId?: string) =>
      remote.call(sent, onProgress ? Comlink.proxy(onProgress) : undefined, pageCallId);
    const send = (sent: StoreCall) =>
      repeatWhileBusy(sent, async () =>
        pageInbox
          ? pageInbox.call(method, onProgress, (pageCallId) => post(sent, pageCallId))
          : // Without a page call id the answer is always the outcome itself.
            unwrap((await post(sent)) as Outcome<unknown>),
      );
    return send(call).catch(async (error: unknown) => {
      // Nothing was posted: a value structured clone refuses. Posted again as the store would store it.
      if (!isDataCloneError(error)) throw error;
      const plain = plainCall(call);
      return plain.complete(await send(plain.call));
    });
  };

  const methods = Object.fromEntries(
    STORE_METHOD_NAMES.map((method) => [method, (...args: unknown[]) => invoke(method, args)]),
  ) as Omit<TrajectoryStore, 'info' | 'sync' | 'subscribe' | 'close'>;

  return {
    ...methods,
    sync: syncMethod(methods),
    async info() {
      const database = (await invoke('info', [])) as DatabaseInfo;
      return { ...database, storage, role: unwrap(await remote.role()), persisted: await isPersisted() };
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
