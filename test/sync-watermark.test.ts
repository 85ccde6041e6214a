/**
 * The store's half of sync (store/sync.ts, migrations/013): change numbers, batches in the team server's
 * line format, and the durable watermark. The network half is tested against the real server in
 * test/server/team-sync.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { MIGRATIONS } from '../src/store/migration-files.js';
import { migrate } from '../src/store/migrations.js';
import { Connection } from '../src/store/connection.js';
import { StoreCore } from '../src/store/store.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { atifRun, catchError, openCore, testgenSession } from './fixtures.js';

const target = { server: 'http://team.test', member: 'alice' };

describe('sync watermark', () => {
  test('a batch is the changed trajectories in change order, as lines insertMany takes back', async () => {
    const { core } = await openCore();
    core.insertTrajectory(atifRun('a'));
    core.insertTestGenTrajectory(testgenSession('tg-b'));
    core.insertTrajectory(atifRun('a', { text: 'another run' })); // renamed: a~2
    const batch = core.syncBatch(target);
    expect(batch.ids).toEqual(['a', 'tg-b', 'a~2']);
    expect(batch.remaining).toBe(0);
    const lines = batch.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const stored = core.listTrajectories({ order: 'asc' }).items;
    expect(lines.map((l) => [l.id, l.createdAt, l.updatedAt])).toEqual(
      stored.map((s) => [s.id, s.createdAt, s.updatedAt]),
    );
    expect(lines[1]!.testgen).toEqual(core.getTrajectory('tg-b')!.testgen);
    expect(lines[2]!.trajectory).toEqual(core.getTrajectory('a~2')!.trajectory);
    // Another store takes the lines back as the same rows.
    const { core: other } = await openCore();
    other.insertMany(lines.map(({ id, trajectory, testgen }) => (testgen ? { id, testgen } : { id, trajectory })));
    expect(other.listTrajectories({ order: 'asc' }).items.map((s) => s.id)).toEqual(['a', 'tg-b', 'a~2']);
  });

  test('the watermark moves only forward; what changes after it is sent again, with a larger number', async () => {
    const { core } = await openCore();
    for (const id of ['a', 'b', 'c']) core.insertTrajectory(atifRun(id));
    const first = core.syncBatch(target, { limit: 2 });
    expect(first).toMatchObject({ ids: ['a', 'b'], remaining: 1 });
    core.recordSync(target, { state: 'pushing', through: first.through, pushed: 2, pending: 1 });
    expect(core.syncBatch(target).ids).toEqual(['c']);

    // b changes, and c (holding the largest number) is deleted and saved again: both come after the watermark.
    core.insertTrajectory(atifRun('b', { steps: 6 }));
    core.deleteTrajectory('c');
    core.insertTrajectory(atifRun('c'));
    const next = core.syncBatch(target);
    expect(next.ids).toEqual(['b', 'c']);
    expect(next.through).toBeGreaterThan(first.through + 1);

    core.recordSync(target, { state: 'pushing', through: next.through, pushed: 2, pending: 0 });
    // A slower tab recording an older batch does not move it back.
    core.recordSync(target, { state: 'pushing', through: first.through, pushed: 2, pending: 0 });
    expect(core.syncBatch(target).ids).toEqual([]);
    expect(core.syncStatus()).toEqual([
      expect.objectContaining({ ...target, pushedThrough: next.through, pending: 0, lastError: null }),
    ]);
  });

  test('each server and member has its own watermark; the last error stays until an attempt succeeds', async () => {
    const { core } = await openCore();
    core.insertTrajectory(atifRun('a'));
    const events: unknown[] = [];
    core.subscribe((change) => events.push(change));
    const error = { code: 'unreachable', message: 'down' };
    core.recordSync(target, { state: 'failed', pushed: 0, pending: 1, error });
    expect(core.syncStatus()[0]).toMatchObject({ pushedThrough: 0, pending: 1, lastError: error });
    expect(core.syncBatch({ ...target, member: 'bob' }).ids).toEqual(['a']);
    core.recordSync(target, { state: 'done', pushed: 0, pending: 0 });
    expect(core.syncStatus()[0]!.lastError).toBeNull();
    expect(events).toEqual([
      { type: 'sync', ...target, state: 'failed', pushed: 0, pending: 1, error },
      { type: 'sync', ...target, state: 'done', pushed: 0, pending: 0 },
    ]);
    expect(catchError(() => core.syncBatch({ server: '', member: 'x' })).code).toBe('validation');
    expect(catchError(() => core.recordSync(target, { state: 'nope' } as never)).code).toBe('validation');
  });

  test('one trajectory larger than the byte limit goes alone; a batch stops before the limit', async () => {
    const { core } = await openCore();
    core.insertTrajectory(atifRun('big', { text: 'x'.repeat(5000) }));
    core.insertTrajectory(atifRun('small-1'));
    core.insertTrajectory(atifRun('small-2'));
    expect(core.syncBatch(target, { maxBytes: 1000 }).ids).toEqual(['big']);
    const size = core.syncBatch(target).lines[1]!.length + 1;
    core.recordSync(target, {
      state: 'pushing',
      through: core.syncBatch(target, { limit: 1 }).through,
      pushed: 1,
      pending: 2,
    });
    expect(core.syncBatch(target, { maxBytes: size }).ids).toEqual(['small-1']);
  });

  test('a database from before 013 has every trajectory pending once it is migrated', async () => {
    const sqlite3 = await loadSqlite3();
    const db = new sqlite3.oo1.DB(':memory:', 'c');
    const before = MIGRATIONS.filter((m) => m.version < '013');
    migrate(new Connection(db), before);
    db.exec(`INSERT INTO trajectories (id, kind, schema_version, agent_name, created_at, updated_at)
             VALUES ('old-1', 'atif', 'ATIF-v1.6', 'x', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`);
    db.exec(
      `INSERT INTO trajectory_documents (seq, trajectory) VALUES (1, '{"schema_version":"ATIF-v1.6","steps":[]}')`,
    );
    const core = new StoreCore(sqlite3, db);
    expect(core.syncBatch(target).ids).toEqual(['old-1']);
    core.close();
  });
  test('a deletion leaves a tombstone in change order among saves, only while a server is a target; pushed, it goes', async () => {
    const { core } = await openCore();
    core.insertTrajectory(atifRun('never-pushed'));
    core.deleteTrajectory('never-pushed'); // no team server yet: nothing to tell one
    for (const id of ['a', 'b', 'c']) core.insertTrajectory(atifRun(id));
    const first = core.syncBatch(target);
    expect(first.deletions).toEqual([]);
    core.recordSync(target, { state: 'done', through: first.through, pushed: 3, pending: 0 });

    core.deleteTrajectory('b');
    core.insertTrajectory(atifRun('d'));
    core.deleteTrajectory('a');
    const updatedC = core.getTrajectory('c')!.summary.updatedAt;
    const batch = core.syncBatch(target, { limit: 2 });
    expect(batch).toMatchObject({ ids: ['d'], remaining: 1 });
    expect(batch.deletions.map((d) => d.id)).toEqual(['b']);
    expect(batch.deletions[0]!.deletedAt >= updatedC).toBe(true);
    expect(core.syncStatus()[0]!.pending).toBe(3);

    // Saved again, an id's tombstone goes: the save is what is sent.
    core.insertTrajectory(atifRun('a', { text: 'back' }));
    const rest = core.syncBatch(target);
    expect(rest.ids).toEqual(['d', 'a']);
    expect(rest.deletions.map((d) => d.id)).toEqual(['b']);
    core.recordSync(target, { state: 'done', through: rest.through, pushed: 3, pending: 0 });
    expect(core.syncBatch(target)).toMatchObject({ ids: [], deletions: [], remaining: 0 });
    // Every target has it: the tombstone is dropped; a later save gets a number above it.
    const conn = (core as unknown as { conn: Connection }).conn;
    expect(conn.value('SELECT count(*) FROM trajectory_tombstones')).toBe(0);
    core.insertTrajectory(atifRun('e'));
    expect(core.syncBatch(target).through).toBeGreaterThan(rest.through);
  });
});
