/**
 * The public, asynchronous API of design.md: what a HUD codes against, the same in a browser (worker on
 * OPFS) and in Node (in-process, in memory). Its methods come from the method table (./methods.ts).
 */
import type { DatabaseInfo, MethodArgs, MethodResult, StoreMethod } from './methods.js';
import type { SyncOptions } from '../schema/sync.js';
import type { ChangeListener } from './results.js';
import type { SyncReport } from './sync.js';

export type StorageKind = 'opfs' | 'memory';

/**
 * This tab's part in sharing one database: `leader` holds it (its worker has
 * the OPFS files open), `follower` reaches it through the leader, and
 * `standalone` has a database of its own (Node, or memory).
 */
export type StoreRole = 'leader' | 'follower' | 'standalone';

/** Where a store's database is and how this tab reaches it: what `info()` adds to the database's own info. */
export interface StorePlacement {
  /** Where the data really lives: `memory` means it is gone when the page or process ends. */
  storage: StorageKind;
  /** Whether the browser promised not to evict the origin's storage. */
  persisted: boolean;
  role: StoreRole;
}

export interface StoreInfo extends DatabaseInfo, StorePlacement {}

export interface OpenOptions {
  /** Database name; default `trajectories`. */
  name?: string;
  /** Default: `opfs` in a browser, `memory` in Node. */
  storage?: StorageKind;
  /**
   * Bytes of a SQLite file to start from (checked like importSnapshot's `replace`). In a browser
   * the store then runs in memory, unless `storage: 'opfs'` says to replace the origin's database.
   */
  snapshot?: Uint8Array;
}

/** Every table method but `info`, asynchronous. */
type AsyncMethods = {
  [M in Exclude<StoreMethod, 'info'>]: (...args: MethodArgs<M>) => Promise<MethodResult<M>>;
};

export interface TrajectoryStore extends AsyncMethods {
  info(): Promise<StoreInfo>;
  /**
   * Pushes every trajectory saved or changed since the last push to a team server (README, "Sync with a team
   * server"); progress and failures also reach `subscribe` as `sync` changes.
   */
  sync(options: SyncOptions): Promise<SyncReport>;
  /** Told of every committed change; returns the function that stops it. */
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}
