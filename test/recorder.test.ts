/**
 * createHudRecorder against a real in-memory store, fed message sequences
 * directly. (Over a real WebSocket from the demo feed: feed.test.ts.)
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createHudRecorder, openTrajectoryStore, TrajectoryStoreError } from '../src/node.js';
import type { HudRecorderOptions, RecordedSessionView, RecorderErrorContext, TrajectoryStore } from '../src/node.js';
import type { AtifStep, AtifTrajectory } from '../src/schema/atif.js';
import { atifIssues } from '../src/schema/atif-findings.js';
import type { TestGenData } from '../src/schema/testgen.js';
import { atifRun } from './documents.js';

afterEach(() => {
  vi.useRealTimers();
});

// ---- message builders ------------------------------------------------------

const environment = {
  platform: 'linux/amd64',
  prohibitedTools: ['curl', 'wget'],
  languages: ['python3.12'],
  fileCount: 2,
  filePreviews: [{ path: '/app/main.py', preview: 'print("hi")' }],
};

const start = (sessionId: string, taskId = `task-of-${sessionId}`) => ({
  type: 'testgen_start',
  sessionId,
  taskId,
  taskDescription: `Solve ${taskId}.`,
  environment,
});
const testgenTest = (sessionId: string, n: number, category: string) => ({
  type: 'testgen_test',
  sessionId,
  test: {
    id: `${sessionId}-${category}-${n}`,
    category,
    input: `run case ${n}`,
    expectedOutput: n % 3 === 0 ? null : `output ${n}`,
    reasoning: `case ${n} checks ${category}`,
    confidence: (n % 10) / 10,
  },
});
const progress = (sessionId: string, category: string | null, roundNumber: number) => ({
  type: 'testgen_progress',
  sessionId,
  phase: category ? 'category_generation' : 'global_refinement',
  currentCategory: category,
  roundNumber,
  status: `round ${roundNumber}`,
});
const reflection = (sessionId: string, category: string, text: string) => ({
  type: 'testgen_reflection',
  sessionId,
  category,
  reflectionText: text,
  action: 'refining',
});
const complete = (sessionId: string, totalTests: number, score: number | null = 8) => ({
  type: 'testgen_complete',
  sessionId,
  totalTests,
  totalRounds: 3,
  categoryRounds: { existence: 1, correctness: 2 },
  comprehensivenessScore: score,
  totalTokensUsed: 12_345,
  durationMs: 45_000,
  uncertainties: [`is ${sessionId} ambiguous?`, 'what about empty input?'],
});

const atifStart = (sessionId: string, extra: Record<string, unknown> = {}) => ({
  type: 'atif_trajectory_start',
  sessionId,
  agentName: 'mechacoder',
  agentType: 'claude-code',
  ...extra,
});
const atifStep = (sessionId: string, step: AtifStep) => ({ type: 'atif_step', runId: 'run-1', sessionId, step });

function agentStep(stepId: number, callId: string): AtifStep {
  return {
    step_id: stepId,
    timestamp: `2025-12-08T16:00:${String(stepId).padStart(2, '0')}Z`,
    source: 'agent',
    model_name: 'claude-sonnet-4-5',
    message: `step ${stepId}`,
    reasoning_content: 'look first',
    tool_calls: [{ tool_call_id: callId, function_name: 'bash', arguments: { command: 'ls -la /app' } }],
    observation: { results: [{ source_call_id: callId, content: 'total 0' }] },
    metrics: { prompt_tokens: 1000 * stepId, completion_tokens: 100, cached_tokens: 500, cost_usd: 0.01 },
  };
}

// ---- helpers ---------------------------------------------------------------

async function setup(options: HudRecorderOptions = {}) {
  const store = await openTrajectoryStore();
  const errors: Array<{ error: unknown; context: RecorderErrorContext }> = [];
  const updates: RecordedSessionView[] = [];
  const recorder = createHudRecorder(store, {
    onError: (error, context) => errors.push({ error, context }),
    onSessionUpdate: (view) => updates.push(view),
    ...options,
  });
  return { store, recorder, errors, updates };
}

async function storedTestGen(store: TrajectoryStore, id: string) {
  const stored = await store.getTrajectory(id);
  expect(stored, `stored ${id}`).not.toBeNull();
  return stored!.testgen as Record<string, unknown> & { tests: unknown[]; reflections: unknown[] };
}

async function storedAtif(store: TrajectoryStore, id: string) {
  const stored = await store.getTrajectory(id);
  expect(stored, `stored ${id}`).not.toBeNull();
  return stored!.trajectory as AtifTrajectory;
}

/** Lets pending promise callbacks (the store's async saves) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---- test generation -------------------------------------------------------

describe('testgen sessions', () => {
  test('interleaved sessions are all saved, each with every test, reflection, environment and uncertainty', async () => {
    const { store, recorder, errors } = await setup();
    const a = 'session-a';
    const b = 'session-b';
    const frames = [
      start(a),
      start(b),
      progress(a, 'existence', 1),
      testgenTest(a, 1, 'existence'),
      progress(b, 'correctness', 1),
      testgenTest(b, 1, 'correctness'),
      testgenTest(a, 2, 'existence'),
      reflection(b, 'correctness', 'b needs edge cases'),
      testgenTest(b, 2, 'boundary'),
      reflection(a, 'existence', 'a covers presence'),
      progress(a, 'correctness', 2),
      testgenTest(a, 3, 'correctness'),
      complete(b, 2, 6.5),
      testgenTest(a, 4, 'integration'),
      complete(a, 4),
    ];
    // Half as objects, half as the JSON text a socket delivers.
    for (const [i, frame] of frames.entries())
      expect(recorder.handle(i % 2 ? JSON.stringify(frame) : frame)).toBe('handled');
    await recorder.flush();

    for (const id of [a, b]) {
      const sent = frames.filter((f) => f.sessionId === id);
      const data = await storedTestGen(store, id);
      const completeMessage = sent.find((f) => f.type === 'testgen_complete') as ReturnType<typeof complete>;
      expect(data).toMatchObject({
        sessionId: id,
        taskId: `task-of-${id}`,
        taskDescription: `Solve task-of-${id}.`,
        status: 'complete',
        environment,
        totalTests: completeMessage.totalTests,
        totalRounds: completeMessage.totalRounds,
        categoryRounds: completeMessage.categoryRounds,
        comprehensivenessScore: completeMessage.comprehensivenessScore,
        totalTokensUsed: completeMessage.totalTokensUsed,
        durationMs: completeMessage.durationMs,
        uncertainties: completeMessage.uncertainties,
      });
      expect(data.tests).toEqual(
        sent.filter((f) => f.type === 'testgen_test').map((f) => (f as ReturnType<typeof testgenTest>).test),
      );
      expect(data.reflections).toEqual(
        sent.filter((f) => f.type === 'testgen_reflection').map(({ type: _t, sessionId: _s, ...r }) => r),
      );
    }
    const all = await store.listTrajectories();
    expect(all.items.map((s) => s.id).sort()).toEqual([a, b]);
    expect(recorder.activeSessions()).toEqual([]);
    expect(recorder.stats()).toMatchObject({
      handled: frames.length,
      ignored: { unknown: 0, malformed: 0 },
      failedSaves: 0,
    });
    expect(errors).toEqual([]);
  });

  test('a session that ends in testgen_error is saved as failed, with its error and its tests so far', async () => {
    const { store, recorder } = await setup();
    recorder.handle(start('s'));
    recorder.handle(testgenTest('s', 1, 'anti_cheat'));
    recorder.handle(testgenTest('s', 2, 'anti_cheat'));
    recorder.handle({ type: 'testgen_error', sessionId: 's', error: 'Model request failed: 529 overloaded' });
    await recorder.flush();
    const data = await storedTestGen(store, 's');
    expect(data).toMatchObject({
      status: 'failed',
      error: 'Model request failed: 529 overloaded',
      taskId: 'task-of-s',
      totalTests: 2,
    });
    expect(data.tests).toHaveLength(2);
    const [summary] = (await store.listTrajectories()).items;
    expect(summary).toMatchObject({ id: 's', status: 'failed' });
  });

  test('a session whose feed stops is saved as incomplete after the idle timeout, and leaves the active set', async () => {
    vi.useFakeTimers();
    const { store, recorder, updates } = await setup({ idleTimeoutMs: 10_000, checkpointIntervalMs: 1_000 });
    recorder.handle(start('quiet'));
    recorder.handle(testgenTest('quiet', 1, 'existence'));
    recorder.handle(testgenTest('quiet', 2, 'boundary'));
    await vi.advanceTimersByTimeAsync(9_000);
    expect(recorder.activeSessions().map((s) => [s.id, s.status])).toEqual([['quiet', 'running']]);

    recorder.handle(testgenTest('quiet', 3, 'boundary')); // a message restarts the idle clock
    await vi.advanceTimersByTimeAsync(9_000);
    expect(recorder.activeSessions()).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1_001);
    await vi.runAllTimersAsync();
    expect(recorder.activeSessions()).toEqual([]);
    const data = await storedTestGen(store, 'quiet');
    expect(data).toMatchObject({
      status: 'incomplete',
      totalTests: 3,
      comprehensivenessScore: null,
      uncertainties: [],
    });
    expect(data.tests).toHaveLength(3);
    expect(data).not.toHaveProperty('completedAt');
    const last = updates[updates.length - 1];
    expect(last).toMatchObject({ id: 'quiet', status: 'incomplete', active: false, testCount: 3 });
    expect(last?.lastSavedAt).not.toBeNull();
  });

  test('a session with nothing in it leaves no row, whether it runs, goes quiet or is flushed', async () => {
    vi.useFakeTimers();
    const { store, recorder, updates } = await setup({ idleTimeoutMs: 5_000, checkpointIntervalMs: 100 });
    recorder.handle(start('empty'));
    recorder.handle(progress('empty', 'correctness', 1));
    recorder.handle(atifStart('empty-run'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await store.listTrajectories()).items).toEqual([]);
    await vi.advanceTimersByTimeAsync(5_000);
    await recorder.flush();
    expect((await store.listTrajectories()).items).toEqual([]);
    expect(updates.at(-1)).toMatchObject({ status: 'incomplete', lastSavedAt: null });
  });

  test('rows a closed tab left running are settled as incomplete once quiet for the idle timeout', async () => {
    const store = await openTrajectoryStore();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 10 * 60_000); // saved ten minutes ago, then the tab went
    await store.insertTestGenTrajectory({
      sessionId: 'left',
      taskId: 'task',
      taskDescription: 'd',
      totalTests: 1,
      totalRounds: 1,
      categoryRounds: { existence: 1 },
      comprehensivenessScore: null,
      totalTokensUsed: 0,
      durationMs: 4_000,
      tests: [{ id: 't1', category: 'existence', input: 'x' }],
      reflections: [],
      uncertainties: [],
      status: 'running',
      startedAt: new Date(Date.now() - 4_000).toISOString(),
    });
    vi.useRealTimers();
    await store.insertTrajectory({ ...atifRun('fresh'), extra: { status: 'running' } });
    const errors: unknown[] = [];
    createHudRecorder(store, { idleTimeoutMs: 60_000, onError: (error) => errors.push(error) });
    await vi.waitFor(async () => expect((await store.getTrajectory('left'))?.summary.status).toBe('incomplete'));
    expect(await storedTestGen(store, 'left')).toMatchObject({
      status: 'incomplete',
      totalTests: 1,
      tests: [{ id: 't1' }],
    });
    // Saved a moment ago: another tab may be recording it.
    expect((await store.getTrajectory('fresh'))?.summary.status).toBe('running');
    expect(errors).toEqual([]);
  });

  test('flush() saves running sessions as incomplete and waits for the saves', async () => {
    const { store, recorder } = await setup({ idleTimeoutMs: 60_000, checkpointIntervalMs: 60_000 });
    recorder.handle(start('x'));
    recorder.handle(progress('x', 'correctness', 1));
    recorder.handle(progress('x', 'correctness', 2));
    recorder.handle(testgenTest('x', 1, 'correctness'));
    recorder.handle(reflection('x', 'correctness', 'more needed'));
    await recorder.flush();
    expect(recorder.activeSessions()).toEqual([]);
    const data = await storedTestGen(store, 'x');
    // Figures the complete message would give are derived from what arrived.
    expect(data).toMatchObject({
      status: 'incomplete',
      totalTests: 1,
      totalRounds: 2,
      categoryRounds: { correctness: 2 },
    });
    expect(data.reflections).toHaveLength(1);
  });

  test('checkpoints re-save the same id at most once per interval, so the growing session is visible mid-run', async () => {
    vi.useFakeTimers();
    const { store, recorder } = await setup({ checkpointIntervalMs: 1_000, idleTimeoutMs: 60_000 });
    let saves = 0;
    const unsubscribe = store.subscribe((change) => {
      if (change.type === 'saved') saves++;
    });
    const testsInStore = async () =>
      ((await store.getTrajectory('grow'))?.testgen?.tests as unknown[] | undefined)?.length;

    recorder.handle(start('grow'));
    await vi.advanceTimersByTimeAsync(10);
    expect(saves).toBe(0); // nothing in it yet: no row
    expect(await store.getTrajectory('grow')).toBeNull();

    recorder.handle(testgenTest('grow', 1, 'existence'));
    await vi.advanceTimersByTimeAsync(10);
    expect(saves).toBe(1); // the first content is saved at once
    expect(await testsInStore()).toBe(1);

    for (let n = 2; n <= 5; n++) {
      recorder.handle(testgenTest('grow', n, 'existence'));
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(saves).toBe(1); // four messages within the interval: no save yet
    expect(await testsInStore()).toBe(1);

    await vi.advanceTimersByTimeAsync(700); // the interval has passed since the first save
    expect(saves).toBe(2);
    expect(await testsInStore()).toBe(5);
    const mid = await store.listTrajectories({ sessionId: 'grow' });
    expect(mid.items).toHaveLength(1);
    // A checkpoint says what is true: the session is still running.
    expect(mid.items[0]).toMatchObject({ id: 'grow', status: 'running', totalTests: 5 });
    expect(await store.listTrajectories({ status: 'running' })).toMatchObject({ items: [{ id: 'grow' }] });

    recorder.handle(testgenTest('grow', 6, 'boundary'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(saves).toBe(3);
    expect(await testsInStore()).toBe(6);

    recorder.handle(complete('grow', 6)); // the end is saved at once, not at the next interval
    await vi.advanceTimersByTimeAsync(10);
    expect(saves).toBe(4);
    expect((await store.listTrajectories()).items.map((s) => [s.id, s.status])).toEqual([['grow', 'complete']]);
    unsubscribe();
  });

  test('at most one save per session is in flight, and the last state wins', async () => {
    const real = await openTrajectoryStore();
    const calls: Array<{ tests: number; status: string | undefined }> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const gates: Array<() => void> = [];
    // A store whose testgen saves (the first by insertTestGenTrajectory, later ones in place by insertMany) wait until the test lets them through.
    const gated = async <T>(data: TestGenData, save: () => Promise<T>): Promise<T> => {
      calls.push({ tests: data.tests.length, status: data.status });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((resolve) => gates.push(resolve));
      try {
        return await save();
      } finally {
        inFlight--;
      }
    };
    const store: TrajectoryStore = {
      ...real,
      insertTestGenTrajectory: (data) => gated(data, () => real.insertTestGenTrajectory(data)),
      insertMany: (items, options) =>
        gated((items[0] as { testgen: TestGenData }).testgen, () => real.insertMany(items, options)),
    };
    const recorder = createHudRecorder(store, { checkpointIntervalMs: 1, resumeFromStore: false });
    recorder.handle(start('one'));
    recorder.handle(testgenTest('one', 1, 'correctness'));
    await settle();
    expect(calls).toEqual([{ tests: 1, status: 'running' }]);
    for (let n = 2; n <= 10; n++) recorder.handle(testgenTest('one', n, 'correctness'));
    recorder.handle(complete('one', 10));
    await settle();
    expect(calls).toHaveLength(1); // the first save still runs: nothing else started

    gates.shift()?.();
    await settle();
    // One more save, of the final state, not one per message.
    expect(calls).toEqual([
      { tests: 1, status: 'running' },
      { tests: 10, status: 'complete' },
    ]);
    gates.shift()?.();
    await recorder.flush();
    expect(maxInFlight).toBe(1);
    const data = await storedTestGen(real, 'one');
    expect(data).toMatchObject({ status: 'complete', totalTests: 10 });
  });

  test('a tab that joins mid-session resumes from the stored checkpoint instead of overwriting it', async () => {
    const { store, recorder: first } = await setup({ checkpointIntervalMs: 1 });
    first.handle(start('long'));
    for (let n = 1; n <= 3; n++) first.handle(testgenTest('long', n, 'existence'));
    first.handle(reflection('long', 'existence', 'first tab saw this'));
    await settle();
    await settle();
    expect((await storedTestGen(store, 'long')).tests).toHaveLength(3);
    // The first tab closes without a flush; a new tab's recorder sees the rest.
    const second = createHudRecorder(store);
    for (let n = 4; n <= 6; n++) second.handle(testgenTest('long', n, 'correctness'));
    second.handle(complete('long', 6));
    await second.flush();
    const data = await storedTestGen(store, 'long');
    expect(data).toMatchObject({ taskId: 'task-of-long', status: 'complete', environment });
    expect((data.tests as Array<{ id: string }>).map((t) => t.id)).toEqual(
      [1, 2, 3].map((n) => `long-existence-${n}`).concat([4, 5, 6].map((n) => `long-correctness-${n}`)),
    );
    expect(data.reflections).toEqual([
      { category: 'existence', reflectionText: 'first tab saw this', action: 'refining' },
    ]);
  });

  test('a session that goes on after it was ended as idle continues where it was', async () => {
    const { store, recorder } = await setup();
    recorder.handle(start('slow'));
    recorder.handle(testgenTest('slow', 1, 'existence'));
    await recorder.flush();
    expect(await storedTestGen(store, 'slow')).toMatchObject({ status: 'incomplete', totalTests: 1 });
    recorder.handle(testgenTest('slow', 2, 'existence'));
    recorder.handle(complete('slow', 2));
    await recorder.flush();
    const data = await storedTestGen(store, 'slow');
    expect(data).toMatchObject({ status: 'complete', taskId: 'task-of-slow' });
    expect(data.tests).toHaveLength(2);
  });

  test('a session sent again from its start (a reconnecting feed catching up) is not duplicated', async () => {
    const { store, recorder } = await setup();
    const frames = [
      start('again'),
      testgenTest('again', 1, 'existence'),
      reflection('again', 'existence', 'covered'),
      testgenTest('again', 2, 'boundary'),
      reflection('again', 'boundary', 'limits missing'),
    ];
    for (const frame of frames) recorder.handle(frame);
    for (const frame of frames) recorder.handle(frame); // while the session runs
    recorder.handle(complete('again', 2));
    await recorder.flush();
    const expectOnce = async () => {
      const data = await storedTestGen(store, 'again');
      expect(data).toMatchObject({ status: 'complete', totalTests: 2 });
      expect((data.tests as Array<{ id: string }>).map((t) => t.id)).toEqual(['again-existence-1', 'again-boundary-2']);
      expect(data.reflections).toEqual([
        { category: 'existence', reflectionText: 'covered', action: 'refining' },
        { category: 'boundary', reflectionText: 'limits missing', action: 'refining' },
      ]);
      expect((await store.listTrajectories()).items).toHaveLength(1);
    };
    await expectOnce();
    for (const frame of [...frames, complete('again', 2)]) recorder.handle(frame); // after it ended
    await recorder.flush();
    await expectOnce();
  });

  test('activeSessions() and onSessionUpdate give a read-only live view', async () => {
    const { recorder, updates } = await setup({ checkpointIntervalMs: 60_000 });
    recorder.handle(start('live', 'regex-log'));
    recorder.handle(progress('live', 'boundary', 2));
    recorder.handle(testgenTest('live', 1, 'boundary'));
    recorder.handle(testgenTest('live', 2, 'boundary'));
    recorder.handle(testgenTest('live', 3, 'existence'));
    const [view] = recorder.activeSessions();
    expect(view).toMatchObject({
      id: 'live',
      kind: 'testgen',
      status: 'running',
      active: true,
      taskId: 'regex-log',
      testCount: 3,
      testsByCategory: { boundary: 2, existence: 1 },
      phase: 'category_generation',
      currentCategory: 'boundary',
      roundNumber: 2,
      score: null,
    });
    expect(Object.isFrozen(view)).toBe(true);
    expect(Date.parse(view!.lastMessageAt)).not.toBeNaN();
    recorder.handle(complete('live', 3, 7.5));
    expect(updates[updates.length - 1]).toMatchObject({ id: 'live', status: 'complete', score: 7.5 });
    await recorder.flush();
    expect(updates[updates.length - 1]).toMatchObject({ id: 'live', status: 'complete', active: false });
  });
});

// ---- ATIF runs --------------------------------------------------------------

describe('ATIF runs', () => {
  test('a run and its subagent are assembled into valid ATIF documents, linked both ways', async () => {
    const { store, recorder, errors } = await setup();
    const steps: AtifStep[] = [
      { step_id: 1, timestamp: '2025-12-08T16:00:00Z', source: 'system', message: 'You are a coding agent.' },
      { step_id: 2, timestamp: '2025-12-08T16:00:01Z', source: 'user', message: 'Fix the failing test.' },
      agentStep(3, 'call_a'),
      {
        ...agentStep(4, 'call_b'),
        observation: {
          results: [{ source_call_id: 'call_b', content: 'done', subagent_trajectory_ref: [{ session_id: 'child' }] }],
        },
      },
    ];
    const childSteps: AtifStep[] = [
      { step_id: 1, source: 'user', message: [{ type: 'text', text: 'Verify the fix.' }] },
      agentStep(2, 'call_c'),
    ];
    const frames = [
      atifStart('parent'),
      ...steps.slice(0, 3).flatMap((step) => [
        {
          type: 'atif_step_recorded',
          sessionId: 'parent',
          stepId: step.step_id,
          source: step.source,
          hasToolCalls: !!step.tool_calls,
          hasObservation: !!step.observation,
        },
        atifStep('parent', step),
      ]),
      {
        type: 'atif_subagent_spawned',
        parentSessionId: 'parent',
        childSessionId: 'child',
        subtaskId: 'verify-1',
        agentType: 'claude-code',
      },
      atifStart('child', { agentName: 'verifier', parentSessionId: 'parent' }),
      ...childSteps.map((step) => atifStep('child', step)),
      { type: 'atif_trajectory_complete', sessionId: 'child', totalSteps: 2, trajectoryPath: '/tmp/child.json' },
      atifStep('parent', steps[3]!),
      {
        type: 'atif_trajectory_complete',
        sessionId: 'parent',
        totalSteps: 4,
        totalTokens: { prompt: 7000, completion: 200, cached: 1000 },
        totalCostUsd: 0.02,
        trajectoryPath: '/tmp/parent.json',
      },
    ];
    for (const frame of frames) expect(recorder.handle(JSON.stringify(frame))).toBe('handled');
    await recorder.flush();
    expect(errors).toEqual([]);

    const parent = await storedAtif(store, 'parent');
    expect(atifIssues(parent)).toEqual([]);
    expect(parent).toMatchObject({
      schema_version: 'ATIF-v1.6',
      session_id: 'parent',
      agent: { name: 'mechacoder', model_name: 'claude-sonnet-4-5', extra: { agent_type: 'claude-code' } },
      final_metrics: {
        total_steps: 4,
        total_prompt_tokens: 7000,
        total_completion_tokens: 200,
        total_cached_tokens: 1000,
        total_cost_usd: 0.02,
      },
      extra: {
        status: 'complete',
        run_id: 'run-1',
        trajectory_path: '/tmp/parent.json',
        subagents: [{ session_id: 'child', subtask_id: 'verify-1', agent_type: 'claude-code' }],
      },
    });
    expect(parent.steps).toEqual(steps);

    const child = await storedAtif(store, 'child');
    expect(atifIssues(child)).toEqual([]);
    expect(child).toMatchObject({
      agent: { name: 'verifier' },
      final_metrics: { total_steps: 2 },
      extra: { status: 'complete', parent_session_id: 'parent', subtask_id: 'verify-1' },
    });
    expect(child.steps).toEqual(childSteps);

    const summary = (await store.listTrajectories({ sessionId: 'parent' })).items[0];
    expect(summary).toMatchObject({ kind: 'atif', stepCount: 4, totalTokens: 7200, totalCostUsd: 0.02 });
  });

  test('steps out of order or with a gap are numbered 1..n and keep the HUD number', async () => {
    const { store, recorder } = await setup();
    recorder.handle(atifStart('gappy'));
    recorder.handle(atifStep('gappy', agentStep(4, 'c4')));
    recorder.handle(atifStep('gappy', { step_id: 1, source: 'user', message: 'go' }));
    recorder.handle(atifStep('gappy', agentStep(2, 'c2')));
    recorder.handle(atifStep('gappy', { ...agentStep(2, 'c2'), message: 'step 2, sent again' }));
    await recorder.flush();
    const doc = await storedAtif(store, 'gappy');
    expect(atifIssues(doc)).toEqual([]);
    expect(doc.steps.map((s) => [s.step_id, s.message, s.extra?.hud_step_id])).toEqual([
      [1, 'go', undefined],
      [2, 'step 2, sent again', undefined],
      [3, 'step 4', 4],
    ]);
    expect(doc.extra).toMatchObject({ status: 'incomplete' });
  });

  test('a run whose feed stops is saved as incomplete; a subagent announced before its start is still linked', async () => {
    vi.useFakeTimers();
    const { store, recorder } = await setup({ idleTimeoutMs: 5_000 });
    recorder.handle(atifStart('p'));
    recorder.handle({
      type: 'atif_subagent_spawned',
      parentSessionId: 'p',
      childSessionId: 'c',
      subtaskId: 'sub-1',
      agentType: 'fm',
    });
    recorder.handle(atifStep('c', { step_id: 1, source: 'user', message: 'sub task' }));
    await vi.advanceTimersByTimeAsync(5_001);
    await vi.runAllTimersAsync();
    expect(recorder.activeSessions()).toEqual([]);
    const child = await storedAtif(store, 'c');
    expect(child.extra).toMatchObject({ status: 'incomplete', parent_session_id: 'p', subtask_id: 'sub-1' });
    expect(child.agent.extra).toEqual({ agent_type: 'fm' });
    expect((await storedAtif(store, 'p')).extra).toMatchObject({
      status: 'incomplete',
      subagents: [{ session_id: 'c' }],
    });
  });
});

// ---- what is not recorded -------------------------------------------------

describe('frames that are not recorded', () => {
  test('unknown types, other families and malformed frames are ignored and counted, never thrown', async () => {
    const { store, recorder } = await setup();
    const unknown = [
      { type: 'map_iteration_start', runId: 'm', iteration: 1 },
      JSON.stringify({ type: 'map_candidate_scored', score: 0.4 }),
      { type: 'heartbeat' },
    ];
    const malformed: unknown[] = [
      'not json at all',
      '{"type":"testgen_test","sessionId":"cut',
      '[1,2,3]',
      42,
      null,
      undefined,
      { sessionId: 'no-type' },
      { type: 7 },
      { type: 'testgen_test', sessionId: 'bad', test: { category: 3, input: 'x' } },
      { type: 'testgen_progress', sessionId: 'bad', phase: 'category_generation', roundNumber: 'three', status: 'x' },
      { type: 'testgen_start', sessionId: '', taskId: 't', taskDescription: 'd' },
      { type: 'testgen_complete', sessionId: 'bad', totalTests: 1 },
      // A user step with agent-only fields would make every save of its run fail.
      atifStep('bad', {
        step_id: 1,
        source: 'user',
        message: 'hi',
        tool_calls: [{ tool_call_id: 'a', function_name: 'f', arguments: {} }],
      }),
      atifStep('bad', { ...agentStep(1, 'a'), observation: { results: [{ source_call_id: 'nope', content: '' }] } }),
      new Uint8Array([0xff, 0xfe, 0x7b]),
    ];
    for (const frame of unknown) expect(recorder.handle(frame)).toBe('unknown');
    for (const frame of malformed) {
      let outcome: string | undefined;
      expect(() => (outcome = recorder.handle(frame))).not.toThrow();
      expect(outcome, JSON.stringify(frame) ?? String(frame)).toBe('malformed');
    }
    // A valid message as UTF-8 bytes (what `ws` hands over in Node) is recorded.
    expect(recorder.handle(Buffer.from(JSON.stringify(testgenTest('bytes', 1, 'existence'))))).toBe('handled');
    await recorder.flush();
    // One save: the flush found nothing new to write.
    expect(recorder.stats()).toEqual({
      handled: 1,
      ignored: { unknown: unknown.length, malformed: malformed.length },
      saved: 1,
      failedSaves: 0,
    });
    expect((await store.listTrajectories()).items.map((s) => s.id)).toEqual(['bytes']);
  });
});

// ---- saves that fail -------------------------------------------------------

describe('saves that fail', () => {
  test('a closed store: every failure goes to onError, handle never throws, flush resolves', async () => {
    const { store, recorder, errors } = await setup({ checkpointIntervalMs: 1 });
    await store.close();
    const frames = [
      start('lost'),
      testgenTest('lost', 1, 'existence'),
      complete('lost', 1),
      atifStart('run'),
      atifStep('run', agentStep(1, 'x')),
    ];
    for (const frame of frames) expect(recorder.handle(frame)).toBe('handled');
    await expect(recorder.flush()).resolves.toBeUndefined();

    const saveErrors = errors.filter((e) => e.context.operation === 'final' || e.context.operation === 'checkpoint');
    expect(saveErrors.map((e) => e.context.sessionId).sort()).toEqual(expect.arrayContaining(['lost', 'run']));
    for (const { error } of errors) {
      expect(error).toBeInstanceOf(TrajectoryStoreError);
      expect((error as TrajectoryStoreError).code).toBe('closed');
    }
    expect(errors.find((e) => e.context.sessionId === 'lost' && e.context.operation === 'final')).toBeDefined();
    const stats = recorder.stats();
    expect(stats.saved).toBe(0);
    expect(stats.failedSaves).toBe(saveErrors.length);
    expect(recorder.activeSessions()).toEqual([]);
  });

  test('a store that throws synchronously, and an onError that throws, do not break the caller either', async () => {
    const real = await openTrajectoryStore();
    const failing: TrajectoryStore = {
      ...real,
      getTrajectory: () => {
        throw new Error('read failed');
      },
      insertTestGenTrajectory: () => {
        throw new Error('write failed');
      },
    };
    const seen: string[] = [];
    const recorder = createHudRecorder(failing, {
      onError: (error, context) => {
        seen.push(`${context.operation}: ${(error as Error).message}`);
        throw new Error('the handler itself fails');
      },
      onSessionUpdate: () => {
        throw new Error('so does the UI');
      },
    });
    expect(recorder.handle(start('t'))).toBe('handled');
    expect(recorder.handle(complete('t', 0))).toBe('handled');
    await expect(recorder.flush()).resolves.toBeUndefined();
    const { failedSaves, saved } = recorder.stats();
    expect(saved).toBe(0);
    expect(failedSaves).toBeGreaterThan(0);
    // The read of an earlier save failed, then every save; a failed state stays due, so it is tried again.
    expect(seen).toEqual(['resume: read failed', ...Array<string>(failedSaves).fill('final: write failed')]);
  });
});
