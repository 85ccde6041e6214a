/**
 * The per-day stats rollup (migrations/008) is kept with every write: after any mix of saves, replacements that
 * move a row to another day, agent, model or score, deletes and snapshot imports, it holds exactly what grouping
 * the summary rows gives; and getStats answers from it as it did from the rows.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import { describe, expect, test } from 'vitest';
import { openTrajectoryStore } from '../src/node.js';
import { LATEST_SCHEMA_VERSION } from '../src/store/migration-files.js';
import type { TrajectoryStats } from '../src/contract/results.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { StoreCore } from '../src/store/store.js';
import { atifRun, openCore, testgenSession } from './fixtures.js';

type Cell = Record<string, unknown>;

const ROLLUP = `SELECT day, agent_name, CASE WHEN has_model THEN model END AS model_name, count, steps, tokens,
  round(cost, 9) AS cost, score_sum, scored, min_score, max_score, with_tokens, with_cost
  FROM trajectory_stats_daily ORDER BY 1, 2, 3`;
const GROUPED = `SELECT substr(coalesce(first_step_at, created_at), 1, 10) AS day, agent_name, model_name,
  count(*) AS count, total(step_count) AS steps, total(total_tokens) AS tokens, round(total(total_cost_usd), 9) AS cost,
  total(comprehensiveness_score) AS score_sum, count(comprehensiveness_score) AS scored,
  min(comprehensiveness_score) AS min_score, max(comprehensiveness_score) AS max_score,
  count(total_tokens) AS with_tokens, count(total_cost_usd) AS with_cost
  FROM trajectories GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

function rows(db: Database, sql: string): Cell[] {
  return db
    .selectObjects(sql)
    .map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, v === null ? null : typeof v === 'string' ? v : Number(v)]),
      ),
    );
}

function expectRollupExact(db: Database): void {
  expect(rows(db, ROLLUP)).toEqual(rows(db, GROUPED));
}

const day = (d: number) => `2025-03-${String(d).padStart(2, '0')}T10:00:00.000Z`;

function fill(core: StoreCore): void {
  core.insertMany([
    atifRun('a1', { agent: 'codex', model: 'gpt-5', start: day(1) }),
    atifRun('a2', { agent: 'codex', model: 'gpt-5', start: day(1), steps: 6 }),
    atifRun('a3', { agent: 'aider', model: 'claude-sonnet-4', start: day(2) }),
    { testgen: testgenSession('tg-4', { comprehensivenessScore: 4, startedAt: day(1) }) },
    { testgen: testgenSession('tg-9', { comprehensivenessScore: 9, startedAt: day(1) }) },
    { testgen: testgenSession('tg-6', { comprehensivenessScore: 6, startedAt: day(1) }) },
    { testgen: testgenSession('tg-none', { comprehensivenessScore: null, modelName: undefined }) },
  ]);
}

describe('the stats rollup', () => {
  test('follows inserts, replacements that move rows between cells, and deletes, exactly', async () => {
    const { core, db } = await openCore();
    fill(core);
    expectRollupExact(db);

    // Replaced: another model and day (a2 leaves its cell), a longer run in place (a1 stays).
    const replace = { onConflict: 'replace' } as const;
    core.insertTrajectory(atifRun('a2', { agent: 'codex', model: 'o3', start: day(3), steps: 8 }), replace);
    core.insertTrajectory(atifRun('a1', { agent: 'codex', model: 'gpt-5', start: day(1), steps: 9 }), replace);
    // The highest and the lowest score of a cell go: its min and max are read again.
    core.insertTestGenTrajectory(testgenSession('tg-9', { comprehensivenessScore: 5, startedAt: day(1) }));
    expect(core.deleteTrajectory('tg-4')).toBe(true);
    expectRollupExact(db);
    expect(core.getStats({ agentName: 'testgen' }).totals).toMatchObject({ minScore: 5, maxScore: 6, count: 3 });

    // Every row of a cell goes: so does the cell.
    core.deleteTrajectory('a3');
    expectRollupExact(db);
    expect(rows(db, ROLLUP).some((cell) => cell.agent_name === 'aider')).toBe(false);
    for (const id of ['a1', 'a2', 'tg-9', 'tg-6', 'tg-none']) core.deleteTrajectory(id);
    expect(rows(db, ROLLUP)).toEqual([]);
  });

  test('follows a snapshot import, replace and merge', async () => {
    const { core: source } = await openCore();
    fill(source);
    const { core, db } = await openCore();
    core.insertTrajectory(atifRun('old', { agent: 'other', start: day(9) }));
    core.importSnapshot(source.exportSnapshot(), { mode: 'merge' });
    expectRollupExact(db);
    core.importSnapshot(source.exportSnapshot(), { mode: 'replace' });
    expectRollupExact(db);
    expect(core.getStats().totals.count).toBe(7);
  });

  test('getStats answers from the rollup what it answered from the summary rows', async () => {
    const { core } = await openCore();
    fill(core);
    core.insertTrajectory(atifRun('a2', { agent: 'codex', model: 'o3', start: day(3) }));
    core.deleteTrajectory('tg-4');
    for (const filter of [{}, { agentName: 'codex' }, { modelName: 'gpt-5' }, { agentName: 'testgen' }]) {
      // A created-at bound before every row takes the summary rows and selects them all.
      expectSameStats(core.getStats(filter), core.getStats({ ...filter, createdFrom: EPOCH }));
    }
  });

  test('bounds on the start: whole days from the rollup, other times from the rows, the same runs either way', async () => {
    const { core } = await openCore();
    fill(core);
    core.insertTrajectory(atifRun('a4', { agent: 'codex', model: 'gpt-5', start: day(3) }));
    const days = { startedFrom: '2025-03-02T00:00:00.000Z', startedTo: '2025-03-03T23:59:59.999Z' };
    for (const filter of [days, { startedFrom: days.startedFrom }, { startedTo: days.startedTo }]) {
      expectSameStats(core.getStats(filter), core.getStats({ ...filter, createdFrom: EPOCH }));
    }
    expect(core.getStats(days).byAgent.map((g) => [g.agentName, g.count])).toEqual([
      ['aider', 1],
      ['codex', 1],
    ]);
    // Not a whole day: the rows answer, to the millisecond (a3 started at 10:00 on the 2nd; tg-none, never
    // started, counts from when it was saved: now).
    const later = core.getStats({ startedFrom: '2025-03-02T10:00:00.001Z' });
    expect(later.byAgent.map((g) => g.agentName).sort()).toEqual(['codex', 'testgen']);
    expect(
      core
        .listTrajectories(days)
        .items.map((t) => t.id)
        .sort(),
    ).toEqual(['a3', 'a4']);
  });

  test('an existing database is upgraded: its rollup is built from the rows it holds', async () => {
    const { core, db } = await openCore();
    fill(core);
    // Back to what 007 left: no rollup, no 008 or 011 row.
    db.exec(`DROP TRIGGER trajectory_stats_insert; DROP TRIGGER trajectory_stats_delete;
      DROP TRIGGER trajectory_stats_update; DROP TABLE trajectory_stats_daily;
      DELETE FROM _schema_version WHERE version IN ('008_stats_rollup', '011_stats_known_counts');`);
    const at006 = core.exportSnapshot();
    const upgraded = await openTrajectoryStore({ snapshot: at006 });
    expect((await upgraded.info()).schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expectSameStats(await upgraded.getStats(), await upgraded.getStats({ createdFrom: EPOCH }));
    expect((await upgraded.getStats()).totals.count).toBe(7);
    expect((await upgraded.getStats({ agentName: 'aider' })).totals.totalCostUsd).toBeGreaterThan(0);
    expect((await upgraded.getStats({ agentName: 'testgen' })).totals).toMatchObject({ totalCostUsd: null });
  });
});

test('011 in place: known counts built from the rows, an unfinished testgen session\'s "0 tokens" unknown', async () => {
  const { core, db } = await openCore();
  fill(core);
  core.insertTestGenTrajectory(
    testgenSession('tg-running', { status: 'running', totalTokensUsed: 0, startedAt: day(1) }),
  );
  // As 010 left it: the rollup without its counts, and the running session's tokens saved as 0.
  db.exec(`DROP TRIGGER trajectory_stats_insert; DROP TRIGGER trajectory_stats_delete;
    DROP TRIGGER trajectory_stats_update; DROP TABLE trajectory_stats_daily;
    DELETE FROM _schema_version WHERE version IN ('008_stats_rollup', '011_stats_known_counts');
    UPDATE trajectories SET total_tokens = 0 WHERE id = 'tg-running';`);
  const migrated = new StoreCore(await loadSqlite3(), db);
  expectRollupExact(db);
  expect(migrated.getTrajectory('tg-running')!.summary.totalTokens).toBeNull();
  expect(migrated.getStats({ agentName: 'testgen' }).totals).toMatchObject({ count: 5, countWithTokens: 4 });
});

const EPOCH = '1970-01-01T00:00:00.000Z';

function expectSameStats(rollup: TrajectoryStats, scan: TrajectoryStats): void {
  const rounded = (stats: TrajectoryStats) =>
    JSON.parse(JSON.stringify(stats, (_, v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)));
  expect(rounded(rollup)).toEqual(rounded(scan));
}
