/**
 * A database made by the original desktop tool, built here exactly as it was
 * (defects included), is upgraded in place and then behaves.
 */
import { describe, expect, test } from 'vitest';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../src/store/migration-files.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { StoreCore } from '../src/store/store.js';
import { atifRun, rawDatabase, testgenSession } from './fixtures.js';
import { createOriginalDatabase, originalInsertTestGen } from './original-desktop-tool.js';

async function originalDatabase() {
  const db = await rawDatabase();
  createOriginalDatabase(db);
  originalInsertTestGen(db, testgenSession('tg-1', { taskDescription: 'Parse the quarterly ledger' }));
  originalInsertTestGen(
    db,
    testgenSession('tg-2', { reflections: [{ reflectionText: 'Unicode filenames are untested', action: 'refining' }] }),
  );
  originalInsertTestGen(db, testgenSession('tg-orphan', { uncertainties: ['orphaned by a failed second insert'] }), {
    orphan: true,
  });
  originalInsertTestGen(db, testgenSession('tg-escaped', { taskDescription: '東京タワーの高さを調べる' }), {
    asciiJson: true,
  });
  return db;
}

describe('the original desktop tool database, as it was', () => {
  test('carries the recorded defects', async () => {
    const db = await originalDatabase();
    // 1: any document with `steps` fails to insert.
    expect(() =>
      db.exec({
        sql: "INSERT INTO trajectories (session_id, schema_version, agent_name, trajectory) VALUES ('a', 'ATIF-v1.6', 'x', ?)",
        bind: [JSON.stringify(atifRun('a'))],
      }),
    ).toThrow(/bad JSON path/);
    // 2: testgen rows are in the index with NULL content, so never found.
    expect(db.selectValue('SELECT count(*) FROM trajectories_fts WHERE content IS NULL')).toBe(4);
    expect(db.selectValue("SELECT count(*) FROM trajectories_fts WHERE trajectories_fts MATCH 'ledger'")).toBe(0);
    // 3: updates and deletes fail.
    expect(() => db.exec("UPDATE trajectories SET model_name = 'm' WHERE session_id = 'tg-1'")).toThrow(
      /SQL logic error/,
    );
    expect(() => db.exec("DELETE FROM trajectories WHERE session_id = 'tg-1'")).toThrow(/SQL logic error/);
    // 5: foreign keys are off.
    expect(db.selectValue('PRAGMA foreign_keys')).toBe(0);
    // 6: the orphan exists.
    expect(
      db.selectValue(
        'SELECT count(*) FROM trajectories WHERE session_id NOT IN (SELECT session_id FROM testgen_trajectories)',
      ),
    ).toBe(1);
  });
});

describe('upgraded in place by opening it', () => {
  async function upgraded() {
    const db = await originalDatabase();
    const core = new StoreCore(await loadSqlite3(), db);
    return { core, db };
  }

  test('records the new versions and keeps the old rows', async () => {
    const { core, db } = await upgraded();
    expect(core.info().schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    // The original tool's 001 stays under its own name; every later file is recorded.
    expect(db.selectValues('SELECT version FROM _schema_version ORDER BY version')).toEqual([
      ...MIGRATIONS.slice(1).map((m) => m.version),
      '1.0.0',
    ]);
    const ids = core
      .listTrajectories({ orderBy: 'createdAt', order: 'asc' })
      .items.map((s) => s.id)
      .sort();
    expect(ids).toEqual(['tg-1', 'tg-2', 'tg-escaped', 'tg-orphan']);
    expect(
      core.listTrajectories().items.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(s.createdAt)),
    ).toBe(true);
  });

  test('makes testgen rows searchable, the orphan included', async () => {
    const { core } = await upgraded();
    expect(core.searchTrajectories('ledger').items.map((h) => h.id)).toEqual(['tg-1']);
    expect(core.searchTrajectories('unicode filenames').items.map((h) => h.id)).toEqual(['tg-2']);
    expect(core.searchTrajectories('orphaned').items.map((h) => h.id)).toEqual(['tg-orphan']);
    // Written with \u escapes, as some tools write JSON: still found inside a run of Japanese.
    expect(core.searchTrajectories('タワー').items.map((h) => h.id)).toEqual(['tg-escaped']);
  });

  test('gives the orphan its testgen row back from its document', async () => {
    const { core } = await upgraded();
    const orphan = core.getTrajectory('tg-orphan')!;
    expect(orphan.summary).toMatchObject({
      kind: 'testgen',
      taskId: 'regex-log',
      totalTests: 3,
      comprehensivenessScore: 8,
    });
    expect(orphan.testgen).toMatchObject({
      sessionId: 'tg-orphan',
      uncertainties: ['orphaned by a failed second insert'],
    });
  });

  test('then ATIF inserts, re-saves and deletes all work, search index included', async () => {
    const { core } = await upgraded();
    core.insertTrajectory(atifRun('run-1', { text: 'Refactor the parser' }));
    expect(core.searchTrajectories('parser').items.map((h) => h.id)).toEqual(['run-1']);
    core.insertTrajectory(atifRun('run-1', { text: 'Rename the lexer' }), { onConflict: 'replace' });
    expect(core.searchTrajectories('parser').items).toEqual([]);
    expect(core.searchTrajectories('lexer').items.map((h) => h.id)).toEqual(['run-1']);
    expect(core.deleteTrajectory('run-1')).toBe(true);
    expect(core.deleteTrajectory('tg-1')).toBe(true);
    expect(core.searchTrajectories('lexer').items).toEqual([]);
    expect(core.searchTrajectories('ledger').items).toEqual([]);
    expect(core.getTrajectory('tg-1')).toBeNull();
  });

  test('re-saves and deletes of old testgen rows cascade to their testgen row', async () => {
    const { core, db } = await upgraded();
    core.insertTestGenTrajectory(testgenSession('tg-2', { totalTests: 9 }));
    expect(core.getTrajectory('tg-2')!.summary.totalTests).toBe(9);
    core.deleteTrajectory('tg-2');
    expect(db.selectValue("SELECT count(*) FROM testgen_trajectories WHERE id = 'tg-2'")).toBe(0);
    expect(db.selectValue('PRAGMA foreign_keys')).toBe(1);
  });
});
