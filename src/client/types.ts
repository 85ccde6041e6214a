/**
 * The public, asynchronous API of design.md: what a HUD codes against, the
 * same in a browser (worker on OPFS) and in Node (in-process, in memory).
 */
import type { AtifTrajectory } from '../schema/atif.js';
import type {
  ExportOptions,
  ImportOptions,
  InsertManyOptions,
  SnapshotOptions,
  TrajectoryFilter,
  TrajectoryQuery,
} from '../schema/query.js';
import type { TestGenData } from '../schema/testgen.js';
import type { Page } from '../store/list.js';
import type { StoredTrajectory } from '../store/read.js';
import type { TrajectorySummary } from '../store/rows.js';
import type { SearchHit } from '../store/search.js';
import type { TrajectoryStats } from '../store/stats.js';
import type { ChangeListener, DatabaseInfo, InsertManyResult, SavedId } from '../store/store.js';

export type StorageKind = 'opfs' | 'memory';

/**
 * This tab's part in sharing one database: `leader` holds it (its worker has
 * the OPFS files open), `follower` reaches it through the leader, and
 * `standalone` has a database of its own (Node, or memory).
 */
export type StoreRole = 'leader' | 'follower' | 'standalone';

export interface StoreInfo extends DatabaseInfo {
  /** Where the data really lives: `memory` means it is gone when the page or process ends. */
  storage: StorageKind;
  /** Whether the browser promised not to evict the origin's storage. */
  persisted: boolean;
  role: StoreRole;
}

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

export interface TrajectoryStore {
  info(): Promise<StoreInfo>;
  insertTrajectory(atif: AtifTrajectory): Promise<SavedId>;
  insertTestGenTrajectory(data: TestGenData): Promise<SavedId>;
  insertMany(
    items: ReadonlyArray<AtifTrajectory | { testgen: TestGenData }>,
    options?: InsertManyOptions,
  ): Promise<InsertManyResult>;
  getTrajectory(id: string): Promise<StoredTrajectory | null>;
  listTrajectories(query?: TrajectoryQuery): Promise<Page<TrajectorySummary>>;
  searchTrajectories(text: string, query?: TrajectoryQuery): Promise<Page<SearchHit>>;
  getStats(query?: TrajectoryFilter): Promise<TrajectoryStats>;
  deleteTrajectory(id: string): Promise<boolean>;
  exportTrajectories(options: ExportOptions): Promise<string>;
  /** The whole database as a SQLite file; with filters or `text`, a file of just that selection. */
  exportSnapshot(options?: SnapshotOptions): Promise<Uint8Array>;
  importSnapshot(bytes: Uint8Array, options: ImportOptions): Promise<{ trajectories: number }>;
  /** Told of every committed change; returns the function that stops it. */
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}
