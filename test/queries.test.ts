import { beforeAll, describe, expect, test } from 'vitest';
import { ORDER_BY, type TrajectoryQuery } from '../src/schema/query.js';
import type { TrajectorySummary } from '../src/contract/results.js';
import type { StoreCore } from '../src/store/store.js';
import { atifRun, catchError, openCore, testgenSession } from './fixtures.js';

/** A varied corpus: three agents, two models, testgen rows with scores, runs over three days. */
async function corpus(): Promise<StoreCore> {
  const { core, db } = await openCore();
  const items = [];
  for (let i = 0; i < 30; i++) {
    const agent = ['claude-code', 'codex', 'aider'][i % 3]!;
    const model = i % 2 === 0 ? 'claude-sonnet-4' : 'gpt-5';
    const day = `2025-06-0${1 + (i % 3)}T1${i % 10}:00:00Z`;
    items.push(atifRun(`run-${String(i).padStart(2, '0')}`, { agent, model, steps: 1 + (i % 5), start: day }));
  }
  for (let i = 0; i < 6; i++) {
    items.push({
      testgen: testgenSession(`tg-${i}`, {
        taskId: i < 3 ? 'task-a' : 'task-b',
        comprehensivenessScore: i < 5 ? i + 4 : null,
        startedAt: '2025-06-02T08:00:00Z',
      }),
    });
  }
  core.insertMany(items);
  // Spread created_at so ordering by it is meaningful (and ties exist, which seq must break).
  db.exec("UPDATE trajectories SET created_at = '2025-07-01T00:00:0' || (seq % 4) || '.000Z'");
  return core;
}

function walk(core: StoreCore, query: TrajectoryQuery): TrajectorySummary[] {
  const seen: TrajectorySummary[] = [];
  let cursor: string | undefined;
  do {
    const page = core.listTrajectories({ ...query, ...(cursor ? { cursor } : {}) });
    seen.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

let core: StoreCore;
beforeAll(async () => {
  core = await corpus();
});

describe('listTrajectories filters', () => {
  const cases: Array<[TrajectoryQuery, (s: TrajectorySummary) => boolean]> = [
    [{ agentName: 'codex' }, (s) => s.agentName === 'codex'],
    [{ modelName: 'gpt-5' }, (s) => s.modelName === 'gpt-5'],
    [{ sessionId: 'run-07' }, (s) => s.sessionId === 'run-07'],
    [{ schemaVersion: 'testgen-v1.0' }, (s) => s.kind === 'testgen'],
    [{ kind: 'atif' }, (s) => s.kind === 'atif'],
    [{ taskId: 'task-b' }, (s) => s.taskId === 'task-b'],
    [
      { minScore: 6, maxScore: 7 },
      (s) => s.comprehensivenessScore != null && s.comprehensivenessScore >= 6 && s.comprehensivenessScore <= 7,
    ],
    [{ minCostUsd: 0.005 }, (s) => (s.totalCostUsd ?? -1) >= 0.005],
    [{ maxCostUsd: 0.002 }, (s) => s.totalCostUsd !== null && s.totalCostUsd <= 0.002],
    [
      { createdFrom: '2025-07-01T00:00:01Z', createdTo: '2025-07-01T02:00:02+02:00' },
      (s) => s.createdAt >= '2025-07-01T00:00:01.000Z' && s.createdAt <= '2025-07-01T00:00:02.000Z',
    ],
    [
      { agentName: 'claude-code', modelName: 'claude-sonnet-4' },
      (s) => s.agentName === 'claude-code' && s.modelName === 'claude-sonnet-4',
    ],
  ];
  test.each(cases)('%j', (query, predicate) => {
    const all = walk(core, {});
    const expected = all
      .filter(predicate)
      .map((s) => s.id)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(
      walk(core, { ...query, limit: 4 })
        .map((s) => s.id)
        .sort(),
    ).toEqual(expected);
  });
});

describe('ordering and keyset cursors', () => {
  test.each(ORDER_BY.flatMap((orderBy) => (['asc', 'desc'] as const).map((order) => [orderBy, order] as const)))(
    'by %s %s: every row exactly once, in order',
    (orderBy, order) => {
      const rows = walk(core, { orderBy, order, limit: 7 });
      expect(rows).toHaveLength(36);
      expect(new Set(rows.map((r) => r.id)).size).toBe(36);
      const key = (s: TrajectorySummary) =>
        s[orderBy] ?? (typeof s.createdAt === 'string' && orderBy.endsWith('At') ? '' : -1);
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [key(rows[i - 1]!), key(rows[i]!)];
        if (order === 'asc') expect(a <= b, `${String(a)} <= ${String(b)}`).toBe(true);
        else expect(a >= b, `${String(a)} >= ${String(b)}`).toBe(true);
      }
    },
  );

  test('newest first by default, 50 a page', () => {
    const page = core.listTrajectories();
    expect(page.items).toHaveLength(36);
    expect(page.nextCursor).toBeUndefined();
    expect(page.items[0]!.createdAt >= page.items.at(-1)!.createdAt).toBe(true);
  });

  test('walks every row exactly once while rows are being added', async () => {
    const { core: live } = await openCore();
    live.insertMany(Array.from({ length: 25 }, (_, i) => atifRun(`old-${i}`)));
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let added = 0;
      do {
        const page = live.listTrajectories({ order, limit: 4, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((s) => s.id));
        cursor = page.nextCursor;
        live.insertTrajectory(atifRun(`new-${order}-${added++}`));
        // A re-save of a row already seen or not yet seen must not move it.
        live.insertTrajectory(atifRun(`old-${added % 25}`, { text: `re-saved ${added}` }), { onConflict: 'replace' });
      } while (cursor);
      const old = seen.filter((id) => id.startsWith('old-'));
      expect(old.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `old-${i}`).sort());
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  test('a cursor that was tampered with, or made for another ordering, is a validation error', () => {
    const page = core.listTrajectories({ limit: 2, orderBy: 'stepCount' });
    expect(catchError(() => core.listTrajectories({ cursor: 'garbage!!' })).issues).toEqual([
      { path: 'cursor', message: 'is not a cursor returned by this store' },
    ]);
    expect(catchError(() => core.listTrajectories({ cursor: page.nextCursor!, orderBy: 'totalTokens' })).code).toBe(
      'validation',
    );
    expect(
      catchError(() => core.listTrajectories({ cursor: btoa('{"o":"createdAt","d":"desc","k":"x","s":"1 OR 1=1"}') }))
        .code,
    ).toBe('validation');
    // A big-integer key beyond 64 bits, or not digits, is refused too (a key that fits is what a page of 2^60 gives).
    for (const int of ['9223372036854775808', '1e5', '12 OR 1=1']) {
      const cursor = btoa(JSON.stringify({ o: 'totalTokens', d: 'desc', k: { int }, s: 1 }));
      expect(catchError(() => core.listTrajectories({ cursor, orderBy: 'totalTokens' })).code).toBe('validation');
    }
    const fits = btoa(JSON.stringify({ o: 'totalTokens', d: 'desc', k: { int: '9223372036854775807' }, s: 1 }));
    expect(core.listTrajectories({ cursor: fits, orderBy: 'totalTokens' }).items.length).toBeGreaterThan(0);
  });

  test('refuses unknown filters, bad limits and bad timestamps, each named', () => {
    const error = catchError(() =>
      core.listTrajectories({ agent: 'x', limit: 0, createdFrom: 'last tuesday' } as never),
    );
    expect(error.issues!.map((i) => i.path).sort()).toEqual(['agent', 'createdFrom', 'limit']);
  });
});

describe('getStats', () => {
  test('counts, tokens, cost and scores in total and by agent, model and day', () => {
    const stats = core.getStats();
    const all = walk(core, {});
    expect(stats.totals.count).toBe(36);
    expect(stats.totals.totalTokens).toBe(all.reduce((n, s) => n + (s.totalTokens ?? 0), 0));
    expect(stats.totals.totalCostUsd).toBeCloseTo(
      all.reduce((n, s) => n + (s.totalCostUsd ?? 0), 0),
      10,
    );
    expect(stats.totals.stepCount).toBe(all.reduce((n, s) => n + s.stepCount, 0));
    expect(stats.totals).toMatchObject({ averageScore: (4 + 5 + 6 + 7 + 8) / 5, minScore: 4, maxScore: 8 });

    expect(Object.fromEntries(stats.byAgent.map((g) => [g.agentName, g.count]))).toEqual({
      'claude-code': 10,
      codex: 10,
      aider: 10,
      testgen: 6,
    });
    expect(stats.byModel.find((g) => g.modelName === 'gpt-5')!.count).toBe(15);
    expect(stats.byDay.map((d) => [d.day, d.count])).toEqual([
      ['2025-06-01', 10],
      ['2025-06-02', 16],
      ['2025-06-03', 10],
    ]);
    expect(stats.byDayAgentModel.reduce((n, c) => n + c.count, 0)).toBe(36);
    expect(stats.byDayAgentModel.find((c) => c.day === '2025-06-02' && c.agentName === 'testgen')!.count).toBe(6);
  });

  test('respects filters', () => {
    const stats = core.getStats({ agentName: 'codex', modelName: 'gpt-5' });
    expect(stats.totals.count).toBe(walk(core, { agentName: 'codex', modelName: 'gpt-5' }).length);
    expect(stats.byAgent.map((g) => g.agentName)).toEqual(['codex']);
    expect(stats.totals.averageScore).toBeNull();
  });
});
