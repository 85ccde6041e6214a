/**
 * What the store's methods answer: plain data, the same in a browser (across the worker boundary) and
 * in Node. Part of the contract (see ./methods.ts): the store produces these shapes, every layer above
 * reads them.
 */
import type { Issue } from '../errors.js';
import type { ImportFormat } from '../schema/query.js';
import type { TrajectoryStatus } from '../schema/status.js';
import type { SyncProgress } from '../schema/sync.js';

export type TrajectoryKind = 'atif' | 'testgen';

/** The summary columns of a stored trajectory, computed from its document. */
export interface TrajectoryColumns {
  id: string;
  kind: TrajectoryKind;
  sessionId: string | null;
  schemaVersion: string;
  agentName: string;
  agentVersion: string | null;
  modelName: string | null;
  stepCount: number;
  firstStepAt: string | null;
  lastStepAt: string | null;
  totalCostUsd: number | null;
  totalTokens: number | null;
  /** `running`, `complete`, `failed` or `incomplete` (schema/status.ts), from the document. */
  status: TrajectoryStatus;
  /** Whether the document follows the ATIF spec (it had no warnings when saved); testgen rows always do. */
  conformant: boolean;
}

export interface TrajectorySummary extends TrajectoryColumns {
  createdAt: string;
  updatedAt: string;
  /** testgen rows only */
  taskId?: string;
  totalTests?: number;
  comprehensivenessScore?: number | null;
}

export interface Page<T> {
  items: T[];
  /** Present when more rows follow: pass it as `cursor` with the same query. */
  nextCursor?: string;
}

export interface StoredTrajectory {
  summary: TrajectorySummary;
  /** The ATIF document; for testgen rows the stored snake_case document (the original tool's form). */
  trajectory: unknown;
  /** testgen rows only: the data as it was passed to insertTestGenTrajectory. */
  testgen?: Record<string, unknown>;
}

/** Text around the best match; `highlights` are [start, end) offsets of matched text in it. */
export interface Snippet {
  text: string;
  highlights: Array<[number, number]>;
}

export interface SearchHit extends TrajectorySummary {
  snippet: Snippet;
  /**
   * bm25 score, lower is better, comparable within one search (without the IDF where one term alone can score: a
   * factor the same for every hit); null when the query had no rankable terms.
   */
  rank: number | null;
}

export interface StatsGroup {
  count: number;
  stepCount: number;
  /** Summed over the trajectories whose tokens are known; null when none's are (unknown is not 0). */
  totalTokens: number | null;
  /** Summed over the trajectories whose cost is known; null when none's is. */
  totalCostUsd: number | null;
  /** How many of `count` have known tokens: fewer than `count` means `totalTokens` leaves some out. */
  countWithTokens: number;
  /** How many of `count` have a known cost: fewer than `count` means `totalCostUsd` leaves some out. */
  countWithCost: number;
  /** Over testgen rows with a score; null when there are none. */
  averageScore: number | null;
  minScore: number | null;
  maxScore: number | null;
}

export interface TrajectoryStats {
  totals: StatsGroup;
  byAgent: Array<StatsGroup & { agentName: string }>;
  byModel: Array<StatsGroup & { modelName: string | null }>;
  byDay: Array<StatsGroup & { day: string }>;
  /** The finest grain, for charts of one agent or model over time. */
  byDayAgentModel: Array<StatsGroup & { day: string; agentName: string; modelName: string | null }>;
}

/** What a save did (see README, Identity). */
export type SaveOutcome = 'inserted' | 'replaced' | 'unchanged' | 'renamed';

/** What a save did: where the document is (`id`), how it got there, and what departs from the spec in it. */
export interface SaveResult {
  id: string;
  sessionId: string | null;
  /** `inserted`, `replaced` (it continues the stored one), `unchanged` (identical), `renamed` (kept beside another). */
  outcome: SaveOutcome;
  /** `renamed` only: the id the document asked for, taken by a different trajectory. */
  originalId?: string;
  /** Departures from the spec, each at its path; the document was stored as written all the same. */
  warnings: Issue[];
}

/** @deprecated the old name of SaveResult. */
export type SavedId = SaveResult;

export interface InsertManyResult {
  inserted: number;
  replaced: number;
  unchanged: number;
  skipped: number;
  rejected: Array<{ index: number; issues: Issue[] }>;
  /** Items stored under a fresh id because a different trajectory has their own. */
  renamed: Array<{ index: number; id: string; originalId: string }>;
  /** Items stored with departures from the spec (only those with any). */
  warnings: Array<{ index: number; id: string; warnings: Issue[] }>;
}

/** What importTrajectories did: insertMany's report, each refused or warned item with its line when the input has lines. */
export interface ImportResult extends InsertManyResult {
  /** The format read (detected, or the one asked for). */
  format: ImportFormat;
  /** Trajectories a snapshot (format `sqlite`) held, merged under the identity rule. */
  merged: number;
  rejected: Array<{ index: number; line?: number; issues: Issue[] }>;
  warnings: Array<{ index: number; line?: number; id: string; warnings: Issue[] }>;
  /** About the input rather than one item: a line left out of a streamed trajectory, what an agent log's importer could not map. */
  inputWarnings: Issue[];
}

/** What changed, told to every subscriber after it is committed. */
export type StoreChange =
  | { type: 'saved'; ids: string[] }
  | { type: 'deleted'; ids: string[] }
  | { type: 'imported'; mode: 'replace' | 'merge'; count: number }
  /** A push to a team server went on (store.sync()): what SyncProgress says, for one server and member. */
  | ({ type: 'sync'; server: string; member: string } & SyncProgress);

export type ChangeListener = (change: StoreChange) => void;
