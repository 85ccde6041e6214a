/**
 * Properties of the HUD recorder (issue 8, Deliver 3) over a real in-memory store: whatever a socket delivers
 * (sessions interleaved, messages out of order, duplicated, the stream cut off, garbage frames between, as
 * objects, JSON text or bytes), `handle` never throws, and after `flush()` every session that completed is
 * stored as complete with every test or step that arrived for it.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createHudRecorder, openTrajectoryStore, type TrajectoryStore } from '../../src/node.js';
import type { TrajectorySummary } from '../../src/public-types.js';
import type { AtifTrajectory } from '../../src/schema/atif.js';
import type { TestGenData } from '../../src/schema/testgen.js';
import { idText } from './arbitraries.js';
import { PROPERTY_TIMEOUT, runs } from './settings.js';

interface Session {
  kind: 'testgen' | 'atif';
  id: string;
  /** Test ids (testgen) or step ids (ATIF), in the order the HUD sends them. */
  items: string[];
  /** A testgen session the HUD also reports as failed after it completed (a late teardown). */
  lateError?: boolean;
}

interface Frame {
  session: Session;
  message: Record<string, unknown>;
  /** What the frame tells the recorder: an item arrived, or the session ended. */
  carries: { item: string } | { complete: true } | null;
}

/** The messages the HUD sends for one session, in its order: start, items, complete. */
function framesOf(session: Session): Frame[] {
  const { id: sessionId } = session;
  if (session.kind === 'testgen') {
    return [
      { session, carries: null, message: { type: 'testgen_start', sessionId, taskId: 'task', taskDescription: 'd' } },
      ...session.items.map((id, n) => ({
        session,
        carries: { item: id },
        message: {
          type: 'testgen_test',
          sessionId,
          test: { id, category: ['constructor', 'existence', '__proto__'][n % 3], input: `case ${n}`, confidence: 0.5 },
        },
      })),
      {
        session,
        carries: { complete: true as const },
        message: {
          type: 'testgen_complete',
          sessionId,
          totalTests: session.items.length,
          totalRounds: 2,
          categoryRounds: { existence: 2, constructor: 1 },
          comprehensivenessScore: 7,
          totalTokensUsed: 100,
          durationMs: 5,
          uncertainties: [],
        },
      },
      ...(session.lateError
        ? [{ session, carries: null, message: { type: 'testgen_error', sessionId, error: 'socket closed' } }]
        : []),
    ];
  }
  return [
    {
      session,
      carries: null,
      message: { type: 'atif_trajectory_start', sessionId, agentName: 'a', agentType: 'coder' },
    },
    ...session.items.map((stepId) => ({
      session,
      carries: { item: stepId },
      message: {
        type: 'atif_step',
        runId: 'run',
        sessionId,
        step: { step_id: Number(stepId), source: 'agent', message: `step ${stepId}` },
      },
    })),
    {
      session,
      carries: { complete: true as const },
      message: { type: 'atif_trajectory_complete', sessionId, totalSteps: session.items.length },
    },
  ];
}

const sessionIds = fc.uniqueArray(fc.oneof(idText, fc.constantFrom('constructor', '__proto__', 's~2')), {
  minLength: 1,
  maxLength: 4,
});

/** Testgen sessions and ATIF runs, whose ids may coincide across the two kinds (both must be kept). */
const sessions: fc.Arbitrary<Session[]> = fc
  .tuple(sessionIds, sessionIds, fc.nat(4))
  .chain(([testgenIds, atifIds, count]) =>
    fc.tuple(
      ...testgenIds.map((id) =>
        fc
          .tuple(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: count + 1 }), fc.boolean())
          .map(([items, lateError]): Session => ({ kind: 'testgen', id, items, lateError })),
      ),
      ...atifIds.map((id) =>
        fc
          .integer({ min: 0, max: count + 1 })
          .map((n): Session => ({ kind: 'atif', id, items: Array.from({ length: n }, (_, i) => String(i + 1)) })),
      ),
    ),
  );

/** Frames that are no message the recorder records. */
const garbage = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('{"type":', '{}', 'null', '[1]', '{"type":"map_update","x":1}', '{"type":"testgen_test"}'),
  fc.uint8Array({ maxLength: 12 }),
  fc.jsonValue(),
);

/** One delivery of a socket: the sessions' frames interleaved, reordered, duplicated, cut off, with garbage between. */
const delivery = fc.tuple(sessions, fc.boolean(), fc.boolean()).chain(([all, reorder, cut]) => {
  const frames = all.flatMap(framesOf);
  return fc
    .tuple(
      // A sort key per frame: in order within a session, or not at all.
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: frames.length, maxLength: frames.length }),
      fc.array(fc.nat(frames.length - 1), { maxLength: 3 }),
      fc.nat(frames.length),
      fc.array(fc.tuple(fc.nat(frames.length), garbage), { maxLength: 3 }),
      fc.array(fc.constantFrom('object', 'text', 'bytes'), {
        minLength: frames.length + 3,
        maxLength: frames.length + 3,
      }),
    )
    .map(([keys, duplicates, cutAt, junk, encodings]) => {
      let order = frames.map((frame, i) => ({ frame, key: keys[i]! }));
      if (!reorder) {
        // Each session's own frames keep their order; sessions still interleave.
        const bySession = new Map<Session, number[]>();
        for (const { frame, key } of order)
          bySession.set(frame.session, [...(bySession.get(frame.session) ?? []), key]);
        for (const list of bySession.values()) list.sort((a, b) => a - b);
        order = order.map(({ frame }) => ({ frame, key: bySession.get(frame.session)!.shift()! }));
      }
      let delivered: Array<Frame | { junk: unknown }> = order.sort((a, b) => a.key - b.key).map(({ frame }) => frame);
      for (const at of duplicates) delivered.push(delivered[at % delivered.length]!);
      if (cut) delivered = delivered.slice(0, cutAt);
      for (const [at, value] of junk) delivered.splice(at % (delivered.length + 1), 0, { junk: value });
      return {
        sessions: all,
        frames: delivered.map((frame, i) =>
          'junk' in frame ? { raw: frame.junk, frame: null } : encoded(frame, encodings[i]!),
        ),
      };
    });
});

function encoded(frame: Frame, encoding: string): { raw: unknown; frame: Frame } {
  const text = JSON.stringify(frame.message);
  const raw =
    encoding === 'object'
      ? structuredClone(frame.message)
      : encoding === 'text'
        ? text
        : new TextEncoder().encode(text);
  return { raw, frame };
}

/** The test ids of a stored testgen session, or the HUD's step ids of a stored ATIF run. */
async function storedItems(store: TrajectoryStore, id: string, kind: Session['kind']): Promise<string[]> {
  const stored = await store.getTrajectory(id);
  if (!stored) throw new Error(`${id} was listed but cannot be read`);
  if (kind === 'testgen') return (stored.testgen as TestGenData).tests.map((t) => String(t.id));
  // A step renumbered because an earlier one never arrived keeps the HUD's number in extra.hud_step_id.
  return (stored.trajectory as AtifTrajectory).steps.map((s) => String(s.extra?.hud_step_id ?? s.step_id));
}

async function storedRows(store: TrajectoryStore): Promise<TrajectorySummary[]> {
  return (await store.listTrajectories({ limit: 1000 })).items;
}

test(
  'handle never throws, and every session that completed is stored complete with everything that arrived',
  async () => {
    await fc.assert(
      fc.asyncProperty(delivery, async ({ sessions, frames }) => {
        const store = await openTrajectoryStore();
        const errors: unknown[] = [];
        const recorder = createHudRecorder(store, { onError: (error) => errors.push(error), checkpointIntervalMs: 1 });
        for (const { raw } of frames) expect(() => recorder.handle(raw)).not.toThrow();
        await recorder.flush();
        expect(errors).toEqual([]);

        const rows = await storedRows(store);
        for (const session of sessions) {
          const arrived = frames.flatMap(({ frame }) => (frame?.session === session ? [frame.carries] : []));
          const completed = arrived.some((c) => c !== null && 'complete' in c);
          const items = new Set(arrived.flatMap((c) => (c !== null && 'item' in c ? [c.item] : [])));
          const row = rows.find((r) => r.sessionId === session.id && r.kind === session.kind);
          if (!completed && items.size === 0) continue;
          expect(row, `${session.kind} session ${JSON.stringify(session.id)} was not stored`).toBeDefined();
          if (completed) expect(row!.status).toBe('complete');
          expect(new Set(await storedItems(store, row!.id, session.kind))).toEqual(items);
        }
        await store.close();
      }),
      runs(40, 800),
    );
  },
  PROPERTY_TIMEOUT,
);
