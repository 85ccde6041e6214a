/** What compareTrajectories and compareBatches take. Strict, like every query. */
import { z } from 'zod';
import { TrajectoryFilterSchema } from './query.js';

/** Summary fields a batch may be paired by; any other key is a path into the document's root `extra`. */
export const PAIR_BY_FIELDS = ['taskId', 'sessionId'] as const;

/** `extra.<key>` or deeper (`extra.task.name`): letters, digits, `_` and `-` in each part. */
export const EXTRA_PATH = /^extra(\.[A-Za-z0-9_-]+)+$/;

export const CompareBatchesOptionsSchema = z.strictObject({
  by: z
    .union([
      z.enum(PAIR_BY_FIELDS),
      z.string().regex(EXTRA_PATH, 'must be taskId, sessionId, or a path into extra such as extra.task_name'),
    ])
    .optional(),
});

/** One side of compareBatches: the filters of a query (no order, page or cursor: every match is compared). */
export const BatchFilterSchema = TrajectoryFilterSchema;

export type PairBy = (typeof PAIR_BY_FIELDS)[number] | `extra.${string}`;
export interface CompareBatchesOptions {
  /** Default `taskId` (testgen sessions). */
  by?: PairBy;
}
