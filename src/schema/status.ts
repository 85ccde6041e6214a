/**
 * The one status vocabulary of a stored trajectory, whatever its kind:
 * `running` while a recorder is still receiving it (its checkpoints say so),
 * `complete` when it finished, `failed` when it ended in an error, and
 * `incomplete` when its feed stopped before it finished (the recorder's idle
 * timeout or flush). A document that says nothing is `complete`: a file
 * someone saves is a finished run.
 */
import { z } from 'zod';

export const TRAJECTORY_STATUSES = ['running', 'complete', 'failed', 'incomplete'] as const;
export type TrajectoryStatus = (typeof TRAJECTORY_STATUSES)[number];
export const TrajectoryStatusSchema = z.enum(TRAJECTORY_STATUSES);

export function isTrajectoryStatus(value: unknown): value is TrajectoryStatus {
  return typeof value === 'string' && (TRAJECTORY_STATUSES as readonly string[]).includes(value);
}
