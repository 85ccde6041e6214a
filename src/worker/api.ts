/** The worker's side of StoreWorkerApi (protocol/worker-api.ts): what the page calls over Comlink. */
import * as Comlink from 'comlink';
import type { StoreChange } from '../contract/results.js';
import { TrajectoryStoreError } from '../errors.js';
import { outcomeOf } from '../protocol/outcome.js';
import type { StoreWorkerApi } from '../protocol/worker-api.js';
import type { ProgressListener } from '../schema/query.js';
import { StandaloneBackend, type StoreBackend } from './backend.js';
import { opfsUnavailableReason } from './databases.js';
import { REPLIED_TO_PAGE } from './follower.js';
import { databaseNames } from './names.js';
import { SharedBackend } from './shared-backend.js';

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
        const shared = await SharedBackend.start(databaseNames(options.name), notify);
        backend = shared;
        return { role: shared.role, storage: 'opfs', pageInbox: shared.pageInbox };
      }, 'Opening the store'),

    async call(call, onProgress, pageCallId) {
      const progress = progressBeforeAnswer(onProgress);
      try {
        const outcome = await outcomeOf(() => opened().run(call, progress.listener, pageCallId), call.method);
        await progress.delivered();
        if (outcome.ok && outcome.value === REPLIED_TO_PAGE) return { repliedToPage: true };
        // A snapshot is moved to the page, not copied.
        if (outcome.ok && outcome.value instanceof Uint8Array) return Comlink.transfer(outcome, [outcome.value.buffer]);
        return outcome;
      } finally {
        (onProgress as Partial<Comlink.Remote<ProgressListener>> | undefined)?.[Comlink.releaseProxy]?.();
      }
    },

    role: () => outcomeOf(() => opened().role, 'info'),

    async close() {
      const closing = backend;
      backend = null;
      await closing?.close();
    },
  };
}

/**
 * The page's progress listener, so that every progress report reaches the page before the call's answer: each
 * report is a message on the listener's own port and the answer goes on the worker's, and two ports keep no order
 * between them (an import's last report once arrived after its answer). The answer waits for the reports' replies.
 */
function progressBeforeAnswer(onProgress: ProgressListener | undefined): {
  listener: ProgressListener | undefined;
  delivered: () => Promise<unknown>;
} {
  if (!onProgress) return { listener: undefined, delivered: () => Promise.resolve() };
  const sent: Promise<unknown>[] = [];
  return {
    // A listener that throws on the page has been told all the same (reportProgress ignores its throw too).
    listener: (report) => void sent.push(Promise.resolve(onProgress(report)).catch(() => {})),
    delivered: () => Promise.all(sent),
  };
}
