/**
 * Inputs that broke the store when issue 8 tried it as an attacker would, each
 * through the public API (the Node store): refused with a typed error that
 * names what is wrong, or kept exactly and ordered right.
 */
import { describe, expect, test } from 'vitest';
import { openTrajectoryStore } from '../src/node.js';
import { atifRun, rejection, testgenSession } from './fixtures.js';

describe('ids holding a lone UTF-16 surrogate', () => {
  // SQLite stores text as UTF-8, where both of these become "a\uFFFD": they were one id.
  const HIGH = 'a\uD800';
  const LOW = 'a\uDC00';

  test('are refused on every save path with `validation`, naming the id', async () => {
    const store = await openTrajectoryStore();
    const bySession = await rejection(store.insertTrajectory(atifRun(HIGH)));
    expect(bySession.code).toBe('validation');
    expect(bySession.issues).toEqual([{ path: 'session_id', message: expect.stringContaining('"a\\ud800"') }]);

    const byTrajectoryId = await rejection(store.insertTrajectory({ ...atifRun('fine'), trajectory_id: LOW }));
    expect(byTrajectoryId.issues).toEqual([{ path: 'trajectory_id', message: expect.stringContaining('"a\\udc00"') }]);

    const testgen = await rejection(store.insertTestGenTrajectory(testgenSession(HIGH)));
    expect(testgen.issues).toEqual([{ path: 'sessionId', message: expect.stringContaining('lone UTF-16 surrogate') }]);

    const many = await store.insertMany([
      atifRun(HIGH),
      { testgen: testgenSession(LOW) },
      { id: 'x\uDBFF', trajectory: atifRun('kept-under-x') },
      atifRun('stored'),
    ]);
    expect(many.rejected.map((r) => [r.index, r.issues[0]!.path])).toEqual([
      [0, 'session_id'],
      [1, 'testgen.sessionId'],
      [2, 'id'],
    ]);
    expect((await store.listTrajectories()).items.map((s) => s.id)).toEqual(['stored']);
  });

  test('are refused by get, delete and compare, which would otherwise reach the U+FFFD row', async () => {
    const store = await openTrajectoryStore();
    await store.insertTrajectory(atifRun('a\uFFFD'));
    for (const call of [
      store.getTrajectory(HIGH),
      store.deleteTrajectory(HIGH),
      store.compareTrajectories(HIGH, HIGH),
    ]) {
      expect((await rejection(call)).issues?.[0]?.path).toBe('id');
    }
    expect(await store.getTrajectory('a\uFFFD')).not.toBeNull();
  });

  test('paired surrogates (emoji) are ordinary ids', async () => {
    const store = await openTrajectoryStore();
    const { id } = await store.insertTrajectory(atifRun('run-🦀'));
    expect(id).toBe('run-🦀');
    expect((await store.getTrajectory(id))?.summary.id).toBe('run-🦀');
  });
});

describe('years 0000-0099', () => {
  test('are kept as written (not read as 1900-1999) and sort among later years', async () => {
    const store = await openTrajectoryStore();
    for (const [id, start] of [
      ['year-2025', '2025-03-01T00:00:00Z'],
      ['year-0042', '0042-03-01T00:00:00Z'],
      ['year-1942', '1942-03-01T00:00:00Z'],
      ['year-0000', '0000-01-01T00:00:00Z'],
    ] as const) {
      await store.insertTrajectory(atifRun(id, { start, steps: 1 }));
    }
    const { items } = await store.listTrajectories({ orderBy: 'firstStepAt', order: 'asc' });
    expect(items.map((s) => [s.id, s.firstStepAt])).toEqual([
      ['year-0000', '0000-01-01T00:00:00.000Z'],
      ['year-0042', '0042-03-01T00:00:00.000Z'],
      ['year-1942', '1942-03-01T00:00:00.000Z'],
      ['year-2025', '2025-03-01T00:00:00.000Z'],
    ]);
    const testgen = await store.insertTestGenTrajectory(
      testgenSession('early', { startedAt: '0099-12-31T23:59:59', completedAt: '0100-01-01T00:00:01' }),
    );
    const summary = (await store.getTrajectory(testgen.id))!.summary;
    expect([summary.firstStepAt, summary.lastStepAt]).toEqual(['0099-12-31T23:59:59.000Z', '0100-01-01T00:00:01.000Z']);
  });

  test('an offset that moves an instant outside 0000-9999 is not a timestamp (it would not sort as text)', async () => {
    const store = await openTrajectoryStore();
    const doc = atifRun('offset-edge', { steps: 1 });
    doc.steps[0]!.timestamp = '0000-01-01T00:30:00+01:00';
    const saved = await store.insertTrajectory(doc);
    expect(saved.warnings.map((w) => w.path)).toEqual(['steps[0].timestamp']);
    expect((await store.getTrajectory(saved.id))!.summary.firstStepAt).toBeNull();
  });
});
