/**
 * The browser's view of the store (src/app/data, src/app/format): filters to
 * queries, search snippets to text runs, content to blocks, stats to chart
 * series; checked against the real store where they meet it.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { openTrajectoryStore, type TrajectoryStore } from '../src/node.js';
import {
  describeView,
  EMPTY_VIEW,
  isNarrowed,
  viewExport,
  viewFilter,
  viewQuery,
} from '../src/app/data/browser-view.js';
import {
  bucketFor,
  bucketStart,
  dailySeries,
  daysBetween,
  OTHER_LABEL,
  timeSeries,
} from '../src/app/data/chart-series.js';
import { ResultPages } from '../src/app/data/result-pages.js';
import { rangeSpan, startedWithin } from '../src/app/data/time-range.js';
import { contentBlocks, jsonText } from '../src/app/format/content.js';
import { describeError } from '../src/app/format/errors.js';
import { formatBytes, formatCost, formatDuration, formatScore, formatTokens } from '../src/app/format/numbers.js';
import { snippetRuns } from '../src/app/format/snippet.js';
import { readTestGen } from '../src/app/format/testgen-view.js';
import { downloadName } from '../src/app/io/download.js';

const stores: TrajectoryStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
async function store(): Promise<TrajectoryStore> {
  const s = await openTrajectoryStore();
  stores.push(s);
  return s;
}

function atif(id: string, agent: string, model: string, cost: number, text = 'hello') {
  return {
    schema_version: 'ATIF-v1.6',
    session_id: id,
    agent: { name: agent, version: '1', model_name: model },
    steps: [{ step_id: 1, timestamp: '2025-03-04T10:00:00Z', source: 'user' as const, message: `${text} ${id}` }],
    final_metrics: { total_cost_usd: cost },
  };
}

describe('browser view to queries', () => {
  test('the empty view lists everything, newest first', () => {
    expect(isNarrowed(EMPTY_VIEW)).toBe(false);
    expect(viewQuery(EMPTY_VIEW, 100)).toEqual({ orderBy: 'createdAt', order: 'desc', limit: 100 });
    expect(viewExport(EMPTY_VIEW, 'csv')).toEqual({
      orderBy: 'createdAt',
      order: 'desc',
      format: 'csv',
      defuseFormulas: true,
    });
  });

  test('form strings become typed filters; half-typed or empty fields filter nothing', () => {
    const view = {
      ...EMPTY_VIEW,
      agentName: 'claude-code',
      kind: 'testgen' as const,
      taskId: ' regex-log ',
      minCostUsd: '0.5',
      maxCostUsd: 'abc',
      minScore: '',
      maxScore: '8',
    };
    expect(viewFilter(view)).toEqual({
      agentName: 'claude-code',
      kind: 'testgen',
      taskId: 'regex-log',
      minCostUsd: 0.5,
      maxScore: 8,
    });
  });

  test('a date range covers whole local days', () => {
    const f = viewFilter({ ...EMPTY_VIEW, createdFrom: '2025-03-04', createdTo: '2025-03-04' });
    expect(new Date(f.createdFrom!).getTime()).toBe(new Date(2025, 2, 4, 0, 0, 0, 0).getTime());
    expect(new Date(f.createdTo!).getTime()).toBe(new Date(2025, 2, 4, 23, 59, 59, 999).getTime());
    expect(viewFilter({ ...EMPTY_VIEW, createdFrom: '04/03/2025' })).toEqual({});
  });

  test('a search is ranked unless a sort is chosen, and exports carry its text', () => {
    const view = { ...EMPTY_VIEW, text: 'timeout' };
    expect(viewQuery(view, 50)).toEqual({ limit: 50 });
    expect(viewQuery({ ...view, orderBy: 'totalCostUsd', order: 'asc' }, 50, 'c1')).toEqual({
      orderBy: 'totalCostUsd',
      order: 'asc',
      limit: 50,
      cursor: 'c1',
    });
    expect(viewExport(view, 'jsonl')).toEqual({ text: 'timeout', format: 'jsonl' });
    expect(describeView({ ...view, agentName: 'a' })).toBe('search "timeout", agent "a"');
  });

  test('every query the view makes is one the store accepts, and selects what it says', async () => {
    const s = await store();
    await s.insertMany([
      atif('a1', 'alpha', 'm1', 0.2),
      atif('a2', 'alpha', 'm2', 1.5),
      atif('b1', 'beta', 'm1', 3, 'timeout'),
    ]);
    const ids = async (view: typeof EMPTY_VIEW) =>
      (await s.listTrajectories(viewQuery(view, 10))).items.map((i) => i.id).sort();
    expect(await ids(EMPTY_VIEW)).toEqual(['a1', 'a2', 'b1']);
    expect(await ids({ ...EMPTY_VIEW, agentName: 'alpha', minCostUsd: '1' })).toEqual(['a2']);
    expect(await ids({ ...EMPTY_VIEW, modelName: 'm1', orderBy: 'totalCostUsd', order: 'asc' })).toEqual(['a1', 'b1']);
    const found = await s.searchTrajectories('timeout', viewQuery({ ...EMPTY_VIEW, text: 'timeout' }, 10));
    expect(found.items.map((i) => i.id)).toEqual(['b1']);
    const jsonl = await s.exportTrajectories(viewExport({ ...EMPTY_VIEW, text: 'timeout' }, 'jsonl'));
    expect(jsonl.trim().split('\n')).toHaveLength(1);
  });
});

describe('ResultPages', () => {
  test('loads keyset pages one at a time, and a reload re-reads as many rows as are shown', async () => {
    const s = await store();
    await s.insertMany(Array.from({ length: 25 }, (_, i) => atif(`t${String(i).padStart(2, '0')}`, 'a', 'm', i)));
    let changes = 0;
    const query = { ...EMPTY_VIEW, orderBy: 'totalCostUsd' as const, order: 'asc' as const };
    let queries = 0;
    const pages = new ResultPages(
      (cursor, limit = 10) => {
        queries++;
        return s.listTrajectories(viewQuery(query, limit, cursor));
      },
      () => changes++,
    );
    await pages.loadMore();
    expect(pages.rows.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `t${String(i).padStart(2, '0')}`));
    await pages.loadMore();
    expect(pages.rows).toHaveLength(20);
    expect(pages.complete).toBe(false);

    await s.insertTrajectory(atif('cheap', 'a', 'm', 0.5));
    queries = 0;
    await pages.reload();
    expect(queries).toBe(1); // the shown rows in one larger page
    expect(pages.rows).toHaveLength(20);
    expect(pages.rows[1]!.id).toBe('cheap');
    await pages.loadMore();
    expect(pages.rows).toHaveLength(26);
    expect(pages.rows.slice(18, 21).map((r) => r.id)).toEqual(['t17', 't18', 't19']); // no row lost or repeated at the seam
    expect(pages.complete).toBe(true);
    await pages.loadMore(); // nothing more: no request, no change
    expect(pages.rows).toHaveLength(26);
    expect(new Set(pages.rows.map((r) => r.id)).size).toBe(26);
    expect(changes).toBeGreaterThan(0);
  });

  test('a page that arrives after the list was abandoned is dropped', async () => {
    let release: () => void = () => {};
    const pages = new ResultPages(
      () => new Promise((resolve) => (release = () => resolve({ items: [{ id: 'late' } as never] }))),
      () => {},
    );
    const loading = pages.loadMore();
    pages.abandon();
    release();
    await loading;
    expect(pages.rows).toEqual([]);
  });

  test('a failed page is kept as the error, and the next attempt clears it', async () => {
    let fail = true;
    const pages = new ResultPages(
      async () => {
        if (fail) throw new Error('busy');
        return { items: [] };
      },
      () => {},
    );
    await pages.loadMore();
    expect((pages.error as Error).message).toBe('busy');
    fail = false;
    await pages.loadMore();
    expect(pages.error).toBeNull();
    expect(pages.complete).toBe(true);
  });
});

describe('snippetRuns', () => {
  test('cuts text into plain and marked runs', () => {
    expect(
      snippetRuns({
        text: 'a timeout in build',
        highlights: [
          [2, 9],
          [13, 18],
        ],
      }),
    ).toEqual([
      { text: 'a ', marked: false },
      { text: 'timeout', marked: true },
      { text: ' in ', marked: false },
      { text: 'build', marked: true },
    ]);
  });

  test('clamps, sorts and merges untrusted ranges; text is never lost or doubled', () => {
    const text = '<img src=x onerror=1> hello';
    const runs = snippetRuns({
      text,
      highlights: [
        [22, 99],
        [5, 8],
        [-4, 2],
        [6, 10],
        [3, 3],
      ],
    });
    expect(runs.map((r) => r.text).join('')).toBe(text);
    expect(runs.filter((r) => r.marked).map((r) => r.text)).toEqual(['<i', 'src=x', 'hello']);
  });

  test("matches the store's own snippets", async () => {
    const s = await store();
    await s.insertTrajectory(atif('x', 'a', 'm', 0, 'the deployment timed out after a timeout'));
    const [hit] = (await s.searchTrajectories('timeout')).items;
    const marked = snippetRuns(hit!.snippet)
      .filter((r) => r.marked)
      .map((r) => r.text.toLowerCase());
    expect(marked).toContain('timeout');
  });
});

describe('content and documents as text', () => {
  test('messages of every ATIF shape become text blocks; images are named, not loaded', () => {
    expect(contentBlocks('hi')).toEqual([{ kind: 'text', text: 'hi' }]);
    expect(contentBlocks('')).toEqual([]);
    expect(
      contentBlocks([
        { type: 'text', text: 'a' },
        { type: 'image', source: { media_type: 'image/png', path: 'x.png' } },
        7,
      ]),
    ).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'media', text: 'image: image/png at x.png' },
      { kind: 'json', text: '7' },
    ]);
    expect(contentBlocks({ tool: 'x' })).toEqual([{ kind: 'json', text: '{\n  "tool": "x"\n}' }]);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(jsonText(cyclic)).toBe('[object Object]');
  });

  test('a testgen session reads as categories in order of appearance, with rounds and confidence', () => {
    const view = readTestGen({
      taskId: 't',
      taskDescription: 'd',
      status: 'failed',
      error: 'boom',
      comprehensivenessScore: null,
      categoryRounds: { boundary: 2, existence: 1, integration: 1 },
      tests: [
        { id: '1', category: 'boundary', input: 'a', confidence: 0.5 },
        { id: '2', category: 'existence', input: 'b', expectedOutput: null },
        { id: '3', category: 'boundary', input: 'c', confidence: 1 },
        'junk',
      ],
      reflections: [
        { reflectionText: 'r1', action: 'refining' },
        { category: 'boundary', reflectionText: 'r2' },
      ],
      uncertainties: ['u', 3],
    });
    expect(view.categories.map((c) => [c.category, c.tests.map((t) => t.id), c.rounds, c.averageConfidence])).toEqual([
      ['boundary', ['1', '3'], 2, 0.75],
      ['existence', ['2'], 1, null],
    ]);
    expect(view.rounds).toEqual([
      { category: 'boundary', rounds: 2 },
      { category: 'existence', rounds: 1 },
      { category: 'integration', rounds: 1 },
    ]);
    expect(view.reflections.map((r) => r.text)).toEqual(['r1', 'r2']);
    expect(view.uncertainties).toEqual(['u']);
    expect([view.status, view.error, view.totalTests, view.environment]).toEqual(['failed', 'boom', 3, null]);
  });

  test('errors read as their message, code and every issue', async () => {
    const s = await store();
    const error = await s
      .insertTrajectory({ schema_version: 'ATIF-v1.6', agent: {}, steps: [{ step_id: 2 }] } as never, { strict: true })
      .catch((e: unknown) => e);
    const report = describeError(error);
    expect(report.code).toBe('validation');
    expect(report.issues.length).toBeGreaterThan(2);
    expect(report.issues.every((i) => typeof i.path === 'string' && i.message)).toBe(true);
    expect(describeError(new Error('plain'))).toEqual({ message: 'plain', code: null, issues: [] });
    expect(describeError('text')).toEqual({ message: 'text', code: null, issues: [] });
  });
});

describe('chart series', () => {
  test('one value per day and group, gaps filled, small groups summed as "other", ranked by count for every metric', async () => {
    const s = await store();
    const on = (day: string, id: string, agent: string, cost: number) => ({
      ...atif(id, agent, 'm', cost),
      steps: [{ step_id: 1, timestamp: `${day}T12:00:00Z`, source: 'user' as const, message: 'x' }],
    });
    await s.insertMany([
      on('2025-01-01', 'a', 'alpha', 1),
      on('2025-01-01', 'b', 'alpha', 1),
      on('2025-01-03', 'c', 'beta', 5),
      on('2025-01-03', 'd', 'gamma', 0.5),
      on('2025-01-03', 'e', 'delta', 0.25),
    ]);
    const stats = await s.getStats();
    const counts = dailySeries(stats, 'agent', 'count', 3);
    expect(counts.days).toEqual(['2025-01-01', '2025-01-02', '2025-01-03']);
    expect(counts.series.map((x) => x.label)).toEqual(['alpha', 'beta', OTHER_LABEL]);
    expect(counts.series.map((x) => x.values)).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [0, 0, 2],
    ]);
    const cost = dailySeries(stats, 'agent', 'totalCostUsd', 3);
    expect(cost.series.map((x) => x.label)).toEqual(['alpha', 'beta', OTHER_LABEL]);
    expect(cost.series.map((x) => x.values)).toEqual([
      [2, 0, 0],
      [0, 0, 5],
      [0, 0, 0.75],
    ]);
    expect(dailySeries({ ...stats, byDayAgentModel: [] }, 'model', 'count')).toEqual({ days: [], series: [] });
  });

  test('daysBetween lists calendar days, across months', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
});

describe('exports', () => {
  test('download names are dated, safe and keep their kind', () => {
    expect(downloadName('jsonl', 'trajectories', new Date(2025, 0, 2, 3, 4))).toBe(
      'trajectories-2025-01-02-0304.jsonl',
    );
    expect(downloadName('json', '../<img src=x>/run 1', new Date(2025, 0, 2, 3, 4))).toBe(
      'img_src_x_run_1-2025-01-02-0304.json',
    );
  });
});

describe('numbers as people read them', () => {
  test('unknown is a dash, not zero', () => {
    expect([formatTokens(null), formatCost(undefined), formatScore(null), formatDuration(-1)]).toEqual([
      '—',
      '—',
      '—',
      '—',
    ]);
  });

  test('costs keep enough digits to be told apart', () => {
    expect([formatCost(0), formatCost(0.0042), formatCost(0.127), formatCost(12.345)]).toEqual([
      '$0',
      '$0.0042',
      '$0.127',
      '$12.35',
    ]);
  });

  test('sizes, scores and durations', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual([
      '512 bytes',
      '1.5 KB',
      '5.0 GB',
    ]);
    expect([formatScore(8), formatScore(7.25)]).toEqual(['8/10', '7.3/10']);
    expect([formatDuration(450), formatDuration(59_000), formatDuration(61_000), formatDuration(3_720_000)]).toEqual([
      '450 ms',
      '59 s',
      '1 min 1 s',
      '1 h 2 min',
    ]);
  });
});

describe('time axis buckets', () => {
  const cell = (day: string, count: number) => ({
    day,
    agentName: 'a',
    modelName: 'm',
    count,
    stepCount: 0,
    totalTokens: 0,
    totalCostUsd: 0,
    averageScore: null,
    minScore: null,
    maxScore: null,
  });
  const statsOf = (cells: ReturnType<typeof cell>[]) =>
    ({ totals: cells[0]!, byAgent: [], byModel: [], byDay: [], byDayAgentModel: cells }) as unknown as Parameters<
      typeof timeSeries
    >[0];

  test('days up to two months, weeks up to a year, then months', () => {
    expect(bucketFor('2026-01-01', '2026-01-01')).toBe('day');
    expect(bucketFor('2026-01-01', '2026-03-04')).toBe('day');
    expect(bucketFor('2026-01-01', '2026-06-30')).toBe('week');
    expect(bucketFor('2024-11-26', '2026-11-26')).toBe('month');
    expect(bucketStart('2026-11-26', 'week')).toBe('2026-11-23'); // a Thursday's week starts on Monday
    expect(bucketStart('2026-11-23', 'week')).toBe('2026-11-23');
    expect(bucketStart('2026-11-26', 'month')).toBe('2026-11-01');
  });

  test('two years of days become 25 months, every count kept, gaps filled', () => {
    const series = timeSeries(
      statsOf([cell('2024-11-26', 2), cell('2025-06-15', 3), cell('2025-06-30', 1), cell('2026-11-26', 4)]),
      'agent',
      'count',
    );
    expect(series.bucket).toBe('month');
    expect(series.days).toHaveLength(25);
    expect(series.days[0]).toBe('2024-11');
    expect(series.days.at(-1)).toBe('2026-11');
    const values = series.series[0]!.values;
    expect(values.reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(10);
    expect(values[series.days.indexOf('2025-06')]).toBe(4);
  });

  test('half a year becomes weeks starting on Mondays', () => {
    const series = timeSeries(
      statsOf([cell('2026-01-01', 1), cell('2026-01-04', 1), cell('2026-06-30', 5)]),
      'agent',
      'count',
    );
    expect(series.bucket).toBe('week');
    expect(series.days[0]).toBe('2025-12-29'); // the Monday of the week
    expect(series.series[0]!.values[0]).toBe(2);
    expect(series.series[0]!.values.at(-1)).toBe(5);
    expect(series.days.length).toBe(27);
  });

  test('a range covers its last N days up to today, as whole UTC days, even where nothing started', () => {
    const now = Date.parse('2026-11-26T15:00:00Z');
    expect(rangeSpan('all', now)).toBeNull();
    const week = rangeSpan('7', now)!;
    expect(week).toEqual({ first: '2026-11-20', last: '2026-11-26' });
    expect(startedWithin(week)).toEqual({
      startedFrom: '2026-11-20T00:00:00.000Z',
      startedTo: '2026-11-26T23:59:59.999Z',
    });
    const series = timeSeries(statsOf([cell('2026-11-24', 2)]), 'agent', 'count', undefined, rangeSpan('30', now)!);
    expect(series.bucket).toBe('day');
    expect(series.days).toHaveLength(30);
    expect(series.days[0]).toBe('2026-10-28');
    expect(series.series[0]!.values.at(-3)).toBe(2);
  });
});
