/**
 * What a page's worker offers the page over Comlink (worker/api.ts implements it). Every method answers
 * with an Outcome (value or serialized TrajectoryStoreError), so that the page rebuilds a real
 * TrajectoryStoreError with its code and issues.
 */
import type { StorageKind, StoreRole } from '../contract/store.js';
import type { StoreChange } from '../contract/results.js';
import type { ProgressListener } from '../schema/query.js';
import type { StoreCall } from './calls.js';
import type { Outcome } from './outcome.js';

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
  /**
   * A shared database: the BroadcastChannel on which the tab holding it answers this page's calls directly
   * (protocol/forwarded-reply.ts), when the page listens there and gives each call an id.
   */
  pageInbox?: string;
}

/** A call's answer from the worker: its outcome, or word that the outcome went to the page's inbox. */
export type CallAnswer = Outcome<unknown> | { repliedToPage: true };

export interface StoreWorkerApi {
  open(options: WorkerOpenOptions, onChange: (change: StoreChange) => void): Promise<Outcome<OpenedStore>>;
  /** `pageCallId`: the page listens on its `pageInbox`, where a call forwarded to another tab is answered under this id. */
  call(call: StoreCall, onProgress?: ProgressListener, pageCallId?: string): Promise<CallAnswer>;
  /** This tab's part now: a follower becomes the leader when the leader's tab goes. */
  role(): Promise<Outcome<StoreRole>>;
  close(): Promise<void>;
}
