/**
 * What store.sync() and its parts take (src/client/sync.ts pushes; the store core keeps the watermark).
 * Strict, like every other input: a misspelt option is an error.
 */
import { z } from 'zod';

/** The team server's limit of lines in one batch (TRAJECTORY_TEAM_MAX_BATCH_ITEMS' default). */
export const MAX_SYNC_BATCH_ITEMS = 1000;
export const DEFAULT_SYNC_BATCH_ITEMS = 200;
/** A quarter of the server's default 16 MiB, so that a batch is well under any sane limit; 413 halves it. */
export const DEFAULT_SYNC_BATCH_BYTES = 4 * 1024 * 1024;

/** One team server and the member whose token pushes there: one watermark each. */
export const SyncTargetSchema = z.strictObject({
  server: z.string().min(1),
  member: z.string().min(1),
});

export const SyncBatchOptionsSchema = z.strictObject({
  limit: z.number().int().min(1).max(MAX_SYNC_BATCH_ITEMS).optional(),
  maxBytes: z.number().int().min(1).optional(),
});

const SyncErrorSchema = z.strictObject({ code: z.string(), message: z.string() });

/** What a push did so far; the store records the durable part (watermark, last error) and tells subscribers. */
export const SyncProgressSchema = z.strictObject({
  /** `pushing` (a batch was committed), `retrying` (a failure that may pass), `done`, `failed`. */
  state: z.enum(['pushing', 'retrying', 'done', 'failed']),
  /** Every change up to this one is on the server now (a batch's `through`). */
  through: z.number().int().min(0).optional(),
  /** Lines the server committed in this sync() so far. */
  pushed: z.number().int().min(0),
  /** Trajectories changed since `through` (still to send). */
  pending: z.number().int().min(0),
  error: SyncErrorSchema.optional(),
});

export const SyncOptionsSchema = z.strictObject({
  /** The team server, e.g. `http://127.0.0.1:7979` (http or https). */
  url: z.string(),
  /** A member's token (`tst_...`), sent as `Authorization: Bearer`; never stored or logged by the store. */
  token: z.string().min(1),
  /** Trajectories per batch (default 200, at most 1000). */
  batchSize: z.number().int().min(1).max(MAX_SYNC_BATCH_ITEMS).optional(),
  /** Bytes of JSONL per batch (default 4 MiB; one larger trajectory goes alone). */
  maxBatchBytes: z.number().int().min(1).optional(),
  /**
   * How long to keep trying while the server cannot be reached or answers 5xx or 429 (default 60 s, with
   * backoff, honouring Retry-After); then sync() fails with `unreachable`, and the next one resumes.
   */
  retryWithinMs: z.number().min(0).optional(),
});

export type SyncTarget = z.infer<typeof SyncTargetSchema>;
export type SyncBatchOptions = z.infer<typeof SyncBatchOptionsSchema>;
export type SyncProgress = z.infer<typeof SyncProgressSchema>;
export type SyncOptions = z.infer<typeof SyncOptionsSchema>;
