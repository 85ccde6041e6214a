/**
 * A replace import whose file is checked in a worker of its own while the store's worker writes
 * (src/worker/checked-import.ts). Its two sides are wired together directly here, each message cloned as
 * postMessage clones it (the browser's workers: e2e/snapshots.spec.ts). It must write exactly what importSnapshot
 * writes on one thread, and a file refused at any row, a write that fails, or a batch lost on the way must leave
 * the old data exactly as it was.
 */
import { describe, expect, test } from 'vitest';
import type { StoreChange } from '../src/contract/results.js';
import type { TrajectoryStore } from '../src/contract/store.js';
import type { StoreCore } from '../src/store/store.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { type CheckerMessage, CheckedReplace, checkSnapshot } from '../src/worker/checked-import.js';
import { atifRun, openCore, rejection, testgenSession } from './fixtures.js';
import { editSnapshot, selectFromSnapshot } from './snapshot-files.js';

/** Runs a checked replace import of `bytes` into `core`; `relay` may change or drop what the checker sends. */
async function importChecked(
  core: StoreCore,
  bytes: Uint8Array,
  relay: (message: CheckerMessage) => CheckerMessage | null = (message) => message,
): Promise<{ trajectories: number; progress: string[] }> {
  const progress: string[] = [];
  const replace = new CheckedReplace(core, ({ done, total }) => progress.push(`${done}/${total}`));
  checkSnapshot(await loadSqlite3(), bytes, (message) => {
    const relayed = relay(structuredClone(message));
    if (relayed) replace.receive(relayed);
  });
  return { ...(await replace.result), progress };
}

/** Every row of every table an import writes, as SQLite holds them. */
function tables(core: StoreCore, db: Awaited<ReturnType<typeof openCore>>['db']) {
  const all = (sql: string) => db.selectArrays(sql);
  return {
    summaries: all('SELECT * FROM trajectories ORDER BY seq'),
    documents: all('SELECT * FROM trajectory_documents ORDER BY seq'),
    testgen: all('SELECT * FROM testgen_trajectories ORDER BY id'),
    search: all('SELECT rowid, * FROM trajectory_search ORDER BY rowid'),
    unsegmented: all('SELECT rowid, * FROM trajectory_search_unsegmented ORDER BY rowid'),
    rollup: all('SELECT * FROM trajectory_stats_daily ORDER BY 1, 2, 3'),
    changes: all('SELECT * FROM trajectory_changes ORDER BY change'),
    schema: all('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name'),
    stats: core.getStats(),
    found: core.searchTrajectories('wordy', { limit: 1000 }).items.map((hit) => hit.id),
    trajectories: core.listTrajectories({ limit: 1000 }).items,
  };
}

/** A snapshot of `n` ATIF runs and a few testgen sessions (more than two batches of 500). */
async function snapshotOf(n: number): Promise<Uint8Array> {
  const { core } = await openCore();
  const items: Array<Parameters<TrajectoryStore['insertMany']>[0][number]> = Array.from({ length: n }, (_, i) =>
    atifRun(`new-${i}`, { text: i % 2 ? 'wordy 東京都の設定' : 'wordy new', steps: 1 + (i % 3) }),
  );
  items.push({ testgen: testgenSession('new-tg-1') }, { testgen: testgenSession('new-tg-2', { status: 'running' }) });
  core.insertMany(items);
  return core.exportSnapshot();
}

/** A store with old data of its own, and its bytes as they were. */
async function storeWithOldData() {
  const { core, db } = await openCore();
  core.insertMany([atifRun('old-1', { text: 'wordy old' }), { testgen: testgenSession('old-tg') }]);
  return { core, db, before: core.exportSnapshot() };
}

describe('a replace import checked in another worker', () => {
  test('writes exactly what importSnapshot writes on one thread, with the same progress', async () => {
    const bytes = await snapshotOf(1201);
    const here = await storeWithOldData();
    const progressHere: string[] = [];
    const resultHere = here.core.importSnapshot(bytes, {
      mode: 'replace',
      onProgress: ({ done, total }) => progressHere.push(`${done}/${total}`),
    });
    const checked = await storeWithOldData();
    const changes: StoreChange[] = [];
    checked.core.subscribe((change) => changes.push(change));
    const { progress, ...result } = await importChecked(checked.core, bytes);
    expect(result).toEqual(resultHere);
    expect(result).toEqual({ trajectories: 1203 });
    expect(progress).toEqual(progressHere);
    expect(changes).toEqual([{ type: 'imported', mode: 'replace', count: 1203 }]);
    const expected = tables(here.core, here.db);
    expect(expected.found).toHaveLength(1000);
    expect(tables(checked.core, checked.db)).toStrictEqual(expected);
    expect(checked.db.selectValue('PRAGMA integrity_check')).toBe('ok');
  });

  test('a bad row anywhere in the file refuses all of it, and the old data stays exactly as it was', async () => {
    const good = await snapshotOf(1201);
    for (const seq of [1, 700, 1201]) {
      const bytes = await editSnapshot(
        good,
        `UPDATE trajectory_documents SET trajectory = '{"not json' WHERE seq = ${seq}`,
      );
      const { core, before } = await storeWithOldData();
      const error = await rejection(importChecked(core, bytes));
      expect(error.code).toBe('corrupt_snapshot');
      expect(error.message).toContain('is not valid JSON');
      expect(Buffer.from(core.exportSnapshot()).equals(Buffer.from(before))).toBe(true);
    }
  });

  test('a file refused before its rows are read leaves the old data exactly as it was', async () => {
    const { core, before } = await storeWithOldData();
    const error = await rejection(importChecked(core, new Uint8Array(4096)));
    expect(error.code).toBe('corrupt_snapshot');
    expect(Buffer.from(core.exportSnapshot()).equals(Buffer.from(before))).toBe(true);
  });

  test('a b-tree that fails the integrity check refuses the file after its records were sent; nothing is kept', async () => {
    const good = await snapshotOf(1201);
    // An index the rows are not read through (NOT INDEXED): only the integrity check can find it bad.
    const [[rootPage]] = (await selectFromSnapshot(
      good,
      "SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'trajectories' AND sql IS NOT NULL ORDER BY name LIMIT 1",
    )) as [[number]];
    const bytes = good.slice();
    const pageSize = new DataView(bytes.buffer).getUint16(16);
    bytes.fill(0xa5, (rootPage - 1) * pageSize, rootPage * pageSize);
    const { core, before } = await storeWithOldData();
    const sent: CheckerMessage['type'][] = [];
    const error = await rejection(
      importChecked(core, bytes, (message) => {
        sent.push(message.type);
        return message;
      }),
    );
    expect(error.code).toBe('corrupt_snapshot');
    expect(error.message).toMatch(/integrity check failed/);
    // Checked last, so that the writes need not wait for a pass over the whole file first.
    expect(sent.filter((type) => type === 'records')).toHaveLength(3);
    expect(sent.at(-1)).toBe('refused');
    expect(Buffer.from(core.exportSnapshot()).equals(Buffer.from(before))).toBe(true);
  });

  test('a write that fails part way is passed on as it is, and rolls everything back', async () => {
    const bytes = await snapshotOf(1201);
    const { core, db, before } = await storeWithOldData();
    db.exec(
      "CREATE TEMP TRIGGER fail_late BEFORE INSERT ON main.trajectories WHEN NEW.id = 'new-1000' BEGIN SELECT RAISE(ABORT, 'disk went away'); END",
    );
    const error = await rejection(importChecked(core, bytes));
    expect(error.code).toBe('storage');
    expect(error.message).toContain('disk went away');
    db.exec('DROP TRIGGER fail_late');
    expect(Buffer.from(core.exportSnapshot()).equals(Buffer.from(before))).toBe(true);
  });

  test('a batch lost on the way is noticed: nothing is committed', async () => {
    const bytes = await snapshotOf(1201);
    const { core, before } = await storeWithOldData();
    let batches = 0;
    const error = await rejection(
      importChecked(core, bytes, (message) => (message.type === 'records' && ++batches === 2 ? null : message)),
    );
    expect(error.message).toContain('1203 records were checked but 703 arrived');
    expect(Buffer.from(core.exportSnapshot()).equals(Buffer.from(before))).toBe(true);
  });

  test('the store takes calls again once an import is over, whichever way it ended', async () => {
    const bytes = await snapshotOf(3);
    const { core } = await storeWithOldData();
    await rejection(importChecked(core, new Uint8Array(100)));
    core.insertTrajectory(atifRun('after-refused'));
    await importChecked(core, bytes);
    core.insertTrajectory(atifRun('after-import'));
    expect(core.info().trajectoryCount).toBe(6);
  });
});
