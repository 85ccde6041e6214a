/**
 * The HUD's WebSocket messages (facts.md section 2) that the recorder
 * understands: test generation (`testgen_*`) and ATIF agent runs (`atif_*`).
 *
 * Every message keeps the fields it does not name (a newer HUD may add some),
 * but a named field of the wrong type makes the whole message malformed.
 * Open vocabularies (phase, status, action, agent type) accept any string:
 * an unfamiliar phase must not cost a session its data.
 */
import { z } from 'zod';
import type { Issue } from '../errors.js';
import { AtifStep } from './atif.js';
import { atifIssues } from './atif-findings.js';
import { TestGenDataSchema, TestGenEnvironment, TestGenReflection, TestGenTest } from './testgen.js';

const SessionId = z.string().min(1);
const Count = z.int().min(0);

// ---- test generation -------------------------------------------------------

export const TestGenStartMessage = z.looseObject({
  type: z.literal('testgen_start'),
  sessionId: SessionId,
  taskId: z.string().min(1),
  taskDescription: z.string(),
  // Optional although the HUD always sends it: the task id alone is enough to record a session.
  environment: TestGenEnvironment.optional(),
});

export const TestGenTestMessage = z.looseObject({
  type: z.literal('testgen_test'),
  sessionId: SessionId,
  test: TestGenTest,
});

export const TestGenProgressMessage = z.looseObject({
  type: z.literal('testgen_progress'),
  sessionId: SessionId,
  phase: z.string(),
  currentCategory: z.string().nullish(),
  roundNumber: Count,
  status: z.string(),
});

export const TestGenReflectionMessage = TestGenReflection.extend({
  type: z.literal('testgen_reflection'),
  sessionId: SessionId,
});

/** The session's final figures: the same fields, with the same rules, as the store's testgen data. */
const completionFields = TestGenDataSchema.pick({
  totalTests: true,
  totalRounds: true,
  categoryRounds: true,
  comprehensivenessScore: true,
  totalTokensUsed: true,
  durationMs: true,
  uncertainties: true,
}).shape;

export const TestGenCompleteMessage = z.looseObject({
  type: z.literal('testgen_complete'),
  sessionId: SessionId,
  ...completionFields,
});

export const TestGenErrorMessage = z.looseObject({
  type: z.literal('testgen_error'),
  sessionId: SessionId,
  error: z.string(),
});

// ---- ATIF agent runs -------------------------------------------------------

export const AtifTrajectoryStartMessage = z.looseObject({
  type: z.literal('atif_trajectory_start'),
  sessionId: SessionId,
  agentName: z.string().min(1),
  agentType: z.string(),
  parentSessionId: SessionId.nullish(),
});

export const AtifStepRecordedMessage = z.looseObject({
  type: z.literal('atif_step_recorded'),
  sessionId: SessionId,
  stepId: z.int().min(1),
  source: AtifStep.shape.source,
  hasToolCalls: z.boolean(),
  hasObservation: z.boolean(),
});

export const AtifStepMessage = z
  .looseObject({
    type: z.literal('atif_step'),
    runId: z.string(),
    sessionId: SessionId,
    step: AtifStep,
  })
  // A step that breaks ATIF's cross-field rules would make every save of its trajectory fail.
  .superRefine((message, ctx) => {
    for (const issue of atifStepIssues(message.step)) {
      ctx.addIssue({
        code: 'custom',
        path: ['step', ...issue.path.split('.').filter(Boolean)],
        message: issue.message,
      });
    }
  });

export const AtifSubagentSpawnedMessage = z.looseObject({
  type: z.literal('atif_subagent_spawned'),
  parentSessionId: SessionId,
  childSessionId: SessionId,
  subtaskId: z.string(),
  agentType: z.string(),
});

export const AtifTrajectoryCompleteMessage = z.looseObject({
  type: z.literal('atif_trajectory_complete'),
  sessionId: SessionId,
  totalSteps: Count,
  totalTokens: z.looseObject({ prompt: Count, completion: Count, cached: Count.nullish() }).nullish(),
  totalCostUsd: z.number().min(0).nullish(),
  trajectoryPath: z.string().nullish(),
});

// ---- all of them -----------------------------------------------------------

export const TestGenMessageSchema = z.discriminatedUnion('type', [
  TestGenStartMessage,
  TestGenTestMessage,
  TestGenProgressMessage,
  TestGenReflectionMessage,
  TestGenCompleteMessage,
  TestGenErrorMessage,
]);

export const AtifMessageSchema = z.discriminatedUnion('type', [
  AtifTrajectoryStartMessage,
  AtifStepRecordedMessage,
  AtifStepMessage,
  AtifSubagentSpawnedMessage,
  AtifTrajectoryCompleteMessage,
]);

export const HudMessageSchema = z.discriminatedUnion('type', [TestGenMessageSchema, AtifMessageSchema]);

export type TestGenStartMessage = z.infer<typeof TestGenStartMessage>;
export type TestGenTestMessage = z.infer<typeof TestGenTestMessage>;
export type TestGenProgressMessage = z.infer<typeof TestGenProgressMessage>;
export type TestGenReflectionMessage = z.infer<typeof TestGenReflectionMessage>;
export type TestGenCompleteMessage = z.infer<typeof TestGenCompleteMessage>;
export type TestGenErrorMessage = z.infer<typeof TestGenErrorMessage>;
export type AtifTrajectoryStartMessage = z.infer<typeof AtifTrajectoryStartMessage>;
export type AtifStepRecordedMessage = z.infer<typeof AtifStepRecordedMessage>;
export type AtifStepMessage = z.infer<typeof AtifStepMessage>;
export type AtifSubagentSpawnedMessage = z.infer<typeof AtifSubagentSpawnedMessage>;
export type AtifTrajectoryCompleteMessage = z.infer<typeof AtifTrajectoryCompleteMessage>;
export type TestGenMessage = z.infer<typeof TestGenMessageSchema>;
export type AtifMessage = z.infer<typeof AtifMessageSchema>;
export type HudMessage = z.infer<typeof HudMessageSchema>;
export type HudMessageType = HudMessage['type'];

export const TESTGEN_MESSAGE_TYPES = [
  'testgen_start',
  'testgen_test',
  'testgen_progress',
  'testgen_reflection',
  'testgen_complete',
  'testgen_error',
] as const satisfies readonly TestGenMessage['type'][];

export const ATIF_MESSAGE_TYPES = [
  'atif_trajectory_start',
  'atif_step_recorded',
  'atif_step',
  'atif_subagent_spawned',
  'atif_trajectory_complete',
] as const satisfies readonly AtifMessage['type'][];

export const HUD_MESSAGE_TYPES: readonly HudMessageType[] = [...TESTGEN_MESSAGE_TYPES, ...ATIF_MESSAGE_TYPES];

const KNOWN_TYPES = new Set<string>(HUD_MESSAGE_TYPES);

export function isHudMessageType(type: string): type is HudMessageType {
  return KNOWN_TYPES.has(type);
}

export function isTestGenMessage(message: HudMessage): message is TestGenMessage {
  return message.type.startsWith('testgen_');
}

/**
 * The ATIF reference rules (atif.ts) that concern a single step: agent-only
 * fields on agent steps only, parseable timestamps, each `source_call_id`
 * naming a tool call of the step. Paths are relative to the step.
 */
export function atifStepIssues(step: unknown): Issue[] {
  if (typeof step !== 'object' || step === null) return [];
  // The step alone, as step 1 of a minimal document, so that the document-level rules have nothing else to report.
  const alone = {
    schema_version: 'ATIF-v1.6',
    session_id: 'step',
    agent: { name: 'step' },
    steps: [{ ...step, step_id: 1 }],
  };
  return atifIssues(alone)
    .filter((issue) => issue.path.startsWith('steps[0]'))
    .map((issue) => ({ path: issue.path.slice('steps[0]'.length).replace(/^\./, ''), message: issue.message }));
}
