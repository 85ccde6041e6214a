/**
 * The store's methods, listed once. This table drives everything that passes a call along:
 *
 * - the store core implements every method, synchronously (`StoreCore implements StoreMethods`);
 * - the public, asynchronous `TrajectoryStore` is derived from it (./store.ts);
 * - the Node store (client/node.ts) and the browser store (client/browser.ts) are built by walking it;
 * - the worker dispatches a call as `core[method](...args)` (worker/dispatch.ts);
 * - it says which calls are safe to repeat after a failover, and which take an `onProgress` listener
 *   (functions cannot cross a worker boundary, so the listener travels beside the call).
 *
 * To add a store method: write it in StoreCore (src/store/store.ts), and add ONE line here with its
 * signature as the core has it (synchronous, the public types). Give `progress` if an options argument
 * carries `onProgress`, and `repeatSafe` if running it twice could leave the database other than
 * running it once does. Nothing else needs to change: both stores, the worker and the tab-to-tab
 * forwarding pick it up. (Document it in README.md's API table.)
 */
import type { AtifTrajectory } from '../schema/atif.js';
import type {
  ExportOptions,
  ImportInput,
  ImportOptions,
  ImportTrajectoriesOptions,
  InsertManyOptions,
  InsertOptions,
  SnapshotOptions,
  TrajectoryFilter,
  TrajectoryQuery,
} from '../schema/query.js';
import type { CompareBatchesOptions } from '../schema/compare.js';
import type { SyncBatchOptions, SyncProgress, SyncTarget } from '../schema/sync.js';
import type { TestGenData } from '../schema/testgen.js';
import type { SyncBatch, SyncTargetStatus } from './sync.js';
import type { BatchComparison, TrajectoryComparison } from './compare.js';
import type {
  ImportResult,
  InsertManyResult,
  Page,
  SaveResult,
  SearchHit,
  StoredTrajectory,
  TrajectoryStats,
  TrajectorySummary,
} from './results.js';

/** An ATIF document as a producer wrote it: typed where it follows the spec, anything else is kept too. */
export type AtifDocument = AtifTrajectory | Record<string, unknown>;

/** What the database itself says of itself; each store adds where it lives and this tab's part (StoreInfo). */
export interface DatabaseInfo {
  sqliteVersion: string;
  schemaVersion: string;
  /** The database's size: every page, in use or free. */
  sizeBytes: number;
  /** Of `sizeBytes`, the pages deleted trajectories left free: saves reuse them before the file grows. */
  freeBytes: number;
  trajectoryCount: number;
}

// biome-ignore lint/suspicious/noExplicitAny: the widest function type, for `extends` checks only
type AnyFunction = (...args: any[]) => unknown;

/** How one method travels; `Signature` is the core's (synchronous) signature, kept as a type only. */
interface MethodSpec<Signature extends AnyFunction> {
  /** The position of the options argument whose `onProgress` travels beside the call. */
  readonly progress?: number;
  /**
   * Whether the call may run again after its first attempt may already have committed (the tab holding the
   * database went during it, or SQLite said busy part-way through). Absent: always. See isRepeatSafe.
   */
  readonly repeatSafe?: (args: Parameters<Signature>) => boolean;
  /** Never set: carries the signature's type. */
  readonly signature?: Signature;
}

function method<Signature extends AnyFunction>(spec: Omit<MethodSpec<Signature>, 'signature'> = {}) {
  return spec as MethodSpec<Signature>;
}

/** Every store method, one line each (see the top of this file). */
export const STORE_METHODS = {
  info: method<() => DatabaseInfo>(),
  insertTrajectory: method<(atif: AtifDocument, options?: InsertOptions) => SaveResult>(),
  insertTestGenTrajectory: method<(data: TestGenData) => SaveResult>(),
  insertMany: method<
    (items: ReadonlyArray<AtifDocument | { testgen: TestGenData }>, options?: InsertManyOptions) => InsertManyResult
  >({
    progress: 1,
    // keep-both stores a repeat's items a second time, under fresh ids (the identity rule finds them unchanged).
    repeatSafe: ([, options]) => options?.onConflict !== 'keep-both',
  }),
  getTrajectory: method<(id: string) => StoredTrajectory | null>(),
  listTrajectories: method<(query?: TrajectoryQuery) => Page<TrajectorySummary>>(),
  searchTrajectories: method<(text: string, query?: TrajectoryQuery) => Page<SearchHit>>(),
  getStats: method<(query?: TrajectoryFilter) => TrajectoryStats>(),
  compareTrajectories: method<(idA: string, idB: string) => TrajectoryComparison>(),
  compareBatches:
    method<(queryA: TrajectoryFilter, queryB: TrajectoryFilter, options?: CompareBatchesOptions) => BatchComparison>(),
  deleteTrajectory: method<(id: string) => boolean>(),
  exportTrajectories: method<(options: ExportOptions) => string>(),
  /** The whole database as a SQLite file; with filters or `text`, a file of just that selection. */
  exportSnapshot: method<(options?: SnapshotOptions) => Uint8Array>({ progress: 0 }),
  importSnapshot: method<(bytes: Uint8Array, options: ImportOptions) => { trajectories: number }>({ progress: 1 }),
  importTrajectories: method<(input: ImportInput, options?: ImportTrajectoriesOptions) => ImportResult>({
    progress: 1,
    repeatSafe: ([, options]) => options?.onConflict !== 'keep-both',
  }),
  syncBatch: method<(target: SyncTarget, options?: SyncBatchOptions) => SyncBatch>(),
  recordSync: method<(target: SyncTarget, progress: SyncProgress) => void>(),
  syncStatus: method<() => SyncTargetStatus[]>(),
};

export type StoreMethod = keyof typeof STORE_METHODS;

export const STORE_METHOD_NAMES = Object.keys(STORE_METHODS) as [StoreMethod, ...StoreMethod[]];

type SignatureOf<M extends StoreMethod> = NonNullable<(typeof STORE_METHODS)[M]['signature']>;

/** The store core's side of the contract: every method of the table, synchronous. */
export type StoreMethods = { [M in StoreMethod]: SignatureOf<M> };

export type MethodArgs<M extends StoreMethod> = Parameters<SignatureOf<M>>;
export type MethodResult<M extends StoreMethod> = ReturnType<SignatureOf<M>>;

/**
 * Whether a call may run again after its first attempt may already have committed: when the tab holding the
 * database closed while it ran, or SQLite said busy part-way through a multi-batch write.
 *
 * The rule: a call is repeated only if running it twice leaves the database exactly as running it once does.
 * Reads repeat freely. Saves key on the document's id and replace, so they repeat; so do deletes, imports
 * (replace swaps in the same rows; merge adds or replaces by id) and insertMany with `replace` or `skip`. What
 * a repeated write *returns* describes the repeat: insertMany may count as `replaced` or `skipped` what the
 * first attempt inserted, and deleteTrajectory may answer false for a row the first attempt deleted.
 * `insertMany` with `keep-both` is the exception: a repeat would store a second copy of every item the first
 * attempt saved, so it is never repeated. It goes to the next leader only when the lock manager shows that it
 * never began to run (a claim lock: see worker/follower.ts); otherwise it fails with code `interrupted`, for
 * the caller to check what was saved.
 */
export function isRepeatSafe(method: StoreMethod, args: readonly unknown[]): boolean {
  const repeatSafe = STORE_METHODS[method].repeatSafe as ((args: readonly unknown[]) => boolean) | undefined;
  return repeatSafe?.(args) ?? true;
}

/** Runs `method` on `target` (a store core, or anything with its methods). */
export function invokeMethod<M extends StoreMethod>(
  target: StoreMethods,
  method: M,
  args: readonly unknown[],
): MethodResult<M> {
  return (target[method] as (...args: unknown[]) => MethodResult<M>).apply(target, [...args]);
}
