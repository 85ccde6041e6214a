/** One status for every stored trajectory: derived at save, on the summary row, filterable, and carried over by 007. */
import { describe, expect, test } from 'vitest';
import type { AtifTrajectory } from '../src/schema/atif.js';
import { Connection } from '../src/store/connection.js';
import { MIGRATIONS } from '../src/store/migration-files.js';
import { migrate } from '../src/store/migrations.js';
import { StoreCore } from '../src/store/store.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { atifRun, catchError, openCore, testgenSession } from './fixtures.js';

function withStatus(doc: AtifTrajectory, status: unknown): AtifTrajectory {
  return { ...doc, extra: { status } };
}

const statuses = (core: StoreCore, filter: Parameters<StoreCore['listTrajectories']>[0] = {}) =>
  Object.fromEntries(core.listTrajectories(filter).items.map((s) => [s.id, s.status]));

describe('trajectory status', () => {
  test('comes from the document: testgen `status`, ATIF `extra.status`, else complete', async () => {
    const { core } = await openCore();
    core.insertTrajectory(withStatus(atifRun('a-running'), 'running'));
    core.insertTrajectory(withStatus(atifRun('a-failed'), 'failed'));
    core.insertTrajectory(withStatus(atifRun('a-odd'), 'succeeded')); // not a status word: a finished file
    core.insertTrajectory(atifRun('a-plain'));
    core.insertTestGenTrajectory(testgenSession('t-running', { status: 'running' }));
    core.insertTestGenTrajectory(testgenSession('t-incomplete', { status: 'incomplete' }));
    core.insertTestGenTrajectory(testgenSession('t-plain'));
    expect(statuses(core)).toEqual({
      'a-running': 'running',
      'a-failed': 'failed',
      'a-odd': 'complete',
      'a-plain': 'complete',
      't-running': 'running',
      't-incomplete': 'incomplete',
      't-plain': 'complete',
    });
    expect(core.getTrajectory('t-running')?.summary.status).toBe('running');
  });

  test('a re-save moves it on (a checkpoint that completes)', async () => {
    const { core } = await openCore();
    core.insertTestGenTrajectory(testgenSession('grow', { status: 'running' }));
    core.insertTrajectory(withStatus(atifRun('run', { steps: 2 }), 'running'));
    expect(statuses(core, { status: 'running' })).toEqual({ grow: 'running', run: 'running' });
    core.insertTestGenTrajectory(testgenSession('grow', { status: 'complete' }));
    core.insertTrajectory(withStatus(atifRun('run', { steps: 3 }), 'incomplete'));
    expect(statuses(core, { status: 'running' })).toEqual({});
    expect(statuses(core)).toEqual({ grow: 'complete', run: 'incomplete' });
  });

  test('filters lists, searches, stats and exports; an unknown status is an error', async () => {
    const { core } = await openCore();
    core.insertTrajectory(withStatus(atifRun('a1', { text: 'flaky build' }), 'failed'));
    core.insertTrajectory(atifRun('a2', { text: 'flaky build' }));
    core.insertTestGenTrajectory(testgenSession('t1', { status: 'failed', error: 'model timed out' }));
    expect(Object.keys(statuses(core, { status: 'failed' })).sort()).toEqual(['a1', 't1']);
    expect(core.searchTrajectories('flaky', { status: 'failed' }).items.map((s) => s.id)).toEqual(['a1']);
    expect(core.getStats({ status: 'complete' }).totals.count).toBe(1);
    const csv = core.exportTrajectories({ format: 'csv', status: 'failed' }).trim().split('\r\n');
    expect(csv).toHaveLength(3);
    const error = catchError(() => core.listTrajectories({ status: 'done' as never }));
    expect(error.code).toBe('validation');
    expect(error.issues?.[0]?.path).toBe('status');
  });

  test('migration 007 carries testgen and ATIF statuses over to the summary row', async () => {
    const sqlite3 = await loadSqlite3();
    const db = new sqlite3.oo1.DB(':memory:', 'c');
    const conn = new Connection(db);
    const upTo006 = MIGRATIONS.filter((m) => m.version < '007');
    migrate(conn, upTo006);
    const rows: Array<[string, 'atif' | 'testgen', string]> = [
      ['a-incomplete', 'atif', JSON.stringify(withStatus(atifRun('a-incomplete'), 'incomplete'))],
      ['a-odd', 'atif', JSON.stringify(withStatus(atifRun('a-odd'), 42))],
      ['a-broken', 'atif', '{not json'],
      ['t-failed', 'testgen', JSON.stringify({ session_id: 't-failed', status: 'failed' })],
      ['t-plain', 'testgen', JSON.stringify({ session_id: 't-plain' })],
    ];
    for (const [id, kind, json] of rows) {
      db.exec({
        sql: `INSERT INTO trajectories (id, kind, session_id, schema_version, agent_name, created_at, updated_at)
              VALUES (?, ?, ?, 'ATIF-v1.6', 'a', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`,
        bind: [id, kind, id],
      });
      db.exec({
        sql: 'INSERT INTO trajectory_documents (seq, trajectory) SELECT seq, ? FROM trajectories WHERE id = ?',
        bind: [json, id],
      });
    }
    for (const [id, status] of [
      ['t-failed', 'failed'],
      ['t-plain', 'complete'],
    ]) {
      db.exec({
        sql: `INSERT INTO testgen_trajectories (id, session_id, task_id, task_description, total_tests, total_rounds,
                total_tokens_used, duration_ms, tests, status, created_at)
              VALUES (?, ?, 'task', '', 0, 0, 0, 0, '[]', ?, '2025-01-01T00:00:00.000Z')`,
        bind: [id, id, status],
      });
    }
    migrate(conn, MIGRATIONS);
    const summary = db.selectArrays('SELECT id, status FROM trajectories ORDER BY id');
    expect(Object.fromEntries(summary)).toEqual({
      'a-broken': 'complete',
      'a-incomplete': 'incomplete',
      'a-odd': 'complete',
      't-failed': 'failed',
      't-plain': 'complete',
    });
    // The summary row is the one place that says it now.
    expect(db.selectValues("SELECT name FROM pragma_table_info('testgen_trajectories')")).not.toContain('status');
    const core = new StoreCore(sqlite3, db);
    expect(core.getTrajectory('t-failed')?.summary.status).toBe('failed');
  });
});
