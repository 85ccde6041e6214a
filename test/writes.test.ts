import { describe, expect, test } from 'vitest';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { openTrajectoryStore } from '../src/node.js';
import type { AtifTrajectory } from '../src/schema/atif.js';
import { atifRun, catchError, openCore, rejection, testgenSession } from './fixtures.js';

describe('insertTrajectory', () => {
  test('saves the document exactly and computes the rollups from step metrics', async () => {
    const store = await openTrajectoryStore();
    const doc = atifRun('run-1', { steps: 4, start: '2025-11-12T22:22:17.000Z' });
    expect(await store.insertTrajectory(doc)).toEqual({
      id: 'run-1',
      sessionId: 'run-1',
      outcome: 'inserted',
      warnings: [],
    });
    const stored = (await store.getTrajectory('run-1'))!;
    expect(stored.trajectory).toStrictEqual(doc);
    expect(stored.testgen).toBeUndefined();
    // Steps 2..4 carry metrics: tokens 110*i, cost 0.001*i.
    expect(stored.summary).toMatchObject({
      id: 'run-1',
      kind: 'atif',
      sessionId: 'run-1',
      schemaVersion: 'ATIF-v1.6',
      agentName: 'claude-code',
      agentVersion: '1.0.0',
      modelName: 'claude-sonnet-4',
      stepCount: 4,
      firstStepAt: '2025-11-12T22:22:17.000Z',
      lastStepAt: '2025-11-12T22:22:21.000Z',
      totalTokens: 110 * (2 + 3 + 4),
    });
    expect(stored.summary.totalCostUsd).toBeCloseTo(0.009, 10);
  });

  test('prefers final_metrics, normalises zone-less and offset timestamps to UTC, and falls back to the agent step model', async () => {
    const { core } = await openCore();
    core.insertTrajectory({
      schema_version: 'ATIF-v1.5',
      session_id: 'fm',
      agent: { name: 'a', version: '1' },
      steps: [
        { step_id: 1, source: 'user', message: 'go', timestamp: '2025-03-01T10:00:00+02:00' },
        {
          step_id: 2,
          source: 'agent',
          message: 'done',
          timestamp: '2025-03-01T07:59:00.123456',
          model_name: 'gpt-5',
          metrics: { prompt_tokens: 1, completion_tokens: 1, cost_usd: 1 },
        },
      ],
      final_metrics: { total_prompt_tokens: 1000, total_completion_tokens: 234, total_cost_usd: 0.5 },
    });
    expect(core.getTrajectory('fm')!.summary).toMatchObject({
      modelName: 'gpt-5',
      totalTokens: 1234,
      totalCostUsd: 0.5,
      firstStepAt: '2025-03-01T07:59:00.123Z',
      lastStepAt: '2025-03-01T08:00:00.000Z',
    });
  });

  test('reports unknown tokens and cost as null, not zero', async () => {
    const { core } = await openCore();
    core.insertTrajectory({
      schema_version: 'ATIF-v1.2',
      session_id: 'bare',
      agent: { name: 'a', version: '1' },
      steps: [],
    });
    expect(core.getTrajectory('bare')!.summary).toMatchObject({
      stepCount: 0,
      totalTokens: null,
      totalCostUsd: null,
      firstStepAt: null,
    });
  });

  test('a growing checkpoint replaces its id cleanly: one row, new content, no stale search hits, createdAt kept', async () => {
    const { core, db } = await openCore();
    const checkpoint = { ...atifRun('grow', { steps: 2 }), notes: 'alpha checkpoint' };
    expect(core.insertTrajectory(checkpoint).outcome).toBe('inserted');
    const first = core.getTrajectory('grow')!.summary;
    expect(core.insertTrajectory(checkpoint).outcome).toBe('unchanged');
    expect(core.getTrajectory('grow')!.summary.updatedAt).toBe(first.updatedAt);
    const grown = core.insertTrajectory({ ...atifRun('grow', { steps: 6 }), notes: 'omega final' });
    expect(grown).toMatchObject({ id: 'grow', outcome: 'replaced' });
    const second = core.getTrajectory('grow')!.summary;
    expect(db.selectValue('SELECT count(*) FROM trajectories')).toBe(1);
    expect(db.selectValue('SELECT count(*) FROM trajectory_search')).toBe(1);
    expect(second.stepCount).toBe(6);
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt >= first.updatedAt).toBe(true);
    expect(core.searchTrajectories('alpha').items).toEqual([]);
    expect(core.searchTrajectories('omega').items.map((h) => h.id)).toEqual(['grow']);
  });

  test('keys by trajectory_id, so runs sharing a session_id never overwrite each other', async () => {
    const { core } = await openCore();
    const run = (trajectoryId: string, text: string): AtifTrajectory => ({
      ...atifRun('shared-session', { version: 'ATIF-v1.7', text }),
      trajectory_id: trajectoryId,
    });
    expect(core.insertTrajectory(run('task-a', 'first task'))).toMatchObject({
      id: 'task-a',
      sessionId: 'shared-session',
    });
    expect(core.insertTrajectory(run('task-b', 'second task'))).toMatchObject({
      id: 'task-b',
      sessionId: 'shared-session',
    });
    const items = core.listTrajectories({ sessionId: 'shared-session' }).items;
    expect(items.map((s) => s.id).sort()).toEqual(['task-a', 'task-b']);
  });
});

describe('insertTestGenTrajectory', () => {
  test('saves both tables and returns the data exactly as given, the document in the original snake_case form', async () => {
    const { core, db } = await openCore();
    const data = testgenSession('tg-1', {
      status: 'failed',
      error: 'model timed out',
      startedAt: '2025-05-01T09:00:00+01:00',
    });
    expect(core.insertTestGenTrajectory(data)).toEqual({
      id: 'tg-1',
      sessionId: 'tg-1',
      outcome: 'inserted',
      warnings: [],
    });
    const stored = core.getTrajectory('tg-1')!;
    expect(stored.testgen).toStrictEqual(data);
    expect(stored.trajectory).toMatchObject({
      session_id: 'tg-1',
      task_id: 'regex-log',
      tests: data.tests,
      uncertainties: data.uncertainties,
    });
    expect(stored.summary).toMatchObject({
      kind: 'testgen',
      schemaVersion: 'testgen-v1.0',
      agentName: 'testgen',
      stepCount: 0,
      totalTokens: 12_345,
      taskId: 'regex-log',
      totalTests: 3,
      comprehensivenessScore: 8,
      status: 'failed',
      firstStepAt: '2025-05-01T08:00:00.000Z',
    });
    const row = db.selectObject('SELECT * FROM testgen_trajectories WHERE id = ?', ['tg-1'])!;
    expect(JSON.parse(String(row.tests))).toEqual(data.tests);
    expect(JSON.parse(String(row.reflections))).toEqual(data.reflections);
    expect(JSON.parse(String(row.environment))).toEqual(data.environment);
    expect(row).toMatchObject({
      task_description: data.taskDescription,
      total_rounds: 4,
      duration_ms: 45_000,
      error: 'model timed out',
    });
  });

  test('writes both tables in one transaction: a failure in the second leaves no orphan', async () => {
    const { core, db } = await openCore();
    db.exec(
      `CREATE TRIGGER fail_second AFTER INSERT ON testgen_trajectories BEGIN SELECT RAISE(ABORT, 'disk said no'); END`,
    );
    const error = catchError(() => core.insertTestGenTrajectory(testgenSession('tg-x')));
    expect(error.code).toBe('storage');
    expect(error.message).toMatch(/disk said no/);
    expect(db.selectValue('SELECT count(*) FROM trajectories')).toBe(0);
    expect(db.selectValue('SELECT count(*) FROM trajectory_search')).toBe(0);
  });

  test('refuses unknown fields, bad scores and confidences, each at its path', async () => {
    const store = await openTrajectoryStore();
    const bad = {
      ...testgenSession('tg'),
      comprehensivenessScore: 11,
      typo: true,
      tests: [{ category: 'boundary', input: 'x', confidence: 2 }],
    };
    const error = await rejection(store.insertTestGenTrajectory(bad as never));
    expect(error.code).toBe('validation');
    expect(error.issues!.map((i) => i.path).sort()).toEqual(['comprehensivenessScore', 'tests[0].confidence', 'typo']);
  });

  test("an ATIF document under a testgen row's id is kept beside it; with replace it takes its place, and the testgen row goes", async () => {
    const { core, db } = await openCore();
    core.insertTestGenTrajectory(testgenSession('same'));
    expect(core.insertTrajectory(atifRun('same'))).toMatchObject({
      id: 'same~2',
      outcome: 'renamed',
      originalId: 'same',
    });
    expect(core.getTrajectory('same')!.summary.kind).toBe('testgen');
    core.deleteTrajectory('same~2');
    expect(core.insertTrajectory(atifRun('same'), { onConflict: 'replace' }).outcome).toBe('replaced');
    expect(core.getTrajectory('same')!.summary.kind).toBe('atif');
    expect(db.selectValue('SELECT count(*) FROM testgen_trajectories')).toBe(0);
  });
});

describe('insertMany', () => {
  test('saves thousands in few transactions and reports progress per batch', async () => {
    const { core, db } = await openCore();
    const items = Array.from({ length: 2_000 }, (_, i) =>
      i % 4 === 0 ? { testgen: testgenSession(`tg-${i}`) } : atifRun(`run-${i}`, { steps: 2 }),
    );
    let commits = 0;
    (await loadSqlite3()).capi.sqlite3_commit_hook(
      db,
      () => {
        commits++;
        return 0;
      },
      0,
    );
    const progress: Array<{ done: number; total: number }> = [];
    const result = core.insertMany(items, { onProgress: (p) => progress.push(p) });
    expect(result).toEqual({
      inserted: 2_000,
      replaced: 0,
      unchanged: 0,
      skipped: 0,
      rejected: [],
      renamed: [],
      warnings: [],
    });
    expect(commits).toBe(4);
    expect(progress).toEqual([500, 1000, 1500, 2000].map((done) => ({ done, total: 2000 })));
    expect(core.info().trajectoryCount).toBe(2_000);
  });

  test('reports each rejected item with its issues and saves the rest', async () => {
    const { core } = await openCore();
    const result = core.insertMany([
      atifRun('ok-1'),
      { ...atifRun('bad-1'), steps: 'none' },
      { testgen: { ...testgenSession('bad-2'), totalTests: -1 } },
      { testgen: testgenSession('ok-2'), extra: 1 },
      'not a trajectory',
      { testgen: testgenSession('ok-3') },
    ]);
    expect(result.inserted).toBe(2);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4]);
    expect(result.rejected[0]!.issues).toContainEqual({ path: 'steps', message: expect.stringMatching(/array/) });
    expect(result.rejected[1]!.issues).toContainEqual({ path: 'testgen.totalTests', message: expect.any(String) });
    expect(result.rejected[2]!.issues).toEqual([{ path: 'extra', message: 'unexpected beside testgen' }]);
    expect(
      core
        .listTrajectories()
        .items.map((s) => s.id)
        .sort(),
    ).toEqual(['ok-1', 'ok-3']);
  });

  test('onConflict: the identity rule (default), replace, skip and keep-both, including duplicates within one call', async () => {
    const { core } = await openCore();
    core.insertTrajectory(atifRun('dup', { text: 'original' }));

    // By default a different trajectory under a taken id is kept beside it, and the same one is left unchanged.
    const kept1 = core.insertMany([atifRun('dup', { text: 'newcomer' }), atifRun('dup', { text: 'original' })]);
    expect(kept1).toMatchObject({ inserted: 1, replaced: 0, unchanged: 1 });
    expect(kept1.renamed).toEqual([{ index: 0, id: 'dup~2', originalId: 'dup' }]);
    core.deleteTrajectory('dup~2');

    expect(core.insertMany([atifRun('dup', { text: 'replacement' })], { onConflict: 'replace' })).toMatchObject({
      inserted: 0,
      replaced: 1,
    });
    expect(core.searchTrajectories('replacement').items).toHaveLength(1);

    expect(
      core.insertMany([atifRun('dup', { text: 'ignored' }), atifRun('new')], { onConflict: 'skip' }),
    ).toMatchObject({ inserted: 1, skipped: 1, replaced: 0 });
    expect(core.searchTrajectories('ignored').items).toHaveLength(0);

    const kept = core.insertMany([atifRun('dup', { text: 'second copy' }), atifRun('dup', { text: 'third copy' })], {
      onConflict: 'keep-both',
    });
    expect(kept).toMatchObject({ inserted: 2, replaced: 0, skipped: 0 });
    expect(kept.renamed).toEqual([
      { index: 0, id: 'dup~2', originalId: 'dup' },
      { index: 1, id: 'dup~3', originalId: 'dup' },
    ]);
    expect(core.getTrajectory('dup~3')!.trajectory).toStrictEqual(atifRun('dup', { text: 'third copy' }));
    expect(core.listTrajectories({ sessionId: 'dup' }).items).toHaveLength(3);
  });

  test('a batch writes the same rows and search index as the same items saved one at a time', async () => {
    // A batch writes its search text at its end (search-index.ts SearchTextWrites): every row there once, with
    // its last text, old entries of replaced rows gone; the same id twice in one batch included.
    const grown = (id: string, steps: number, text: string) => atifRun(id, { steps, text });
    const first = [
      grown('a', 2, 'alpha first'),
      grown('cjk', 3, '修复测试 失败了'),
      atifRun('gone', { text: 'old words' }),
    ];
    const second = [
      grown('a', 4, 'alpha first'), // continues the stored 'a': replaced, from an earlier batch
      grown('b', 2, 'beta'),
      grown('b', 3, 'beta'), // continues the 'b' written just before, in this batch
      atifRun('gone', { text: 'new words 新しい' }), // a different run under a taken id: kept beside it
      { testgen: testgenSession('tg') },
      atifRun('a', { steps: 4, text: 'alpha first' }), // unchanged
    ];
    const replacing = [atifRun('gone', { text: 'replaced words' }), grown('c', 2, 'gamma')];
    const { core: batched, db: batchedDb } = await openCore();
    batched.insertMany(first);
    batched.insertMany(second);
    batched.insertMany(replacing, { onConflict: 'replace' });
    const { core: single, db: singleDb } = await openCore();
    const saveOne = (item: unknown, onConflict?: 'replace') =>
      typeof item === 'object' && item !== null && 'testgen' in item
        ? single.insertTestGenTrajectory((item as { testgen: unknown }).testgen)
        : single.insertTrajectory(item, onConflict ? { onConflict } : {});
    for (const item of [...first, ...second]) saveOne(item);
    for (const item of replacing) saveOne(item, 'replace');

    const index = async (core: typeof single, db: typeof singleDb) => ({
      summaries: core.listTrajectories({ limit: 100 }).items.map(({ createdAt, updatedAt, ...rest }) => rest),
      body: db.selectArrays('SELECT rowid, body FROM trajectory_search ORDER BY rowid'),
      unsegmented: db.selectArrays('SELECT rowid, unsegmented FROM trajectory_search_unsegmented ORDER BY rowid'),
      hits: ['alpha', 'beta', 'words', 'old', 'replaced', '测试', '新しい', 'regex'].map((q) =>
        core.searchTrajectories(q).items.map((hit) => [hit.id, hit.snippet]),
      ),
    });
    const expected = await index(single, singleDb);
    expect(await index(batched, batchedDb)).toEqual(expected);
    expect(expected.body).toHaveLength(7); // a, cjk, gone, b (once), gone~2, tg, c
    for (const db of [batchedDb, singleDb]) {
      db.exec("INSERT INTO trajectory_search (trajectory_search) VALUES ('integrity-check')");
      db.exec("INSERT INTO trajectory_search_unsegmented (trajectory_search_unsegmented) VALUES ('integrity-check')");
    }
  });

  test('a storage failure rolls back the whole batch: no item half-written', async () => {
    const { core, db } = await openCore();
    db.exec(`CREATE TRIGGER fail_on_poison AFTER INSERT ON testgen_trajectories WHEN NEW.task_id = 'poison'
             BEGIN SELECT RAISE(ABORT, 'poisoned'); END`);
    const items = [
      atifRun('a'),
      { testgen: testgenSession('b') },
      { testgen: testgenSession('c', { taskId: 'poison' }) },
    ];
    expect(catchError(() => core.insertMany(items)).code).toBe('storage');
    expect(db.selectValue('SELECT count(*) FROM trajectories')).toBe(0);
    expect(db.selectValue('SELECT count(*) FROM testgen_trajectories')).toBe(0);
  });

  test('refuses what is not an array, and unknown options', async () => {
    const store = await openTrajectoryStore();
    expect((await rejection(store.insertMany({} as never))).code).toBe('validation');
    const error = await rejection(store.insertMany([], { onConflict: 'overwrite' } as never));
    expect(error.issues).toEqual([{ path: 'onConflict', message: expect.any(String) }]);
  });
});

describe('deleteTrajectory', () => {
  test('removes every trace: both tables and the search index', async () => {
    const { core, db } = await openCore();
    core.insertTestGenTrajectory(testgenSession('tg', { taskDescription: 'zebra crossing' }));
    core.insertTrajectory(atifRun('run', { text: 'zebra stripes 東京タワー' }));
    expect(core.deleteTrajectory('tg')).toBe(true);
    expect(core.deleteTrajectory('run')).toBe(true);
    expect(core.deleteTrajectory('run')).toBe(false);
    for (const table of [
      'trajectories',
      'testgen_trajectories',
      'trajectory_search',
      'trajectory_search_unsegmented',
    ]) {
      expect(db.selectValue(`SELECT count(*) FROM ${table}`), table).toBe(0);
    }
    expect(core.searchTrajectories('zebra').items).toEqual([]);
  });

  test('info() counts the room a delete leaves inside the database, which the next saves take before it grows', async () => {
    const store = await openTrajectoryStore();
    const big = (id: string) => atifRun(id, { steps: 40, text: 'x'.repeat(4000) });
    await store.insertMany(Array.from({ length: 20 }, (_, i) => big(`run-${i}`)));
    const full = await store.info();
    expect(full.freeBytes).toBe(0);
    for (let i = 0; i < 10; i++) await store.deleteTrajectory(`run-${i}`);
    const freed = await store.info();
    expect(freed).toMatchObject({ trajectoryCount: 10, sizeBytes: full.sizeBytes });
    // At least the deleted documents' text (4,000 characters each) is free again.
    expect(freed.freeBytes).toBeGreaterThan(10 * 4000);
    await store.insertMany(Array.from({ length: 5 }, (_, i) => big(`again-${i}`)));
    const refilled = await store.info();
    expect(refilled).toMatchObject({ trajectoryCount: 15, sizeBytes: full.sizeBytes });
    expect(refilled.freeBytes).toBeLessThan(freed.freeBytes);
  });
});

describe('change events', () => {
  test('subscribers hear of saves, deletes and imports after they commit, and a throwing subscriber harms nothing', async () => {
    const store = await openTrajectoryStore();
    const heard: unknown[] = [];
    store.subscribe(() => {
      throw new Error('bad listener');
    });
    const stop = store.subscribe((change) => heard.push(change));
    await store.insertTrajectory(atifRun('a'));
    await store.insertMany([atifRun('b'), { testgen: testgenSession('c') }]);
    await store.deleteTrajectory('a');
    await store.deleteTrajectory('nothing');
    await store.importSnapshot(await store.exportSnapshot(), { mode: 'merge' });
    stop();
    await store.insertTrajectory(atifRun('d'));
    expect(heard).toEqual([
      { type: 'saved', ids: ['a'] },
      { type: 'saved', ids: ['b', 'c'] },
      { type: 'deleted', ids: ['a'] },
      { type: 'imported', mode: 'merge', count: 2 },
    ]);
  });

  test('a closed store refuses calls with a typed error', async () => {
    const store = await openTrajectoryStore();
    await store.close();
    expect((await rejection(store.listTrajectories())).code).toBe('closed');
  });
});
