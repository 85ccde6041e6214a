/**
 * Hostile content: markup and script in every field a trajectory or a HUD
 * message can carry, for the test that proves the app renders all of it as text.
 */
import type { AtifTrajectory, HudMessage, TestGenData } from '../../src/public-types.js';

export const IMG = '<img src=x onerror=window.__pwned=1>';
export const SCRIPT = '<script>window.__pwned=1</script>';
/** Both, plus attempts to break out of an attribute. */
export const PAYLOAD = `${IMG} ${SCRIPT} "><img src=x onerror=window.__pwned=1> ' onfocus='window.__pwned=1' x="`;

export function hostileAtif(sessionId: string): AtifTrajectory {
  const P = PAYLOAD;
  return {
    schema_version: 'ATIF-v1.6',
    session_id: sessionId,
    agent: { name: P, version: P, model_name: P },
    notes: P,
    extra: { status: P, parent_session_id: P, subagents: [{ session_id: P }] },
    steps: [
      { step_id: 1, source: 'user', message: P },
      {
        step_id: 2,
        source: 'agent',
        model_name: P,
        message: [
          { type: 'text', text: P },
          { type: 'image', source: { media_type: P, path: `x" onerror="window.__pwned=1` } },
        ],
        reasoning_content: P,
        reasoning_effort: P,
        tool_calls: [{ tool_call_id: P, function_name: P, arguments: { [P]: P } }],
        observation: { results: [{ source_call_id: P, content: P, subagent_trajectory_ref: [{ session_id: P }] }] },
        metrics: { prompt_tokens: 10, completion_tokens: 5, cost_usd: 0.001 },
        extra: { status: P, error: P },
      },
      {
        step_id: 3,
        source: 'agent',
        message: { html: P, [P]: [P] },
        observation: { results: [{ content: [{ type: 'text', text: P }] }] },
      },
    ],
  };
}

export function hostileTestGen(sessionId: string): TestGenData {
  const P = PAYLOAD;
  return {
    sessionId,
    taskId: P,
    taskDescription: P,
    totalTests: 1,
    totalRounds: 2,
    categoryRounds: { [P]: 2 },
    comprehensivenessScore: 5,
    totalTokensUsed: 100,
    durationMs: 1000,
    tests: [{ id: P, category: P, input: P, expectedOutput: P, reasoning: P, confidence: 0.5 }],
    reflections: [{ category: P, reflectionText: P, action: P }],
    environment: { platform: P, languages: [P], prohibitedTools: [P], fileCount: 1, filePreviews: { [P]: P } },
    uncertainties: [P],
    modelName: P,
    status: 'failed',
    error: P,
  };
}

/** A HUD feed's messages with the payload in every field: a testgen session that fails, and an agent run. */
export function hostileFeed(testgenId: string, runId: string): HudMessage[] {
  const P = PAYLOAD;
  return [
    {
      type: 'testgen_start',
      sessionId: testgenId,
      taskId: P,
      taskDescription: P,
      environment: { platform: P, languages: [P], prohibitedTools: [P], fileCount: 0 },
    },
    { type: 'testgen_progress', sessionId: testgenId, phase: P, currentCategory: P, roundNumber: 1, status: P },
    {
      type: 'testgen_test',
      sessionId: testgenId,
      test: { id: P, category: P, input: P, expectedOutput: P, reasoning: P, confidence: 0.9 },
    },
    { type: 'testgen_reflection', sessionId: testgenId, category: P, reflectionText: P, action: P },
    { type: 'testgen_error', sessionId: testgenId, error: P },
    { type: 'atif_trajectory_start', sessionId: runId, agentName: P, agentType: P, parentSessionId: P },
    { type: 'atif_step', runId: P, sessionId: runId, step: { step_id: 1, source: 'user', message: P } },
    {
      type: 'atif_step',
      runId: P,
      sessionId: runId,
      step: {
        step_id: 2,
        source: 'agent',
        model_name: P,
        message: P,
        reasoning_content: P,
        tool_calls: [{ tool_call_id: 'c1', function_name: P, arguments: { command: P } }],
        observation: { results: [{ source_call_id: 'c1', content: P }] },
      },
    },
    { type: 'atif_trajectory_complete', sessionId: runId, totalSteps: 2, totalCostUsd: 0.01, trajectoryPath: P },
  ];
}
