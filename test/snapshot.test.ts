import { describe, expect, test } from 'vitest';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { openTrajectoryStore } from '../src/node.js';
import { APPLICATION_ID } from '../src/store/snapshot.js';
import type { TrajectoryStore } from '../src/contract/store.js';
import { atifRun, idsOf, rawDatabase, rejection, storeWith, testgenSession } from './fixtures.js';
import { createOriginalDatabase, originalInsertTestGen } from './original-desktop-tool.js';
import { databaseBytes, editSnapshot, selectFromSnapshot } from './snapshot-files.js';

describe('exportSnapshot', () => {
  test('is a standalone SQLite file in rollback-journal mode, tagged as ours, that opens with every row', async () => {
    const store = await storeWith(['a', 'b', 'tg-1']);
    const bytes = await store.exportSnapshot();
    expect(new TextDecoder().decode(bytes.subarray(0, 15))).toBe('SQLite format 3');
    expect([bytes[18], bytes[19]]).toEqual([1, 1]);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(68)).toBe(APPLICATION_ID);
    const copy = await openTrajectoryStore({ snapshot: bytes });
    expect(await idsOf(copy)).toEqual(['a', 'b', 'tg-1']);
    expect((await copy.searchTrajectories('text of b')).items.map((h) => h.id)).toEqual(['b']);
    expect((await copy.getTrajectory('tg-1'))!.testgen).toStrictEqual(testgenSession('tg-1'));
  });
});

describe('exportSnapshot of a selection', () => {
  test('holds exactly the selected trajectories, with their ids and times, searchable', async () => {
    const store = await openTrajectoryStore();
    await store.insertMany([
      atifRun('a1', { agent: 'alpha', text: 'needle in alpha' }),
      atifRun('a2', { agent: 'alpha' }),
      atifRun('b1', { agent: 'beta', text: 'needle in beta' }),
      { testgen: testgenSession('tg-1') },
    ]);
    await store.insertMany([atifRun('a1', { agent: 'alpha' })], { onConflict: 'keep-both' });
    const progress: Array<{ done: number; total: number }> = [];
    const bytes = await store.exportSnapshot({ agentName: 'alpha', onProgress: (p) => progress.push(p) });
    const copy = await openTrajectoryStore({ snapshot: bytes });
    expect(await idsOf(copy)).toEqual(['a1', 'a1~2', 'a2']);
    expect((await copy.getTrajectory('a1'))!.summary.createdAt).toBe(
      (await store.getTrajectory('a1'))!.summary.createdAt,
    );
    expect((await copy.searchTrajectories('needle')).items.map((h) => h.id)).toEqual(['a1']);
    expect(progress.at(-1)).toEqual({ done: 3, total: 3 });

    const found = await openTrajectoryStore({ snapshot: await store.exportSnapshot({ text: 'needle' }) });
    expect(await idsOf(found)).toEqual(['a1', 'b1']);
    const none = await openTrajectoryStore({ snapshot: await store.exportSnapshot({ agentName: 'nobody' }) });
    expect(await idsOf(none)).toEqual([]);
  });

  test('refuses unknown selection fields', async () => {
    const store = await openTrajectoryStore();
    expect((await rejection(store.exportSnapshot({ format: 'csv' } as never))).issues).toEqual([
      { path: 'format', message: 'is not a known field' },
    ]);
  });
});

describe('importSnapshot', () => {
  test("replace swaps every trajectory for the snapshot's, keeping their creation times", async () => {
    const source = await storeWith(['a', 'b']);
    const target = await storeWith(['b', 'c']);
    const createdAt = (await source.getTrajectory('a'))!.summary.createdAt;
    const progress: Array<{ done: number; total: number }> = [];
    expect(
      await target.importSnapshot(await source.exportSnapshot(), {
        mode: 'replace',
        onProgress: (p) => progress.push(p),
      }),
    ).toEqual({ trajectories: 2 });
    expect(await idsOf(target)).toEqual(['a', 'b']);
    expect((await target.getTrajectory('a'))!.summary.createdAt).toBe(createdAt);
    expect((await target.searchTrajectories('text of c')).items).toEqual([]);
    expect(progress.at(-1)).toEqual({ done: 2, total: 2 });
  });

  test('replace empties both search indexes as a whole, keeps their declarations, and indexes the snapshot', async () => {
    const source = await openTrajectoryStore();
    await source.insertMany([atifRun('a', { text: '東京都の設定 alpha' }), atifRun('b', { text: 'bravo words' })]);
    const target = await openTrajectoryStore();
    await target.insertMany([atifRun('c', { text: 'データベース charlie' }), atifRun('d', { text: 'delta words' })]);
    const declarations = async (store: TrajectoryStore) =>
      selectFromSnapshot(
        await store.exportSnapshot(),
        "SELECT name, sql FROM sqlite_schema WHERE name LIKE 'trajectory_search%' ORDER BY name",
      );
    const before = await declarations(target);
    await target.importSnapshot(await source.exportSnapshot(), { mode: 'replace' });
    const hits = async (text: string) => (await target.searchTrajectories(text)).items.map((h) => h.id).sort();
    expect(await hits('charlie')).toEqual([]);
    expect(await hits('データベース')).toEqual([]);
    expect(await hits('words')).toEqual(['b']);
    expect(await hits('設定')).toEqual(['a']);
    expect(await declarations(target)).toEqual(before);
    // The index keeps working for saves and deletes after it was emptied.
    await target.insertTrajectory(atifRun('e', { text: 'echo words' }));
    await target.deleteTrajectory('b');
    expect(await hits('words')).toEqual(['e']);
  });

  test('merge adds new ids, leaves identical ones, and keeps a different trajectory under a taken id beside it', async () => {
    const source = await storeWith(['a', 'b', 'c']);
    await source.insertTrajectory(atifRun('b', { text: 'the snapshot version of b' }), { onConflict: 'replace' });
    const target = await storeWith(['b', 'c']);
    await target.importSnapshot(await source.exportSnapshot(), { mode: 'merge' });
    expect(await idsOf(target)).toEqual(['a', 'b', 'b~2', 'c']);
    expect((await target.searchTrajectories('snapshot version')).items.map((h) => h.id)).toEqual(['b~2']);
  });

  test('keeps ids that differ from the document (keep-both copies)', async () => {
    const source = await openTrajectoryStore();
    await source.insertMany([atifRun('x'), atifRun('x')], { onConflict: 'keep-both' });
    const target = await openTrajectoryStore({ snapshot: await source.exportSnapshot() });
    expect(await idsOf(target)).toEqual(['x', 'x~2']);
  });

  test('imports and upgrades a database of the original desktop tool', async () => {
    const db = await rawDatabase();
    createOriginalDatabase(db);
    originalInsertTestGen(db, testgenSession('old-1', { taskDescription: 'legacy ledger task' }));
    originalInsertTestGen(db, testgenSession('old-2'), { orphan: true });
    const bytes = (await loadSqlite3()).capi.sqlite3_js_db_export(db);
    const target = await storeWith(['mine']);
    expect(await target.importSnapshot(bytes, { mode: 'merge' })).toEqual({ trajectories: 2 });
    expect(await idsOf(target)).toEqual(['mine', 'old-1', 'old-2']);
    expect((await target.searchTrajectories('ledger')).items.map((h) => h.id)).toEqual(['old-1']);
    expect((await target.getTrajectory('old-1'))!.testgen).toMatchObject({
      taskId: 'regex-log',
      tests: testgenSession('x').tests,
    });
  });

  test("an old file's own triggers and views cannot act while it is migrated", async () => {
    const db = await rawDatabase();
    createOriginalDatabase(db);
    originalInsertTestGen(db, testgenSession('old-1'));
    db.exec(`
      CREATE TRIGGER wipe_on_upgrade AFTER INSERT ON _schema_version BEGIN DELETE FROM testgen_trajectories; END;
      CREATE VIEW recent AS SELECT session_id FROM trajectories ORDER BY created_at DESC;`);
    const bytes = (await loadSqlite3()).capi.sqlite3_js_db_export(db);
    const target = await openTrajectoryStore({ snapshot: bytes });
    expect(await idsOf(target)).toEqual(['old-1']);
    expect((await target.getTrajectory('old-1'))!.summary.totalTests).toBe(3);
  });

  test('accepts a snapshot of an earlier schema version and migrates it forward', async () => {
    const source = await storeWith(['a', 'tg-1']);
    // Take the file back to what 005 left: no search index, no 006 row.
    const at005 = await editSnapshot(
      await source.exportSnapshot(),
      `
      DROP TRIGGER IF EXISTS trajectory_search_insert; DROP TRIGGER trajectory_search_delete; DROP TRIGGER IF EXISTS trajectory_search_update;
      DROP VIEW IF EXISTS trajectory_search_text; DROP TABLE trajectory_search; DROP TABLE trajectory_search_unsegmented;
      DELETE FROM _schema_version WHERE version = '006_search_index';`,
    );
    const target = await openTrajectoryStore({ snapshot: at005 });
    expect(await idsOf(target)).toEqual(['a', 'tg-1']);
    expect((await target.searchTrajectories('text of a')).items.map((h) => h.id)).toEqual(['a']);
  });

  test('a WAL-mode file is converted, not refused', async () => {
    const bytes = (await (await storeWith(['a'])).exportSnapshot()).slice();
    bytes[18] = 2;
    bytes[19] = 2;
    const target = await openTrajectoryStore();
    expect(await target.importSnapshot(bytes, { mode: 'replace' })).toEqual({ trajectories: 1 });
  });

  test('hostile triggers and views in the file never run, here or on our tables', async () => {
    const bytes = await editSnapshot(
      await (await storeWith(['a', 'b'])).exportSnapshot(),
      `
      CREATE TABLE loot (x);
      CREATE TRIGGER evil_insert AFTER INSERT ON trajectories BEGIN DELETE FROM trajectories; INSERT INTO loot VALUES (NEW.id); END;
      CREATE TRIGGER evil_update BEFORE UPDATE ON trajectories BEGIN SELECT RAISE(ABORT, 'hijacked'); END;
      CREATE TRIGGER evil_delete BEFORE DELETE ON testgen_trajectories BEGIN SELECT RAISE(ABORT, 'hijacked'); END;
      CREATE VIEW evil_view AS SELECT * FROM trajectories;`,
    );
    const target = await storeWith(['mine']);
    expect(await target.importSnapshot(bytes, { mode: 'merge' })).toEqual({ trajectories: 2 });
    expect(await idsOf(target)).toEqual(['a', 'b', 'mine']);
    await target.insertTrajectory(atifRun('after'));
    await target.insertTrajectory(atifRun('a', { text: 'updated' }), { onConflict: 'replace' });
    expect(await idsOf(target)).toEqual(['a', 'after', 'b', 'mine']);
    const schema = await editSnapshot(await target.exportSnapshot(), 'SELECT 1');
    const sqlite3 = await loadSqlite3();
    const check = new sqlite3.oo1.DB(':memory:', 'c');
    const p = sqlite3.wasm.allocFromTypedArray(schema);
    check.checkRc(
      sqlite3.capi.sqlite3_deserialize(
        check,
        'main',
        p,
        schema.length,
        schema.length,
        sqlite3.capi.SQLITE_DESERIALIZE_FREEONCLOSE,
      ),
    );
    expect(check.selectValues("SELECT name FROM sqlite_schema WHERE name LIKE 'evil%' OR name = 'loot'")).toEqual([]);
  });
});

describe('refuses bad files with a typed error, leaving the data exactly as it was', () => {
  const valid = async () => (await storeWith(['a', 'tg-1'])).exportSnapshot();
  const cases: Array<[string, () => Promise<Uint8Array>, string, RegExp]> = [
    ['empty', async () => new Uint8Array(0), 'corrupt_snapshot', /too short/],
    [
      'text',
      async () => new TextEncoder().encode('this is not a database, just some text '.repeat(10)),
      'corrupt_snapshot',
      /not a SQLite database/,
    ],
    [
      'a PNG',
      async () => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(200).fill(0)]),
      'corrupt_snapshot',
      /not a SQLite database/,
    ],
    ['cut mid-page', async () => (await valid()).slice(0, 5000), 'corrupt_snapshot', /truncated/],
    [
      'cut at a page boundary',
      async () => {
        const b = await valid();
        return b.slice(0, b.length / 2);
      },
      'corrupt_snapshot',
      /truncated/,
    ],
    [
      'an invalid page size',
      async () => {
        const b = (await valid()).slice();
        b[16] = 0;
        b[17] = 100;
        return b;
      },
      'corrupt_snapshot',
      /page size/,
    ],
    [
      'garbage pages',
      async () => {
        const b = (await valid()).slice();
        for (let i = 4096; i < b.length; i++) b[i] = (i * 7919) % 251;
        return b;
      },
      'corrupt_snapshot',
      /integrity|could not be read|malformed/,
    ],
    [
      "another application's database",
      async () => databaseBytes('PRAGMA application_id = 305419896; CREATE TABLE trajectories (x);'),
      'incompatible_snapshot',
      /another application/,
    ],
    [
      'a database without trajectories',
      async () =>
        databaseBytes("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'x');"),
      'incompatible_snapshot',
      /no trajectories table/,
    ],
    [
      'a newer schema',
      async () => editSnapshot(await valid(), "INSERT INTO _schema_version VALUES ('099_from_the_future', 'x', 'y')"),
      'incompatible_snapshot',
      /099_from_the_future/,
    ],
    [
      'an edited migration',
      async () =>
        editSnapshot(await valid(), "UPDATE _schema_version SET checksum = 'bad' WHERE version = '002_inferences'"),
      'incompatible_snapshot',
      /was edited/,
    ],
    [
      'trajectories replaced by a view',
      async () =>
        editSnapshot(
          await valid(),
          'DROP TABLE testgen_trajectories; ALTER TABLE trajectories RENAME TO t_old; CREATE VIEW trajectories AS SELECT * FROM t_old;',
        ),
      'incompatible_snapshot',
      /is a view, not a table/,
    ],
    [
      'a document that is not JSON',
      async () =>
        editSnapshot(
          await valid(),
          `DROP TRIGGER IF EXISTS trajectory_search_update;
      UPDATE trajectory_documents SET trajectory = '{not json' WHERE seq = (SELECT seq FROM trajectories WHERE id = 'a')`,
        ),
      'corrupt_snapshot',
      /not valid JSON/,
    ],
    [
      'a document that cannot be stored (steps not an array)',
      async () =>
        editSnapshot(
          await valid(),
          `DROP TRIGGER IF EXISTS trajectory_search_update;
      UPDATE trajectory_documents SET trajectory = json_set(trajectory, '$.steps', 'none') WHERE seq = (SELECT seq FROM trajectories WHERE id = 'a')`,
        ),
      'corrupt_snapshot',
      /steps/,
    ],
    [
      'a trajectory without its document',
      async () =>
        editSnapshot(
          await valid(),
          `PRAGMA foreign_keys = OFF; DROP TRIGGER trajectory_search_delete;
      DELETE FROM trajectory_documents WHERE seq = (SELECT seq FROM trajectories WHERE id = 'a')`,
        ),
      'corrupt_snapshot',
      /trajectory: is missing/,
    ],
  ];

  test.each(cases)('%s', async (_name, make, code, message) => {
    const store = await storeWith(['keep-1', 'keep-2', 'tg-keep']);
    const before = await store.exportSnapshot();
    const bytes = await make();
    for (const mode of ['replace', 'merge'] as const) {
      const error = await rejection(store.importSnapshot(bytes, { mode }));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/Nothing was changed/);
    }
    // Byte for byte: nothing was written.
    expect(Buffer.from(await store.exportSnapshot()).equals(Buffer.from(before))).toBe(true);
    expect((await rejection(openTrajectoryStore({ snapshot: bytes }))).code).toBe(code);
  });

  test('bytes that are not a Uint8Array, and an unknown mode', async () => {
    const store = await openTrajectoryStore();
    expect((await rejection(store.importSnapshot('file.sqlite' as never, { mode: 'replace' }))).code).toBe(
      'validation',
    );
    expect((await rejection(store.importSnapshot(new Uint8Array(), { mode: 'append' } as never))).issues).toEqual([
      { path: 'mode', message: expect.any(String) },
    ]);
  });
});
