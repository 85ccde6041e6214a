/**
 * The snapshot import reads and checks a file's rows a batch at a time and
 * writes each batch as it goes (a replace with a statement per table, not per
 * row), all in one transaction: what it writes must be what saves write, and
 * a failure of the write must undo everything and be reported as what it is.
 */
import { describe, expect, test } from 'vitest';
import { TrajectoryStoreError } from '../src/errors.js';
import { openTrajectoryStore } from '../src/node.js';
import type { TrajectoryStore } from '../src/contract/store.js';
import { MIGRATIONS } from '../src/store/migration-files.js';
import { SnapshotFile } from '../src/store/snapshot.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { atifRun, catchError, idsOf, openCore, testgenSession } from './fixtures.js';

/** Documents that exercise every column and both search tables. */
function variedItems(): Parameters<TrajectoryStore['insertMany']>[0] {
  const lone = atifRun('lone', { agent: 'agent \ud800 lone', text: 'surrogate \udc00 text wordy' });
  lone.steps[1]!.metrics = { prompt_tokens: 3, completion_tokens: 4, cost_usd: 0.1 + 0.2 };
  const noFigures = atifRun('no-figures', { steps: 1, text: '東京都の設定を修正しました' });
  const unknownVersion = { ...atifRun('odd', { text: 'wordy odd one' }), schema_version: '1.4' };
  return [
    atifRun('a', { text: 'wordy alpha', model: 'gpt-5' }),
    lone,
    noFigures,
    unknownVersion,
    { testgen: testgenSession('tg-1', { status: 'running', comprehensivenessScore: 7.25 }) },
    { testgen: testgenSession('tg-2', { comprehensivenessScore: null }) },
  ];
}

/** Everything a reader sees of a store: each trajectory whole, the stats, and what searches find. */
async function everything(store: TrajectoryStore) {
  const ids = await idsOf(store);
  const found = async (text: string) => (await store.searchTrajectories(text)).items.map((h) => h.id).sort();
  return {
    trajectories: await Promise.all(ids.map((id) => store.getTrajectory(id))),
    stats: await store.getStats(),
    searches: [await found('wordy'), await found('設定'), await found('surrogate'), await found('regex')],
  };
}

describe('importSnapshot streams the rows', () => {
  test('a replace writes exactly what saving the same documents wrote (columns, stats, both search indexes)', async () => {
    const source = await openTrajectoryStore();
    await source.insertMany(variedItems());
    const target = await openTrajectoryStore();
    await target.insertMany([atifRun('old', { text: 'wordy old' })]);
    await target.importSnapshot(await source.exportSnapshot(), { mode: 'replace' });
    const expected = await everything(source);
    expect(expected.searches).toEqual([['a', 'lone', 'odd'], ['no-figures'], ['lone'], ['tg-1', 'tg-2']]);
    expect(await everything(target)).toStrictEqual(expected);
    // The lone surrogates were stored as a bound string stores them (U+FFFD), in the summary too.
    expect((await target.getTrajectory('lone'))!.summary.agentName).toBe('agent \ufffd lone');
  });

  test('rows are checked and handed on a batch at a time while the file is read, not all at the end', async () => {
    const source = await openTrajectoryStore();
    await source.insertMany(Array.from({ length: 1201 }, (_, i) => atifRun(`r${i}`, { steps: 1 })));
    const file = SnapshotFile.open(await loadSqlite3(), await source.exportSnapshot(), MIGRATIONS);
    const events: string[] = [];
    const count = file.readRecords({
      write: (batch) => events.push(`write ${batch.length} from ${batch[0]!.record.id}`),
      onProgress: ({ done, total }) => events.push(`read ${done}/${total}`),
    });
    file.close();
    expect(count).toBe(1201);
    expect(events).toEqual([
      'write 500 from r0',
      'read 500/1201',
      'write 500 from r500',
      'read 1000/1201',
      'write 201 from r1000',
      'read 1201/1201',
    ]);
  });

  test('a replace keeps every index of the summary table as the migrations declared it, and uses them', async () => {
    const source = await openTrajectoryStore();
    await source.insertMany(variedItems());
    const { core, db } = await openCore();
    const schema = () => db.selectObjects('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name');
    const before = schema();
    core.importSnapshot(await source.exportSnapshot(), { mode: 'replace' });
    expect(schema()).toEqual(before);
    const plan = db.selectObjects(
      "EXPLAIN QUERY PLAN SELECT id FROM trajectories WHERE agent_name = 'x' ORDER BY created_at",
    );
    expect(plan.map((step) => step.detail).join()).toContain('trajectories_agent');
    expect(core.listTrajectories({ agentName: 'claude-code' }).items.map((s) => s.id)).toEqual([
      'odd',
      'no-figures',
      'a',
    ]);
  });

  test('a failure of the write is passed on as it is (not blamed on the file)', async () => {
    const source = await openTrajectoryStore();
    await source.insertMany([atifRun('a'), atifRun('b')]);
    const file = SnapshotFile.open(await loadSqlite3(), await source.exportSnapshot(), MIGRATIONS);
    const full = new TrajectoryStoreError('quota', 'storage is full');
    expect(
      catchError(() =>
        file.readRecords({
          write: () => {
            throw full;
          },
        }),
      ),
    ).toBe(full);
    file.close();
  });

  test('a write that fails part way through a replace leaves the old data exactly as it was', async () => {
    const source = await openTrajectoryStore();
    await source.insertMany(Array.from({ length: 1200 }, (_, i) => atifRun(`new-${i}`, { text: 'wordy new' })));
    const bytes = await source.exportSnapshot();
    const { core, db } = await openCore();
    core.insertMany([atifRun('old-1', { text: 'wordy old' }), { testgen: testgenSession('old-tg') }]);
    const before = {
      list: core.listTrajectories({}),
      stats: core.getStats(),
      found: core.searchTrajectories('wordy').items.map((h) => h.id),
      documents: [core.getTrajectory('old-1'), core.getTrajectory('old-tg')],
      schema: db.selectObjects('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name'),
    };
    // The third batch's first row fails, after two batches were written.
    db.exec(
      "CREATE TEMP TRIGGER fail_late BEFORE INSERT ON main.trajectories WHEN NEW.id = 'new-1000' BEGIN SELECT RAISE(ABORT, 'disk went away'); END",
    );
    const error = catchError(() => core.importSnapshot(bytes, { mode: 'replace' }));
    expect(error.code).toBe('storage');
    expect(error.message).toContain('disk went away');
    expect(core.listTrajectories({})).toStrictEqual(before.list);
    expect(core.getStats()).toStrictEqual(before.stats);
    expect(core.searchTrajectories('wordy').items.map((h) => h.id)).toEqual(before.found);
    // The tables the replace dropped and declared again are back as they were, rows and all.
    expect([core.getTrajectory('old-1'), core.getTrajectory('old-tg')]).toStrictEqual(before.documents);
    expect(db.selectObjects('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name')).toEqual(
      before.schema,
    );
  });

  test('after a replace the change log goes on counting, and the database is whole', async () => {
    const source = await openTrajectoryStore();
    await source.insertMany([atifRun('a'), { testgen: testgenSession('tg-a') }]);
    const { core, db } = await openCore();
    core.insertMany([atifRun('old-1'), atifRun('old-2'), { testgen: testgenSession('old-tg') }]);
    const lastChange = () => Number(db.selectValue('SELECT max(change) FROM trajectory_changes'));
    const before = lastChange();
    core.importSnapshot(await source.exportSnapshot(), { mode: 'replace' });
    // A team sync's watermark counts changes: numbers are never given twice.
    expect(db.selectValues('SELECT change FROM trajectory_changes ORDER BY change')).toEqual([before + 1, before + 2]);
    expect(db.selectValue('PRAGMA integrity_check')).toBe('ok');
    expect(db.selectValues('PRAGMA foreign_key_check')).toEqual([]);
    expect(core.getTrajectory('tg-a')!.summary.kind).toBe('testgen');
    core.deleteTrajectory('tg-a');
    expect(db.selectValue("SELECT count(*) FROM testgen_trajectories WHERE id = 'tg-a'")).toBe(0);
  });
});
