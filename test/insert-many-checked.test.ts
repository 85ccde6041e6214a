/**
 * A large insertMany in the browser has its items prepared by a save checker, a worker of its own, while the
 * store's worker writes (src/worker/checked-saves.ts). Here the two sides talk over a real MessageChannel (every
 * message structured-cloned, as between workers), the checker's end running what save-checker.ts runs. It must
 * store and answer exactly what insertMany does on one thread, whatever the items, and fail the same way.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import { afterEach, describe, expect, test } from 'vitest';
import type { StoreChange } from '../src/contract/results.js';
import type { InsertManyOptions } from '../src/schema/query.js';
import type { StoreCore } from '../src/store/store.js';
import { type CheckerPort, insertManyChecked, SaveChecker } from '../src/worker/checked-saves.js';
import { type CheckRequest, checkItems } from '../src/worker/save-check.js';
import { atifRun, openCore, rejection, testgenSession } from './fixtures.js';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

/** A checker on the other end of a real channel; `requests` counts what it was asked. */
function checkerOverChannel(): { checker: SaveChecker; requests: CheckRequest[] } {
  const channel = new MessageChannel();
  channels.push(channel);
  const requests: CheckRequest[] = [];
  channel.port2.onmessage = ({ data }: MessageEvent<CheckRequest>) => {
    requests.push(data);
    channel.port2.postMessage(checkItems(data));
  };
  return { checker: new SaveChecker(channel.port1 as unknown as CheckerPort), requests };
}

/** Every row insertMany writes, as SQLite holds them, the times of the save left out (they differ run to run). */
function stored(core: StoreCore, db: Database) {
  const rows = (sql: string) =>
    db.selectObjects(sql).map(({ created_at, updated_at, indexed_at, ...row }) => ({
      ...row,
      timed: [created_at, updated_at, indexed_at].map((time) => time === null || time === undefined),
    }));
  return {
    summaries: rows('SELECT * FROM trajectories ORDER BY seq'),
    documents: rows('SELECT * FROM trajectory_documents ORDER BY seq'),
    testgen: rows('SELECT * FROM testgen_trajectories ORDER BY id'),
    search: rows('SELECT rowid, * FROM trajectory_search ORDER BY rowid'),
    unsegmented: rows('SELECT rowid, * FROM trajectory_search_unsegmented ORDER BY rowid'),
    rollup: rows('SELECT * FROM trajectory_stats_daily ORDER BY 1, 2, 3'),
    changes: rows('SELECT * FROM trajectory_changes ORDER BY change'),
    stats: core.getStats(),
    found: core.searchTrajectories('wordy', { limit: 1000 }).items.map((hit) => [hit.id, hit.snippet]),
  };
}

/** Items of every kind insertMany meets: new, refused, with warnings, testgen, kept copies, repeats, a grown run. */
function mixedItems(n: number): unknown[] {
  const items: unknown[] = Array.from({ length: n }, (_, i) =>
    atifRun(`run-${i}`, { text: i % 2 ? 'wordy 東京都の設定' : 'wordy run', steps: 1 + (i % 4) }),
  );
  const mid = Math.min(520, n - 20);
  items[3] = { schema_version: 'ATIF-v1.6', steps: 'not a list' }; // refused
  const warned = atifRun('warned');
  items[mid] = { ...warned, agent: { name: warned.agent.name, model: 'misspelt' } }; // a departure from the spec: a warning
  items[mid + 1] = { testgen: testgenSession('tg-1') }; // as stored before: unchanged
  items[mid + 2] = { testgen: { sessionId: 'tg-bad' } }; // refused
  items[mid + 3] = atifRun('run-0', { text: 'another task under run-0' }); // a different trajectory: renamed
  items[mid + 4] = atifRun('run-1', { text: 'wordy 東京都の設定', steps: 2 }); // the same as item 1: unchanged
  items[mid + 5] = atifRun('run-2', { text: 'wordy run', steps: 5 }); // item 2 grown: replaced
  items[mid + 6] = { id: 'kept~7', trajectory: atifRun('kept') };
  items[n - 1] = 42; // refused, last
  return items;
}

/** insertMany both ways, each into a store of its own holding the same earlier rows. */
async function bothWays(items: unknown[], options: InsertManyOptions = {}) {
  const runs = [];
  for (const way of ['here', 'checked'] as const) {
    const { core, db } = await openCore();
    core.insertMany([atifRun('run-5', { text: 'wordy stored before' }), { testgen: testgenSession('tg-1') }]);
    const progress: string[] = [];
    const changes: StoreChange[] = [];
    core.subscribe((change) => changes.push(change));
    const withProgress = {
      ...options,
      onProgress: ({ done, total }: { done: number; total: number }) => progress.push(`${done}/${total}`),
    };
    const { checker, requests } = checkerOverChannel();
    const result =
      way === 'here'
        ? core.insertMany(items, withProgress)
        : await insertManyChecked(core, items, withProgress, checker);
    runs.push({ result, progress, changes, stored: stored(core, db), requests: requests.length });
  }
  return runs;
}

describe('insertMany with its items prepared by a save checker', () => {
  test('stores and answers exactly what insertMany does on one thread', async () => {
    const [here, checked] = await bothWays(mixedItems(1201));
    expect(checked!.requests).toBe(25); // every item went to the checker, 50 at a time
    expect(checked!.result).toEqual(here!.result);
    expect(checked!.progress).toEqual(['500/1201', '1000/1201', '1201/1201']);
    expect(checked!.progress).toEqual(here!.progress);
    expect(checked!.changes).toEqual(here!.changes);
    expect(checked!.stored).toEqual(here!.stored);
    // The mix did what it says.
    const { result } = checked!;
    expect(result.rejected.map((r) => r.index)).toEqual([3, 522, 1200]);
    expect(result.renamed).toEqual([
      { index: 5, id: 'run-5~2', originalId: 'run-5' }, // not the run-5 stored before
      { index: 523, id: 'run-0~2', originalId: 'run-0' },
    ]);
    expect(result.warnings.map((w) => w.index)).toEqual([520]);
    expect([result.unchanged, result.replaced]).toEqual([2, 1]);
  });

  test('refuses the same items under strict, and keeps both under keep-both', async () => {
    const items = mixedItems(300);
    for (const options of [{ strict: true }, { onConflict: 'keep-both' as const }, { onConflict: 'skip' as const }]) {
      const [here, checked] = await bothWays(items, options);
      expect(checked!.result).toEqual(here!.result);
      expect(checked!.stored).toEqual(here!.stored);
    }
  });

  test('a checker that fails part-way: the rest is prepared here, with the same outcome', async () => {
    const items = mixedItems(700);
    const [here] = await bothWays(items);
    const { core, db } = await openCore();
    core.insertMany([atifRun('run-5', { text: 'wordy stored before' }), { testgen: testgenSession('tg-1') }]);
    // A checker that answers three requests, then fails as a worker that died would (its error event).
    const channel = new MessageChannel();
    channels.push(channel);
    const checker = new SaveChecker(channel.port1 as unknown as CheckerPort);
    let answered = 0;
    channel.port2.onmessage = ({ data }: MessageEvent<CheckRequest>) => {
      if (answered++ < 3) channel.port2.postMessage(checkItems(data));
      else checker.fail();
    };
    expect(await insertManyChecked(core, items, {}, checker)).toEqual(here!.result);
    expect(stored(core, db)).toEqual(here!.stored);
    // A checker that has failed is asked nothing more: everything is prepared here.
    expect(await checker.prepare([atifRun('x')], false)).toBeNull();
  });

  test('a write that fails rolls back its batch only and is thrown; the store goes on', async () => {
    const items = mixedItems(1100);
    const errors = [];
    const counts = [];
    for (const way of ['here', 'checked'] as const) {
      const { core, db } = await openCore();
      db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON trajectories WHEN NEW.id = 'run-700'
               BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END`);
      const { checker } = checkerOverChannel();
      const error = await rejection(
        way === 'here'
          ? Promise.resolve().then(() => core.insertMany(items))
          : insertManyChecked(core, items, {}, checker),
      );
      errors.push({ code: error.code, message: error.message });
      counts.push(db.selectValue('SELECT count(*) FROM trajectories'));
      core.insertMany([atifRun('after')]); // no transaction was left open
      expect(core.getTrajectory('after')).not.toBeNull();
    }
    expect(errors[1]).toEqual(errors[0]);
    expect(errors[0]!.message).toContain('refused by a test trigger');
    expect(counts).toEqual([499, 499]); // the first batch (500, one refused); nothing of the second
  });

  test('bad options are refused before the checker is asked anything, as insertMany refuses them', async () => {
    const { core } = await openCore();
    const { checker, requests } = checkerOverChannel();
    const options = { onConflict: 'overwrite' } as unknown as InsertManyOptions;
    const checked = await rejection(insertManyChecked(core, mixedItems(200), options, checker));
    const here = await rejection(Promise.resolve().then(() => core.insertMany(mixedItems(200), options)));
    expect(checked).toEqual(here);
    expect(checked.code).toBe('validation');
    expect(requests).toEqual([]);
    expect(core.info().trajectoryCount).toBe(0);
  });
});
