/** openTrajectoryStore's options as a browser takes them: checked before a worker is started. */
import { z } from 'zod';
import { DatabaseNameSchema, DEFAULT_DATABASE_NAME } from '../worker/names.js';

export const BrowserOpenOptionsSchema = z.strictObject({
  name: DatabaseNameSchema.default(DEFAULT_DATABASE_NAME),
  storage: z.enum(['opfs', 'memory']).optional(),
  snapshot: z.instanceof(Uint8Array).optional(),
});
