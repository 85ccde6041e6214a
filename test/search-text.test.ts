/**
 * The search text is extracted in JS at save time, by place in the ATIF
 * structure (issue 7 item 5), at any depth (issue 8), and databases indexed
 * by migration 006's SQL view are re-indexed when they are opened.
 */
import { describe, expect, test } from 'vitest';
import { MIGRATIONS } from '../src/store/migration-files.js';
import { migrate } from '../src/store/migrations.js';
import { Connection } from '../src/store/connection.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { StoreCore } from '../src/store/store.js';
import { atifSearchText } from '../src/store/search-text.js';
import { PENDING_STATEMENTS } from '../src/store/search-index.js';
import { deeplyNested } from './fidelity-corpus.js';
import { atifRun, openCore, rawDatabase } from './fixtures.js';

const ids = (core: StoreCore, text: string) =>
  core
    .searchTrajectories(text)
    .items.map((h) => h.id)
    .sort();

/** A run whose tool argument is named `source` and whose observation carries a field named `timestamp`. */
function placesRun(id: string) {
  return {
    schema_version: 'ATIF-v1.6',
    session_id: id,
    agent: { name: 'places', version: '1' },
    steps: [
      { step_id: 1, timestamp: '2025-01-02T03:04:05Z', source: 'user', message: 'Copy the file' },
      {
        step_id: 2,
        source: 'agent',
        message: [{ type: 'text', text: 'copying' }],
        tool_calls: [
          { tool_call_id: 'callidentifier77', function_name: 'copy', arguments: { source: 'quarterlyreport.txt' } },
        ],
        observation: {
          results: [{ source_call_id: 'callidentifier77', content: { timestamp: 'yesterdaynoon', status: 'copied' } }],
        },
      },
    ],
  };
}

describe('text by place in the ATIF structure', () => {
  test('a tool argument named source and an observation field named timestamp are searchable', async () => {
    const { core } = await openCore();
    core.insertTrajectory(placesRun('places-1'));
    expect(ids(core, 'quarterlyreport')).toEqual(['places-1']);
    expect(ids(core, 'yesterdaynoon')).toEqual(['places-1']);
    expect(ids(core, 'copying')).toEqual(['places-1']);
  });

  test('identifiers and dates at their places are left out', () => {
    const { body } = atifSearchText(placesRun('places-1'));
    expect(body.split('\n')).toEqual([
      'places',
      '1',
      'Copy the file',
      'copying',
      'copy',
      'quarterlyreport.txt',
      'yesterdaynoon',
      'copied',
    ]);
  });

  test('a document nested far deeper than 1,000 levels keeps its top message and its deepest words searchable', async () => {
    const { core } = await openCore();
    core.insertTrajectory(deeplyNested('deep-search', 5_000, 'bathyal'));
    expect(ids(core, 'bathyaltop')).toEqual(['deep-search']);
    expect(ids(core, '"bathyal at the bottom"')).toEqual(['deep-search']);
  });

  test('a replaced document leaves no stale words, a deleted one none at all', async () => {
    const { core } = await openCore();
    core.insertTrajectory({ ...atifRun('grow', { steps: 2 }), notes: 'firstdraft' });
    core.insertTrajectory({ ...atifRun('grow', { steps: 3 }), notes: 'seconddraft' });
    expect(ids(core, 'firstdraft')).toEqual([]);
    expect(ids(core, 'seconddraft')).toEqual(['grow']);
    core.deleteTrajectory('grow');
    expect(ids(core, 'seconddraft')).toEqual([]);
  });
});

describe('ids are found by id:', () => {
  test('id:VALUE finds the row stored under it or with that session id, alone or with words', async () => {
    const { core } = await openCore();
    core.insertTrajectory(atifRun('run-a', { text: 'alpha task' }));
    core.insertTrajectory(atifRun('run-a', { text: 'beta task' }));
    core.insertTrajectory(atifRun('run-b', { text: 'alpha task' }));
    expect(ids(core, 'id:run-a~2')).toEqual(['run-a~2']);
    expect(ids(core, 'id:run-a')).toEqual(['run-a', 'run-a~2']);
    expect(ids(core, 'id:run-a alpha')).toEqual(['run-a']);
    expect(ids(core, 'alpha')).toEqual(['run-a', 'run-b']);
    expect(core.listTrajectories({ sessionId: 'run-a' }).items).toHaveLength(2);
  });
});

describe('rows waiting for the search index', () => {
  test('are found on open through their own partial index, not by reading every summary row', async () => {
    const { db } = await openCore();
    const plan = (sql: string) => db.selectArrays(`EXPLAIN QUERY PLAN ${sql}`).map((row) => String(row[3]));
    // The partial index holds only the rows waiting: scanning it reads none of the others.
    expect(plan(PENDING_STATEMENTS.count)).toEqual(['SCAN trajectories USING INDEX trajectories_unindexed']);
    expect(plan(PENDING_STATEMENTS.batch.replace('?', '500'))[0]).toBe('SCAN t USING INDEX trajectories_unindexed');
  });
});

describe('a database indexed by the SQL view of migration 006', () => {
  test('is re-indexed in JS when it is opened, and then finds text the view left out', async () => {
    const sqlite3 = await loadSqlite3();
    const db = await rawDatabase();
    const before010 = MIGRATIONS.filter((m) => m.version < '010');
    migrate(new Connection(db), before010);
    // A row written as the previous release wrote it: its triggers index it, without the tool argument named `source`.
    db.exec(`INSERT INTO trajectories (id, kind, session_id, schema_version, agent_name, step_count, created_at, updated_at)
      VALUES ('old-1', 'atif', 'old-1', 'ATIF-v1.6', 'places', 2, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`);
    db.exec({
      sql: 'INSERT INTO trajectory_documents (seq, trajectory) VALUES ((SELECT seq FROM trajectories WHERE id = ?), ?)',
      bind: ['old-1', JSON.stringify(placesRun('old-1'))],
    });
    expect(
      db.selectValue("SELECT count(*) FROM trajectory_search WHERE trajectory_search MATCH 'quarterlyreport'"),
    ).toBe(0);

    const core = new StoreCore(sqlite3, db);
    expect(ids(core, 'quarterlyreport')).toEqual(['old-1']);
    expect(ids(core, 'Copy')).toEqual(['old-1']);
    expect(db.selectValue('SELECT count(*) FROM trajectories WHERE indexed_at IS NULL')).toBe(0);
    expect(db.selectValue("SELECT count(*) FROM sqlite_schema WHERE name = 'trajectory_search_text'")).toBe(0);
  });
});
