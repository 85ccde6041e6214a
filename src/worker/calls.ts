/**
 * The store's methods as data: what a page asks its worker, and what a
 * follower's worker forwards to the leader's. One type drives both hops, so
 * a call is typed from the page to the StoreCore that runs it.
 *
 * Functions cannot cross a worker boundary, so an `onProgress` listener is
 * taken out of the options and travels beside the call.
 */
import type { StorageKind, TrajectoryStore } from '../client/types.js';
import { selectsEverything, type ProgressListener } from '../schema/query.js';
import type { DatabaseInfo } from '../store/store.js';
import type { OpenedDatabase } from './databases.js';

export const CALL_METHODS = [
  'info',
  'insertTrajectory',
  'insertTestGenTrajectory',
  'insertMany',
  'getTrajectory',
  'listTrajectories',
  'searchTrajectories',
  'getStats',
  'deleteTrajectory',
  'exportTrajectories',
  'exportSnapshot',
  'importSnapshot',
] as const;

export type CallMethod = (typeof CALL_METHODS)[number];

/** What the database holder knows of it; each tab adds its own role, the page adds `persisted`. */
export interface HolderInfo extends DatabaseInfo {
  storage: StorageKind;
}

type WithoutProgress<T> = T extends { onProgress?: unknown } ? Omit<T, 'onProgress'> : T;
type WireArgs<P extends readonly unknown[]> = { [K in keyof P]: WithoutProgress<P[K]> };
type StoreMethod = Exclude<CallMethod, 'info'>;

export type CallArgs<M extends CallMethod> = M extends StoreMethod ? WireArgs<Parameters<TrajectoryStore[M]>> : [];
export type CallResult<M extends CallMethod> = M extends StoreMethod
  ? Awaited<ReturnType<TrajectoryStore[M]>>
  : HolderInfo;

export type StoreCall = { [M in CallMethod]: { method: M; args: CallArgs<M> } }[CallMethod];

/** Runs a call on the database this worker holds. Synchronous: nothing else runs on it meanwhile. */
export function runCall(database: OpenedDatabase, call: StoreCall, onProgress?: ProgressListener): unknown {
  const { core } = database;
  const progress = onProgress ? { onProgress } : {};
  switch (call.method) {
    case 'info':
      return { ...core.info(), storage: database.storage } satisfies HolderInfo;
    case 'insertTrajectory':
      return core.insertTrajectory(...call.args);
    case 'insertTestGenTrajectory':
      return core.insertTestGenTrajectory(...call.args);
    case 'insertMany':
      return core.insertMany(call.args[0], { ...call.args[1], ...progress });
    case 'getTrajectory':
      return core.getTrajectory(...call.args);
    case 'listTrajectories':
      return core.listTrajectories(...call.args);
    case 'searchTrajectories':
      return core.searchTrajectories(...call.args);
    case 'getStats':
      return core.getStats(...call.args);
    case 'deleteTrajectory':
      return core.deleteTrajectory(...call.args);
    case 'exportTrajectories':
      return core.exportTrajectories(...call.args);
    case 'exportSnapshot': {
      const [selection = {}] = call.args;
      // A selection is copied row by row by the core; the whole database is its file, read at once.
      if (!selectsEverything(selection)) return core.exportSnapshot({ ...selection, ...progress });
      const bytes = database.snapshot();
      onProgress?.({ done: bytes.length, total: bytes.length });
      return bytes;
    }
    case 'importSnapshot':
      return core.importSnapshot(call.args[0], { ...call.args[1], ...progress });
  }
}

/**
 * Whether a call may run again after its first attempt may already have
 * committed: when the tab holding the database closed while it ran, or
 * SQLite said busy part-way through a multi-batch write.
 *
 * The rule: a call is repeated only if running it twice leaves the database
 * exactly as running it once does. Reads repeat freely. Saves key on the
 * document's id and replace, so they repeat; so do deletes, imports (replace
 * swaps in the same rows; merge adds or replaces by id) and insertMany with
 * `replace` or `skip`. What a repeated write *returns* describes the repeat:
 * insertMany may count as `replaced` or `skipped` what the first attempt
 * inserted, and deleteTrajectory may answer false for a row the first attempt
 * deleted. `insertMany` with `keep-both` is the exception: a repeat would store
 * a second copy of every item the first attempt saved, so it is never repeated.
 * It goes to the next leader only when the lock manager shows that it never
 * began to run (a claim lock: see follower.ts); otherwise it fails with code
 * `interrupted`, for the caller to check what was saved.
 */
export function isRepeatSafe(call: StoreCall): boolean {
  if (call.method === 'insertMany') return call.args[1]?.onConflict !== 'keep-both';
  return true;
}
