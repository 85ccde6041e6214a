/**
 * A replace import fills the change log by one statement after the rows, with its insert trigger set aside
 * meanwhile (src/store/snapshot-replace.ts). What it leaves must be exactly what the triggers leave row by row:
 * change numbers going on from the old ones in the rows' order, the same rollup cells, values and value types; the
 * trigger back as declared, keeping the log for every later write.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import { describe, expect, test } from 'vitest';
import type { StoreCore } from '../src/store/store.js';
import { atifRun, openCore, testgenSession } from './fixtures.js';

const day = (d: number) => `2025-03-${String(d).padStart(2, '0')}T10:00:00.000Z`;

/** Cells of every kind: several days, agents and models, no model, scores and none, tokens and cost unknown. */
function fill(core: StoreCore): void {
  core.insertMany([
    atifRun('a1', { agent: 'codex', model: 'gpt-5', start: day(1) }),
    atifRun('a2', { agent: 'codex', model: 'gpt-5', start: day(1), steps: 6 }),
    atifRun('a3', { agent: 'aider', model: 'claude-sonnet-4', start: day(2), steps: 7 }),
    atifRun('a4', { agent: 'aider', model: 'claude-sonnet-4', start: day(2), steps: 3 }),
    { testgen: testgenSession('tg-4', { comprehensivenessScore: 4, startedAt: day(1) }) },
    { testgen: testgenSession('tg-9', { comprehensivenessScore: 9, startedAt: day(1) }) },
    { testgen: testgenSession('tg-6', { comprehensivenessScore: 6.5, startedAt: day(3) }) },
    { testgen: testgenSession('tg-none', { comprehensivenessScore: null, modelName: undefined, status: 'running' }) },
  ]);
}

/** The rollup as stored, with each value's SQLite type (an integer summed as a real would show here). */
const rollup = (db: Database) =>
  db.selectArrays(
    `SELECT *, typeof(steps), typeof(tokens), typeof(cost), typeof(score_sum), typeof(min_score)
     FROM trajectory_stats_daily ORDER BY day, agent_name, has_model, model`,
  );
const changes = (db: Database) =>
  db.selectArrays('SELECT t.id, c.change FROM trajectory_changes c JOIN trajectories t USING (seq) ORDER BY c.change');
const schema = (db: Database) => db.selectArrays('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name');

/** A store holding other trajectories, whose change numbers have gone some way already. */
async function storeWithOldData() {
  const { core, db } = await openCore();
  core.insertMany([atifRun('old-1', { agent: 'other', start: day(9) }), atifRun('old-2', { agent: 'other' })]);
  core.insertTrajectory(atifRun('old-1', { agent: 'other', start: day(9), steps: 5 }), { onConflict: 'replace' });
  return { core, db };
}

describe('a replace import fills the change log after the rows', () => {
  test('with exactly what the triggers write row by row', async () => {
    const source = await openCore();
    fill(source.core); // row by row, by the triggers
    const { core, db } = await storeWithOldData();
    const declared = schema(db);
    const lastChange = Number(db.selectValue("SELECT seq FROM sqlite_sequence WHERE name = 'trajectory_changes'"));

    core.importSnapshot(source.core.exportSnapshot(), { mode: 'replace' });

    expect(rollup(db)).toStrictEqual(rollup(source.db));
    expect(core.getStats()).toStrictEqual(source.core.getStats());
    // New change numbers, after every one given before, in the rows' order (what the trigger gave each insert).
    const ids = db.selectValues('SELECT id FROM trajectories ORDER BY seq');
    expect(changes(db)).toStrictEqual(ids.map((id, i) => [id, lastChange + 1 + i]));
    expect(schema(db)).toStrictEqual(declared);
    expect(db.selectValue('PRAGMA integrity_check')).toBe('ok');
  });

  test('and the triggers keep both again for the writes after it', async () => {
    const source = await openCore();
    fill(source.core);
    const { core, db } = await storeWithOldData();
    core.importSnapshot(source.core.exportSnapshot(), { mode: 'replace' });
    const last = Number(db.selectValue('SELECT max(change) FROM trajectory_changes'));

    for (const store of [core, source.core]) {
      store.insertTrajectory(atifRun('a5', { agent: 'codex', model: 'gpt-5', start: day(1), steps: 2 }));
      store.insertTrajectory(atifRun('a3', { agent: 'codex', model: 'o3', start: day(4) }), { onConflict: 'replace' });
      store.deleteTrajectory('tg-9');
    }
    expect(rollup(db)).toStrictEqual(rollup(source.db));
    expect(changes(db).slice(-2)).toStrictEqual([
      ['a5', last + 1],
      ['a3', last + 2],
    ]);
  });

  test('a failed import leaves the triggers and the change log as they were', async () => {
    const source = await openCore();
    fill(source.core);
    const { core, db } = await storeWithOldData();
    const before = core.exportSnapshot();
    db.exec(
      "CREATE TEMP TRIGGER fail_late BEFORE INSERT ON main.trajectories WHEN NEW.id = 'tg-none' BEGIN SELECT RAISE(ABORT, 'disk went away'); END",
    );
    expect(() => core.importSnapshot(source.core.exportSnapshot(), { mode: 'replace' })).toThrow('disk went away');
    db.exec('DROP TRIGGER fail_late');
    expect(Buffer.from(core.exportSnapshot()).equals(Buffer.from(before))).toBe(true);
  });
});
