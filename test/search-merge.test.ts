/**
 * How FTS5 merges the search index's segments (migrations/015): automerge takes a level's segments, a bounded step
 * at a time, as soon as it holds two, so that single saves after a bulk do not fill a level holding a batch's large
 * segments up to the point where one save merges it whole. New and upgraded databases get the setting, a replace
 * import keeps it, and search finds what it found before.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import { describe, expect, test } from 'vitest';
import { benchAtif } from '../bench/data.js';
import type { SearchHit } from '../src/contract/results.js';
import { Connection } from '../src/store/connection.js';
import { MIGRATIONS } from '../src/store/migration-files.js';
import { migrate } from '../src/store/migrations.js';
import { prepareAtif } from '../src/store/prepare.js';
import { SEARCH_TABLES, SearchTextWrites } from '../src/store/search-index.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { StoreCore } from '../src/store/store.js';
import { saveRecord } from '../src/store/writes.js';
import { atifRun, openCore, rawDatabase } from './fixtures.js';
import { fts5Structure, pagesMerged } from './fts5-structure.js';

const AUTOMERGE = 2;
const MIGRATION = MIGRATIONS.find((m) => m.version.endsWith('_search_merge_settings'))!;

function automerge(db: Database): Array<number | undefined> {
  return SEARCH_TABLES.map((table) => {
    const value = db.selectValue(`SELECT v FROM ${table}_config WHERE k = 'automerge'`);
    return value === undefined ? undefined : Number(value);
  });
}

/** Every search hit of a few queries, in order, with its snippet and rank: what a person would see. */
function searches(core: StoreCore): SearchHit[][] {
  return ['timeout', 'parser retry', '"memory leak"', 'refac*', '東京', '测试'].map(
    (text) => core.searchTrajectories(text, { limit: 50 }).items,
  );
}

const DOCUMENTS = [
  ...Array.from({ length: 60 }, (_, i) => benchAtif(i)),
  atifRun('japanese', { text: '昨日は東京タワーに行きました' }),
  atifRun('chinese', { text: '我们正在测试全文搜索功能' }),
];
const SINGLES = Array.from({ length: 40 }, (_, i) => benchAtif(i, 'single'));
const TIMES = { createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-02T03:04:05.000Z' };

/** The same rows, with the same times, whatever the schema's version: a batch, then single saves. */
function save(db: Database): void {
  const conn = new Connection(db);
  const record = (doc: unknown) => {
    const prepared = prepareAtif(doc);
    if (!('record' in prepared)) throw new Error('a test document was refused');
    return prepared.record;
  };
  const batch = new SearchTextWrites();
  conn.transaction(() => {
    for (const doc of DOCUMENTS) saveRecord(conn, record(doc), TIMES, { searchTexts: batch });
    batch.write(conn);
  });
  for (const doc of SINGLES) conn.transaction(() => saveRecord(conn, record(doc), TIMES));
}

describe('the search index merge settings', () => {
  test('a new database has them in both search tables', async () => {
    const { db } = await openCore();
    expect(automerge(db)).toEqual([AUTOMERGE, AUTOMERGE]);
  });

  test('a database with rows from before them gets them, and every search finds what it finds in a new one', async () => {
    const db = await rawDatabase();
    migrate(new Connection(db), MIGRATIONS.slice(0, MIGRATIONS.indexOf(MIGRATION)));
    save(db);
    expect(automerge(db)).toEqual([undefined, undefined]);
    const upgraded = new StoreCore(await loadSqlite3(), db);
    expect(automerge(db)).toEqual([AUTOMERGE, AUTOMERGE]);

    const { core: latest, db: latestDb } = await openCore();
    save(latestDb);
    const hits = searches(upgraded);
    expect(hits.map((page) => page.length)).toEqual([50, 50, 11, 50, 1, 1]);
    expect(hits).toEqual(searches(latest));
  });

  test("a replace import keeps them (it declares the search tables again), writing with FTS5's default", async () => {
    const { core: source, db: sourceDb } = await openCore();
    save(sourceDb);
    const { core, db } = await openCore();
    core.insertTrajectory(atifRun('replaced'));
    // While it writes, FTS5's default (fewer, larger merges for a whole index written at once); 2 again after it.
    const whileWriting: Array<Array<number | undefined>> = [];
    core.importSnapshot(source.exportSnapshot(), {
      mode: 'replace',
      onProgress: () => whileWriting.push(automerge(db)),
    });
    expect(whileWriting.length).toBeGreaterThan(0);
    expect(whileWriting.at(-1)).toEqual([4, 4]);
    expect(automerge(db)).toEqual([AUTOMERGE, AUTOMERGE]);
    expect(searches(core)).toEqual(searches(source));
  });

  test("single saves after a bulk merge no batch's large segments whole", async () => {
    const { core, db } = await openCore();
    for (let first = 0; first < 1500; first += 500)
      core.insertMany(Array.from({ length: 500 }, (_, i) => benchAtif(first + i)));
    let largest = 0;
    for (let i = 0; i < 100; i++) {
      const before = fts5Structure(db, 'trajectory_search');
      core.insertTrajectory(benchAtif(i, 'single'));
      largest = Math.max(largest, pagesMerged(before, fts5Structure(db, 'trajectory_search')));
    }
    // With FTS5's defaults the 12th save merges 726 leaf pages: the three batches' segments and the saves' small
    // ones. Now a level is merged while it holds one batch's segment at most (about 250 pages here).
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(400);
  });
});
