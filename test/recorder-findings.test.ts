/**
 * The recorder findings of issue 8, each replayed over a real WebSocket (a `ws` server on a free port, the
 * recorder fed by the client's message handler, as a HUD page does) into a real in-memory store.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createHudRecorder, openTrajectoryStore, TrajectoryStoreError } from '../src/node.js';
import type { HudRecorder, RecordedSessionView, RecorderErrorContext, TrajectoryStore } from '../src/node.js';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Serves `frames` to one client, then closes; the client hands every frame to the recorder. Resolves once closed. */
async function replay(recorder: HudRecorder, frames: readonly unknown[]): Promise<void> {
  const server = new WebSocketServer({ port: 0 });
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    for (const frame of frames) socket.send(JSON.stringify(frame));
    socket.close();
  });
  const { port } = server.address() as { port: number };
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  client.on('message', (data) => recorder.handle(data.toString()));
  await new Promise((resolve, reject) => {
    client.on('close', resolve);
    client.on('error', reject);
  });
}

function recording(store: TrajectoryStore, options: Parameters<typeof createHudRecorder>[1] = {}) {
  const errors: Array<{ error: unknown; context: RecorderErrorContext }> = [];
  const views: RecordedSessionView[] = [];
  const recorder = createHudRecorder(store, {
    onError: (error, context) => errors.push({ error, context }),
    onSessionUpdate: (view) => views.push(view),
    ...options,
  });
  return { recorder, errors, views };
}

const start = (sessionId: string) => ({
  type: 'testgen_start',
  sessionId,
  taskId: `task-${sessionId}`,
  taskDescription: 'Write tests',
});
const testFrame = (sessionId: string, n: number, category: string) => ({
  type: 'testgen_test',
  sessionId,
  test: { id: `${category}-${n}`, category, input: `case ${n}`, expectedOutput: null, confidence: 0.5 },
});
const progress = (sessionId: string, category: string, roundNumber: number) => ({
  type: 'testgen_progress',
  sessionId,
  phase: 'category_generation',
  currentCategory: category,
  roundNumber,
  status: 'generating',
});
const complete = (sessionId: string, categoryRounds: Record<string, number> = { existence: 2 }) => ({
  type: 'testgen_complete',
  sessionId,
  totalTests: 2,
  totalRounds: 2,
  categoryRounds,
  comprehensivenessScore: 9,
  totalTokensUsed: 4_321,
  durationMs: 12_000,
  uncertainties: ['none'],
});
const atifFrames = (sessionId: string) => [
  { type: 'atif_trajectory_start', sessionId, agentName: 'coder', agentType: 'claude-code' },
  {
    type: 'atif_step',
    runId: 'run',
    sessionId,
    step: { step_id: 1, timestamp: '2025-12-08T16:00:01Z', source: 'user', message: 'fix it' },
  },
  { type: 'atif_trajectory_complete', sessionId, totalSteps: 1, trajectoryPath: '/tmp/run.json' },
];

describe('the recorder keeps every session (issue 8, finding 6)', () => {
  test('a testgen session and an ATIF run sharing one sessionId are both kept, neither overwritten', async () => {
    const store = await openTrajectoryStore();
    const { recorder, errors } = recording(store);
    const [atifStart, atifStep, atifComplete] = atifFrames('shared');
    await replay(recorder, [
      start('shared'),
      atifStart,
      testFrame('shared', 1, 'existence'),
      atifStep,
      testFrame('shared', 2, 'existence'),
      complete('shared'),
      atifComplete,
    ]);
    await recorder.flush();
    expect(errors).toEqual([]);
    const { items } = await store.listTrajectories({ order: 'asc' });
    expect(items.map((s) => [s.id, s.kind, s.status, s.sessionId])).toEqual([
      ['shared', 'testgen', 'complete', 'shared'],
      ['shared~2', 'atif', 'complete', 'shared'],
    ]);
    expect((await store.getTrajectory('shared'))!.testgen).toMatchObject({ comprehensivenessScore: 9, totalTests: 2 });

    // A later recorder resuming either one finds its own row, not the other kind's.
    const later = recording(store);
    await replay(later.recorder, [testFrame('shared', 3, 'existence'), atifStep]);
    await later.recorder.flush();
    expect(later.errors).toEqual([]);
    expect(await store.listTrajectories()).toMatchObject({ items: { length: 2 } });
    expect((await store.getTrajectory('shared'))!.testgen).toMatchObject({ comprehensivenessScore: 9 });
  });

  test('categories named like Object.prototype members are ordinary categories', async () => {
    const store = await openTrajectoryStore();
    const { recorder, errors, views } = recording(store);
    const names = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];
    const frames: unknown[] = [start('proto')];
    names.forEach((name, i) => {
      frames.push(progress('proto', name, i + 1), testFrame('proto', i, name), testFrame('proto', i + 10, name));
    });
    // A second session that completes with those names in its own categoryRounds.
    const rounds = Object.fromEntries(names.map((name, i) => [name, i + 1]));
    frames.push(
      start('proto-complete'),
      testFrame('proto-complete', 1, 'constructor'),
      complete('proto-complete', rounds),
    );
    await replay(recorder, frames);
    await recorder.flush();
    expect(errors).toEqual([]);

    const incomplete = (await store.getTrajectory('proto'))!.testgen as Record<string, unknown>;
    expect(incomplete.status).toBe('incomplete');
    expect(Object.entries(incomplete.categoryRounds as object)).toEqual(names.map((name, i) => [name, i + 1]));
    expect(incomplete.totalRounds).toBe(15);
    const view = views.filter((v) => v.id === 'proto').at(-1)!;
    expect(Object.entries(view.testsByCategory)).toEqual(names.map((name) => [name, 2]));

    const completed = (await store.getTrajectory('proto-complete'))!.testgen as Record<string, unknown>;
    expect(Object.entries(completed.categoryRounds as object)).toEqual(Object.entries(rounds));
  });

  test('a final save that fails is tried again, by itself and by flush(), until it is stored', async () => {
    const store = await openTrajectoryStore();
    let failuresLeft = 2;
    // The real store, its final saves (by either save path) refused as a failover refuses them (busy) while failuresLeft.
    const refuseFinal = (status: unknown) => status !== 'running' && failuresLeft-- > 0;
    const busy = () => Promise.reject(new TrajectoryStoreError('busy', 'the holding tab went'));
    const flaky: TrajectoryStore = {
      ...store,
      insertTestGenTrajectory: (data) => (refuseFinal(data.status) ? busy() : store.insertTestGenTrajectory(data)),
      insertMany: (items, options) => {
        const [first] = items as Array<{ testgen?: { status?: string } }>;
        return refuseFinal(first?.testgen?.status) ? busy() : store.insertMany(items, options);
      },
    };
    const { recorder, errors, views } = recording(flaky, { checkpointIntervalMs: 20 });
    // Nothing to save before the end (no test): every save is the final one.
    await replay(recorder, [start('retried'), complete('retried')]);
    await vi.waitFor(async () => expect(await store.getTrajectory('retried')).not.toBeNull(), { timeout: 10_000 });
    expect(errors.map((e) => [e.context.operation, (e.error as TrajectoryStoreError).code])).toEqual([
      ['final', 'busy'],
      ['final', 'busy'],
    ]);
    expect((await store.getTrajectory('retried'))!.summary.status).toBe('complete');
    await vi.waitFor(() => expect(recorder.activeSessions()).toEqual([]));
    expect(views.at(-1)).toMatchObject({ id: 'retried', active: false, lastSaveError: null });

    // flush() tries a failed final save again at once (here the retry timer is far off).
    failuresLeft = 1;
    const flushed = recording(flaky, { checkpointIntervalMs: 3_600_000 });
    await replay(flushed.recorder, [start('flushed'), complete('flushed')]);
    await vi.waitFor(() => expect(flushed.errors).toHaveLength(1));
    expect(flushed.recorder.activeSessions()).toMatchObject([{ id: 'flushed', lastSaveError: expect.any(String) }]);
    await flushed.recorder.flush();
    expect((await store.getTrajectory('flushed'))!.summary.status).toBe('complete');
    expect(flushed.recorder.activeSessions()).toEqual([]);
  });

  test('a testgen_error after testgen_complete leaves the completed session as it was', async () => {
    const store = await openTrajectoryStore();
    const { recorder, errors } = recording(store);
    const error = { type: 'testgen_error', sessionId: 'done', error: 'socket torn down' };
    // On the same socket while the session is active...
    await replay(recorder, [start('done'), testFrame('done', 1, 'existence'), complete('done'), error]);
    await recorder.flush();
    const saved = (await store.getTrajectory('done'))!;
    expect(saved.testgen).toMatchObject({ status: 'complete', comprehensivenessScore: 9, totalTests: 2 });
    expect(saved.testgen).not.toHaveProperty('error');

    // ...and later, after it was saved and left the active set (a new recorder, as after a reload).
    const later = recording(store);
    await replay(later.recorder, [error]);
    await later.recorder.flush();
    expect([...errors, ...later.errors]).toEqual([]);
    const after = (await store.getTrajectory('done'))!;
    expect(after.testgen).toEqual(saved.testgen);
    expect(after.summary.status).toBe('complete');
  });

  test('de-duplicating reflections costs a constant amount of work per reflection, not one per kept reflection', async () => {
    const store = await openTrajectoryStore();
    const { recorder, errors } = recording(store, { checkpointIntervalMs: 3_600_000 });
    const count = 2_000;
    const frames: unknown[] = [start('reflective')];
    for (let i = 0; i < count; i++) {
      frames.push({
        type: 'testgen_reflection',
        sessionId: 'reflective',
        reflectionText: `thought ${i}`,
        action: 'refining',
      });
    }
    // Each sent twice (a HUD's replay): kept once.
    frames.push(...frames.slice(1, 101));
    const stringify = vi.spyOn(JSON, 'stringify');
    await replay(recorder, frames);
    const calls = stringify.mock.calls.length;
    stringify.mockRestore();
    await recorder.flush();
    expect(errors).toEqual([]);
    // One JSON text per reflection handled (plus the frames and a save or two); the quadratic way took ~n²/2.
    expect(calls).toBeLessThan(4 * frames.length);
    const stored = (await store.getTrajectory('reflective'))!.testgen as { reflections: unknown[] };
    expect(stored.reflections).toHaveLength(count);
  });
});
