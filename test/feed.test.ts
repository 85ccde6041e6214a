/**
 * The demo feed: its generated sessions, its WebSocket server, and the
 * recorder recording it over a real socket into a real in-memory store.
 */
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createHudRecorder, openTrajectoryStore } from '../src/node.js';
import { readHudFrame } from '../src/recorder/frames.js';
import { parseDemoFeedArgs } from '../demo/cli.js';
import { DEMO_CATEGORIES } from '../demo/demo-content.js';
import { startDemoFeed, type DemoFeed } from '../demo/demo-server.js';
import { demoCycle, type DemoSessionPlan } from '../demo/demo-sessions.js';
import type { AtifStep, AtifTrajectory } from '../src/schema/atif.js';
import { atifIssues } from '../src/schema/atif-findings.js';
import type { AtifMessage, HudMessage, TestGenMessage } from '../src/schema/hud.js';

const START = Date.UTC(2025, 11, 8, 16, 0, 0);

const feeds: DemoFeed[] = [];
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((feed) => feed.close()));
});

async function feed(options: Parameters<typeof startDemoFeed>[0]): Promise<DemoFeed> {
  const started = await startDemoFeed({ port: 0, ...options });
  feeds.push(started);
  return started;
}

/** Connects a `ws` client (Node 20 has no global WebSocket); resolves with every frame once the server closes. */
function receiveAll(
  url: string,
  onFrame: (data: WebSocket.RawData) => void = () => {},
): { frames: Promise<string[]>; socket: WebSocket } {
  const socket = new WebSocket(url);
  const frames = new Promise<string[]>((resolve, reject) => {
    const got: string[] = [];
    socket.on('message', (data) => {
      got.push(data.toString());
      onFrame(data);
    });
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
  return { frames, socket };
}

const of = <T extends HudMessage['type']>(messages: HudMessage[], type: T) =>
  messages.filter((m): m is Extract<HudMessage, { type: T }> => m.type === type);

// ---- the generated sessions ------------------------------------------------

describe('demo cycles', () => {
  test('are reproducible from seed and cycle, and differ between cycles', () => {
    const a = demoCycle({ seed: 11, cycle: 0, startAt: START });
    expect(demoCycle({ seed: 11, cycle: 0, startAt: START })).toEqual(a);
    const b = demoCycle({ seed: 11, cycle: 1, startAt: START });
    const ids = (c: typeof a) => c.sessions.map((s) => s.sessionId);
    expect(ids(b).filter((id) => ids(a).includes(id))).toEqual([]);
    expect(a.events.map((e) => e.atMs)).toEqual([...a.events.map((e) => e.atMs)].sort((x, y) => x - y));
  });

  test('hold interleaved testgen sessions as the HUD sends them: complete, failed, and one whose feed stops', () => {
    for (let cycle = 0; cycle < 6; cycle++) {
      const { sessions, events } = demoCycle({ seed: 3, cycle, startAt: START });
      const testgen = sessions.filter((s) => s.kind === 'testgen');
      expect(testgen.map((s) => s.outcome).sort()).toEqual(['complete', 'complete', 'failed', 'stalled']);
      for (const plan of testgen) {
        const messages = plan.messages as TestGenMessage[];
        expect(messages[0]?.type).toBe('testgen_start');
        const tests = of(messages, 'testgen_test').map((m) => m.test);
        expect(new Set(tests.map((t) => t.id)).size).toBe(tests.length);
        for (const t of tests) {
          expect(DEMO_CATEGORIES).toContain(t.category);
          expect(t.confidence).toBeGreaterThanOrEqual(0);
          expect(t.confidence).toBeLessThanOrEqual(1);
        }
        expect(of(messages, 'testgen_progress').length).toBeGreaterThan(0);
        const last = messages[messages.length - 1]!;
        if (plan.outcome === 'complete') {
          expect(last.type).toBe('testgen_complete');
          const done = last as Extract<TestGenMessage, { type: 'testgen_complete' }>;
          expect(done.totalTests).toBe(tests.length);
          expect(tests.length).toBeGreaterThanOrEqual(15);
          expect(tests.length).toBeLessThanOrEqual(30);
          expect(done.totalRounds).toBeLessThanOrEqual(12);
          expect(Object.keys(done.categoryRounds).sort()).toEqual([...DEMO_CATEGORIES].sort());
          expect(new Set(tests.map((t) => t.category))).toEqual(new Set(DEMO_CATEGORIES));
          expect(of(messages, 'testgen_reflection').length).toBeGreaterThanOrEqual(5);
        } else if (plan.outcome === 'failed') {
          expect(last.type).toBe('testgen_error');
        } else {
          expect(['testgen_complete', 'testgen_error']).not.toContain(last.type);
        }
      }
      // Sessions interleave: some session's frame comes between two frames of another.
      const order = events
        .filter((e) => e.kind === 'hud')
        .map((e) => JSON.parse(e.frame).sessionId ?? JSON.parse(e.frame).parentSessionId);
      const switches = order.filter((id, i) => i > 0 && id !== order[i - 1]).length;
      expect(switches).toBeGreaterThan(sessions.length);
    }
  });

  test('hold ATIF runs with realistic, valid steps, and a subagent linked to its parent', () => {
    const { sessions } = demoCycle({ seed: 5, cycle: 0, startAt: START });
    const runs = sessions.filter((s) => s.kind === 'atif');
    expect(runs.length).toBeGreaterThanOrEqual(3);
    const child = runs.find((r) => r.parentSessionId);
    expect(child).toBeDefined();
    const parent = runs.find((r) => r.sessionId === child!.parentSessionId)!;
    expect(of(parent.messages, 'atif_subagent_spawned').map((m) => m.childSessionId)).toEqual([child!.sessionId]);
    expect(of(child!.messages, 'atif_trajectory_start')[0]).toMatchObject({ parentSessionId: parent.sessionId });

    for (const run of runs) {
      const steps = of(run.messages, 'atif_step').map((m) => m.step);
      expect(new Set(steps.map((s) => s.source))).toEqual(new Set(['system', 'user', 'agent']));
      const agentSteps = steps.filter((s) => s.source === 'agent');
      expect(agentSteps.some((s) => (s.tool_calls?.length ?? 0) > 0)).toBe(true);
      for (const step of agentSteps) {
        expect(step.metrics?.prompt_tokens).toBeGreaterThan(0);
        expect(step.metrics?.cost_usd).toBeGreaterThan(0);
        for (const call of step.tool_calls ?? []) expect(typeof call.function_name).toBe('string');
      }
      const times = steps.map((s) => Date.parse(s.timestamp!));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBeGreaterThanOrEqual(START);
      // As one document, the steps pass the store's ATIF validation.
      expect(
        atifIssues({
          schema_version: 'ATIF-v1.6',
          session_id: run.sessionId,
          agent: { name: 'x', version: '1' },
          steps,
        }),
      ).toEqual([]);
      const announced = of(run.messages, 'atif_step_recorded').map((m) => m.stepId);
      expect(announced).toEqual(steps.map((s) => s.step_id));
    }
  });

  test('carry other families, an unknown type and malformed frames, which a recorder reads as such', () => {
    const { events } = demoCycle({ seed: 9, cycle: 0, startAt: START });
    const kinds = new Set(events.map((e) => e.kind));
    expect(kinds).toEqual(new Set(['hud', 'noise', 'malformed']));
    expect(events.some((e) => e.kind === 'noise' && JSON.parse(e.frame).type.startsWith('map_'))).toBe(true);
    const expected = { hud: 'message', noise: 'unknown', malformed: 'malformed' } as const;
    for (const event of events) expect(readHudFrame(event.frame).kind, event.frame).toBe(expected[event.kind]);
    expect(demoCycle({ seed: 9, cycle: 0, startAt: START, noise: false }).events.every((e) => e.kind === 'hud')).toBe(
      true,
    );
  });
});

// ---- over a real WebSocket ---------------------------------------------------

describe('the demo feed over a WebSocket', () => {
  test('the recorder saves every session it streams, with its outcome and content, and ignores the rest', async () => {
    const seed = 1234;
    const server = await feed({ mode: 'replay', speed: Number.POSITIVE_INFINITY, cycles: 1, seed, startAt: START });
    const store = await openTrajectoryStore();
    const errors: unknown[] = [];
    const recorder = createHudRecorder(store, { onError: (error) => errors.push(error), checkpointIntervalMs: 50 });
    const { frames } = receiveAll(server.url, (data) => recorder.handle(data));
    const received = await frames;
    await recorder.flush(); // the socket closed: sessions still running (the stalled one) end as incomplete

    const cycle = demoCycle({ seed, cycle: 0, startAt: START });
    expect(received).toEqual(cycle.events.map((e) => e.frame));
    expect(errors).toEqual([]);
    const count = (kind: string) => cycle.events.filter((e) => e.kind === kind).length;
    expect(recorder.stats()).toMatchObject({
      handled: count('hud'),
      ignored: { unknown: count('noise'), malformed: count('malformed') },
      failedSaves: 0,
    });

    const stored = await store.listTrajectories({ limit: 100 });
    expect(stored.items.map((s) => s.id).sort()).toEqual(cycle.sessions.map((s) => s.sessionId).sort());
    for (const plan of cycle.sessions) {
      if (plan.kind === 'testgen') await expectTestGenRecorded(store, plan);
      else await expectAtifRecorded(store, plan);
    }
  });

  test('live mode: a client that joins late first gets the cycle so far, then the rest', async () => {
    const server = await feed({ mode: 'live', speed: 40, cycles: 1, seed: 77, startAt: START });
    let lateClient: ReturnType<typeof receiveAll> | undefined;
    let seen = 0;
    const first = receiveAll(server.url, () => {
      if (++seen === 30) lateClient = receiveAll(server.url);
    });
    const firstFrames = await first.frames;
    const lateFrames = await lateClient!.frames;
    const expected = demoCycle({ seed: 77, cycle: 0, startAt: START }).events.map((e) => e.frame);
    expect(firstFrames).toEqual(expected);
    expect(lateFrames).toEqual(expected);
    await server.finished;
  });

  test('serves its configured path only, and close() ends the connections', async () => {
    const server = await feed({ path: '/hud', speed: 1, seed: 1 });
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/hud$/);
    const wrong = new WebSocket(server.url.replace('/hud', '/ws'));
    const status = await new Promise<number | undefined>((resolve) => {
      wrong.on('unexpected-response', (_request, response) => resolve(response.statusCode));
      wrong.on('error', () => resolve(undefined));
    });
    expect(status).toBe(404);

    const { frames, socket } = receiveAll(server.url);
    await new Promise((resolve) => socket.once('open', resolve));
    expect(server.clientCount()).toBe(1);
    await server.close();
    await frames; // resolves only once the socket is closed
    expect(socket.readyState).toBe(WebSocket.CLOSED);
  });
});

describe('the demo feed command line', () => {
  test('reads flags and environment, flags winning', () => {
    expect(
      parseDemoFeedArgs(
        ['--port', '9000', '--path=/hud', '--fast', '--once', '--replay', '--seed', '4', '--no-noise'],
        {},
      ),
    ).toEqual({
      help: false,
      quiet: false,
      options: {
        port: 9000,
        path: '/hud',
        speed: Number.POSITIVE_INFINITY,
        cycles: 1,
        mode: 'replay',
        seed: 4,
        noise: false,
      },
    });
    expect(
      parseDemoFeedArgs(['--speed', '3'], { DEMO_FEED_PORT: '8181', DEMO_FEED_SPEED: '2', DEMO_FEED_HOST: '0.0.0.0' }),
    ).toMatchObject({
      options: { port: 8181, speed: 3, host: '0.0.0.0' },
    });
    expect(parseDemoFeedArgs(['--help'])).toEqual({ help: true });
  });

  test('refuses values it cannot use', () => {
    expect(() => parseDemoFeedArgs(['--port', 'eighty'])).toThrow(/--port/);
    expect(() => parseDemoFeedArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseDemoFeedArgs(['--speed', '0'])).toThrow(/--speed/);
    expect(() => parseDemoFeedArgs(['--path', 'ws'])).toThrow(/--path/);
    expect(() => parseDemoFeedArgs(['--verbose'])).toThrow(/unknown option/);
    expect(() => parseDemoFeedArgs([], { DEMO_FEED_PORT: 'x' })).toThrow(/DEMO_FEED_PORT/);
  });
});

// ---- what a recorded session must look like -----------------------------------

async function expectTestGenRecorded(store: Awaited<ReturnType<typeof openTrajectoryStore>>, plan: DemoSessionPlan) {
  const messages = plan.messages as TestGenMessage[];
  const data = (await store.getTrajectory(plan.sessionId))?.testgen;
  const start = of(messages, 'testgen_start')[0]!;
  const status = { complete: 'complete', failed: 'failed', stalled: 'incomplete' }[plan.outcome];
  expect(data, plan.sessionId).toMatchObject({
    taskId: start.taskId,
    taskDescription: start.taskDescription,
    environment: start.environment,
    status,
  });
  expect(data?.tests).toEqual(of(messages, 'testgen_test').map((m) => m.test));
  expect(data?.reflections).toEqual(of(messages, 'testgen_reflection').map(({ type: _t, sessionId: _s, ...r }) => r));
  const done = of(messages, 'testgen_complete')[0];
  if (done) {
    const { type: _t, sessionId: _s, ...figures } = done;
    expect(data).toMatchObject(figures);
  }
  const failure = of(messages, 'testgen_error')[0];
  if (failure) expect(data).toMatchObject({ error: failure.error });
}

async function expectAtifRecorded(store: Awaited<ReturnType<typeof openTrajectoryStore>>, plan: DemoSessionPlan) {
  const messages = plan.messages as AtifMessage[];
  const doc = (await store.getTrajectory(plan.sessionId))?.trajectory as AtifTrajectory;
  expect(atifIssues(doc)).toEqual([]);
  const steps: AtifStep[] = of(messages, 'atif_step').map((m) => m.step);
  expect(doc.steps).toEqual(steps);
  const start = of(messages, 'atif_trajectory_start')[0]!;
  expect(doc.agent).toMatchObject({ name: start.agentName, extra: { agent_type: start.agentType } });
  expect(doc.extra).toMatchObject({ status: plan.outcome === 'complete' ? 'complete' : 'incomplete' });
  if (plan.parentSessionId) expect(doc.extra).toMatchObject({ parent_session_id: plan.parentSessionId });
  for (const spawn of of(messages, 'atif_subagent_spawned')) {
    expect(doc.extra?.subagents).toContainEqual({
      session_id: spawn.childSessionId,
      subtask_id: spawn.subtaskId,
      agent_type: spawn.agentType,
    });
  }
  const done = of(messages, 'atif_trajectory_complete')[0];
  if (done) {
    expect(doc.final_metrics).toEqual({
      total_steps: done.totalSteps,
      total_prompt_tokens: done.totalTokens?.prompt,
      total_completion_tokens: done.totalTokens?.completion,
      total_cached_tokens: done.totalTokens?.cached,
      total_cost_usd: done.totalCostUsd,
    });
  }
}
