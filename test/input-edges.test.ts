/**
 * Inputs that broke the store when issue 8 tried it as an attacker would, each
 * through the public API (the Node store): refused with a typed error that
 * names what is wrong, or kept exactly and ordered right.
 */
import { describe, expect, test } from 'vitest';
import { openTrajectoryStore } from '../src/node.js';
import { exactJson } from '../src/schema/exact-json.js';
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

describe('values the store cannot keep are typed errors, never raw ones (issue 8, finding 8)', () => {
  test('a function or a Symbol in a document is refused with `validation` and its path, on every save path', async () => {
    const store = await openTrajectoryStore();
    const withFunction = { ...atifRun('fn'), extra: { callback: () => 1 } };
    const error = await rejection(store.insertTrajectory(withFunction));
    expect(error.code).toBe('validation');
    expect(error.issues).toEqual([{ path: 'extra.callback', message: expect.stringContaining('a function') }]);

    const withSymbol = atifRun('sym');
    (withSymbol.steps[1] as Record<string, unknown>).extra = { tag: Symbol('x') };
    const testgen = { ...testgenSession('tg'), environment: { platform: 'linux', filePreviews: [Symbol('p')] } };
    const many = await store.insertMany([withSymbol, { testgen }, atifRun('plain')]);
    expect(many.rejected).toEqual([
      { index: 0, issues: [{ path: 'steps[1].extra.tag', message: expect.stringContaining('a Symbol') }] },
      {
        index: 1,
        issues: [{ path: 'testgen.environment.filePreviews[0]', message: expect.stringContaining('a Symbol') }],
      },
    ]);
    expect((await store.listTrajectories()).items.map((s) => s.id)).toEqual(['plain']);
  });

  test('a document with toJSON is checked, summarised and stored as its JSON, and its snapshot imports again', async () => {
    const store = await openTrajectoryStore();
    const run = atifRun('dated');
    const withDate = { ...run, extra: { recordedAt: new Date(Date.UTC(2025, 0, 2)) } };
    const { id } = await store.insertTrajectory(withDate);
    expect((await store.getTrajectory(id))!.trajectory).toEqual({
      ...run,
      extra: { recordedAt: '2025-01-02T00:00:00.000Z' },
    });

    // A root toJSON that says something else: the id and summary are the stored document's, not the object's.
    const disguised = { ...atifRun('outer'), toJSON: () => atifRun('inner', { agent: 'inner-agent' }) };
    const saved = await store.insertTrajectory(disguised);
    expect(saved.id).toBe('inner');
    expect((await store.getTrajectory('inner'))!.summary.agentName).toBe('inner-agent');
    const notADocument = await rejection(store.insertTrajectory({ ...atifRun('x'), toJSON: () => 'text' }));
    expect(notADocument.issues?.[0]?.message).toContain('must be a JSON object');

    const copy = await openTrajectoryStore({ snapshot: await store.exportSnapshot() });
    expect((await copy.listTrajectories()).items.map((s) => s.id).sort()).toEqual(['dated', 'inner']);
  });

  test('sub-agents nested 3,000 deep are stored and read back whole (a warning says the check stopped), never a stack overflow', async () => {
    const store = await openTrajectoryStore();
    let doc: Record<string, unknown> = { ...atifRun('level-0', { steps: 1 }), trajectory_id: 'level-0' };
    for (let i = 1; i < 3_000; i++) {
      doc = { ...atifRun(`level-${i}`, { steps: 1 }), trajectory_id: `level-${i}`, subagent_trajectories: [doc] };
    }
    const saved = await store.insertTrajectory(doc);
    expect(saved.id).toBe('level-2999');
    expect(saved.warnings.map((w) => w.path)).toContain('');
    // As exact JSON text: a deep-equal assertion (and JSON.stringify) recurse past the stack at this depth.
    expect(exactJson((await store.getTrajectory(saved.id))!.trajectory)).toBe(exactJson(doc));
    expect((await store.searchTrajectories('failing')).items.map((h) => h.id)).toEqual(['level-2999']);
    const strict = await rejection(store.insertTrajectory(doc, { strict: true }));
    expect(strict.code).toBe('validation');
  });

  test('Node refuses unknown or misspelt open options, as a browser does', async () => {
    const error = await rejection(openTrajectoryStore({ nmae: 'x' } as never));
    expect(error.code).toBe('validation');
    expect(error.issues).toEqual([{ path: 'nmae', message: 'is not a known field' }]);
    await expect(openTrajectoryStore({ name: 'fine', storage: 'memory' })).resolves.toBeDefined();
  });
});

describe('figures that sum past the largest number (found by the long property run, seed 2048887400)', () => {
  test('are unknown, not Infinity: the run is kept exactly, replaced and deleted, and the stats stay numbers', async () => {
    const store = await openTrajectoryStore();
    const huge = atifRun('huge', { steps: 3 });
    for (const step of huge.steps) {
      step.metrics = { prompt_tokens: Number.MAX_VALUE, completion_tokens: 1, cost_usd: Number.MAX_VALUE };
    }
    await store.insertTrajectory(huge);
    const stored = await store.getTrajectory('huge');
    expect(stored?.trajectory).toEqual(huge);
    expect(stored?.summary).toMatchObject({ totalTokens: null, totalCostUsd: null });
    // Infinity - Infinity in the stats rollup was NaN, stored as NULL: the replace failed with a NOT NULL error.
    const replaced = await store.insertMany([atifRun('huge', { steps: 2 })], { onConflict: 'replace' });
    expect(replaced.replaced).toBe(1);
    expect(await store.deleteTrajectory('huge')).toBe(true);
    expect((await store.getStats()).totals).toMatchObject({ count: 0 });
    await store.close();
  });
});
