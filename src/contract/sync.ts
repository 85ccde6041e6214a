/** What store.sync() and its parts answer (README, Sync with a team server). */
import type { Issue } from '../errors.js';
import type { Snippet, TrajectorySummary } from './results.js';

/** What the team server did with one pushed line (src/server/ingest.ts). */
export type TeamOutcome = 'inserted' | 'replaced' | 'unchanged' | 'stale' | 'conflict' | 'rejected';

/** The next trajectories to push to one target, as the lines of a team batch. */
export interface SyncBatch {
  /** JSONL lines, `{"id", "createdAt", "updatedAt", "trajectory" | "testgen"}`, in change order. */
  lines: string[];
  /** The stored id of each line. */
  ids: string[];
  /** Trajectories deleted (deleteTrajectory) since they may have been pushed, in change order among the lines. */
  deletions: Array<{ id: string; deletedAt: string }>;
  /** The change number of the last line or deletion: the watermark once the server has committed them. */
  through: number;
  /** Trajectories changed or deleted after `through`, still to send. */
  remaining: number;
}

/** What the team server did with one deletion (POST /v1/deletions): newer wins, as for saves. */
export type TeamDeletionOutcome = 'deleted' | 'absent' | 'stale';

/** One team server as this store knows it. */
export interface SyncTargetStatus {
  server: string;
  member: string;
  /** Every change up to this one is on the server. */
  pushedThrough: number;
  /** Trajectories saved or changed since, not yet pushed. */
  pending: number;
  /** When a batch was last committed there. */
  pushedAt: string | null;
  /** How the last attempt failed; null once one succeeded. */
  lastError: { code: string; message: string; at: string } | null;
}

/** What one sync() did. */
export interface SyncReport {
  server: string;
  member: string;
  /** Batches the server committed. */
  batches: number;
  /** Lines the server committed, each counted under its outcome. */
  counts: Record<TeamOutcome, number>;
  /**
   * Deletions the server committed: `deleted`, `absent` (it held no such trajectory of this member: never pushed, or
   * deleted already), `stale` (it holds a version saved after the deletion, which it keeps).
   */
  deletions: Record<TeamDeletionOutcome, number>;
  /**
   * Lines the server committed without taking them: `stale` (it holds a newer version), `conflict`, `rejected`;
   * `deletion: true` for a deletion it did not apply (`stale`).
   */
  notTaken: Array<{ id: string; outcome: 'stale' | 'conflict' | 'rejected'; issues?: Issue[]; deletion?: true }>;
}

/** A trajectory on a team server: a summary as the local store has it, and whose it is. */
export interface TeamSummary extends TrajectorySummary {
  member: string;
}

/** A search hit on a team server; `rank` only with `orderBy=rank` (newest first otherwise). */
export interface TeamHit extends TeamSummary {
  snippet: Snippet;
  rank: number | null;
}

/** One trajectory read from a team server: the document exactly as its member pushed it. */
export interface TeamTrajectory {
  summary: TeamSummary;
  trajectory: unknown;
  /** testgen rows only: the data as given. */
  testgen?: Record<string, unknown>;
}
