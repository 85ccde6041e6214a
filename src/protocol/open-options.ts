/**
 * openTrajectoryStore's options, checked alike in Node and in a browser (there in the page, before a worker
 * is started): a misspelt or unknown option is an error, not an option silently ignored.
 */
import { z } from 'zod';

export const DEFAULT_DATABASE_NAME = 'trajectories';

/** Safe in an OPFS directory name, a file name, a lock name and a channel name. */
export const DatabaseNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit',
  );

export const OpenOptionsSchema = z.strictObject({
  name: DatabaseNameSchema.default(DEFAULT_DATABASE_NAME),
  storage: z.enum(['opfs', 'memory']).optional(),
  snapshot: z.instanceof(Uint8Array).optional(),
});
