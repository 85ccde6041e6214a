/**
 * A test-generation session as the seed's `insertTestGenTrajectory` takes it
 * (camelCase), plus the optional outcome fields a recorder needs to mark a
 * session that failed or never finished.
 *
 * The top level is strict: an unknown key is reported rather than silently
 * dropped, so that what `getTrajectory` returns is exactly what was saved.
 * Tests, reflections and the environment keep any extra fields they carry.
 */
import { z } from 'zod';
import { TrajectoryStatusSchema, type TrajectoryStatus } from './status.js';
import { idProblem } from './json.js';
import { normalizeTimestamp } from './timestamp.js';

export const TestGenTest = z.looseObject({
  id: z.string().optional(),
  category: z.string(),
  input: z.string(),
  expectedOutput: z.string().nullable().optional(),
  reasoning: z.string().optional(),
  confidence: z.number().min(0).max(1).optional(),
});

export const TestGenReflection = z.looseObject({
  category: z.string().nullable().optional(),
  reflectionText: z.string(),
  action: z.string().optional(),
});

export const TestGenEnvironment = z.looseObject({
  platform: z.string().optional(),
  prohibitedTools: z.array(z.string()).optional(),
  languages: z.array(z.string()).optional(),
  fileCount: z.int().min(0).optional(),
  filePreviews: z.unknown().optional(),
});

/** The session id is the stored id (documents.ts `testgenRecord`). */
const SessionId = z.string().superRefine((id, ctx) => {
  const problem = idProblem(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const Timestamp = z.string().refine((s) => normalizeTimestamp(s) !== null, 'must be an ISO 8601 timestamp');

export const TestGenDataSchema = z.strictObject({
  sessionId: SessionId,
  taskId: z.string().min(1),
  taskDescription: z.string(),
  totalTests: z.int().min(0),
  totalRounds: z.int().min(0),
  categoryRounds: z.record(z.string(), z.int().min(0)),
  comprehensivenessScore: z.number().min(1).max(10).nullable(),
  totalTokensUsed: z.int().min(0),
  durationMs: z.number().min(0),
  tests: z.array(TestGenTest),
  reflections: z.array(TestGenReflection),
  environment: TestGenEnvironment.optional(),
  uncertainties: z.array(z.string()),
  modelName: z.string().optional(),
  /** `complete` when absent; `running` for a recorder's checkpoint (see schema/status.ts). */
  status: TrajectoryStatusSchema.optional(),
  /** Why a failed session failed. */
  error: z.string().optional(),
  startedAt: Timestamp.optional(),
  completedAt: Timestamp.optional(),
});

export type TestGenData = z.infer<typeof TestGenDataSchema>;
export type TestGenTest = z.infer<typeof TestGenTest>;
export type TestGenReflection = z.infer<typeof TestGenReflection>;
/** The status vocabulary every trajectory shares. */
export type TestGenStatus = TrajectoryStatus;
