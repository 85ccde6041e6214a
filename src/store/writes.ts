/**
 * Every write to the trajectory tables. Callers hold the transaction; a
 * record's rows (trajectories, trajectory_documents, testgen_trajectories)
 * are always written within it, so an item is never half-saved, and so is
 * its search text (search-index.ts), extracted when the record was made.
 */
import type { SqlValue } from '@sqlite.org/sqlite-wasm';
import type { Connection } from './connection.js';
import { setAside } from './schema-objects.js';
import type { TrajectoryRecord } from './documents.js';
import type { Placement } from './identity.js';
import { insertSearchTexts, keepSearchSettings, SEARCH_TABLES, SearchTextWrites } from './search-index.js';
import { sqliteJson } from './sqlite-json.js';

export interface SaveTimes {
  /** Kept when an existing row is replaced. */
  createdAt: string;
  updatedAt: string;
}

/** The columns of a new summary row in the order its values are given: summaryValues', then the row's own. */
const NEW_ROW_COLUMNS = [
  'kind',
  'session_id',
  'schema_version',
  'agent_name',
  'agent_version',
  'model_name',
  'step_count',
  'first_step_at',
  'last_step_at',
  'total_cost_usd',
  'total_tokens',
  'comprehensiveness_score',
  'status',
  'conformant',
  'id',
  'created_at',
  'updated_at',
  'indexed_at',
] as const;

/**
 * The statements a save runs on the summary and document tables, named so
 * that the native reference of the benchmark (bench/native_reference.py)
 * runs exactly these. The summary's first 14 parameters are the same in both.
 */
export const SAVE_STATEMENTS = {
  updateSummary: `UPDATE trajectories SET kind = ?, session_id = ?, schema_version = ?, agent_name = ?, agent_version = ?,
       model_name = ?, step_count = ?, first_step_at = ?, last_step_at = ?, total_cost_usd = ?, total_tokens = ?,
       comprehensiveness_score = ?, status = ?, conformant = ?, updated_at = ?, indexed_at = ?
     WHERE id = ? RETURNING seq`,
  insertSummary: `INSERT INTO trajectories (${NEW_ROW_COLUMNS.join(', ')})
     VALUES (${NEW_ROW_COLUMNS.map(() => '?').join(', ')}) RETURNING seq`,
  /**
   * Many new rows in one statement, their values read from one JSON array of arrays (json_each): binding 18 values
   * a row through the WASM boundary cost three times as much as SQLite reading them from one text. Parameters: the
   * first row's seq, the JSON (sqliteJson).
   */
  insertSummaries: `INSERT INTO trajectories (seq, ${NEW_ROW_COLUMNS.join(', ')})
     SELECT ? + key, ${NEW_ROW_COLUMNS.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?)`,
  updateDocument: 'UPDATE trajectory_documents SET trajectory = ?, embedding = NULL WHERE seq = ?',
  insertDocument: 'INSERT INTO trajectory_documents (seq, trajectory) VALUES (?, ?)',
} as const;

/** The first 14 parameters of both summary statements, from the record. */
export function summaryValues(record: TrajectoryRecord): SqlValue[] {
  return [
    record.kind,
    record.sessionId,
    record.schemaVersion,
    record.agentName,
    record.agentVersion,
    record.modelName,
    record.stepCount,
    record.firstStepAt,
    record.lastStepAt,
    record.totalCostUsd,
    record.totalTokens,
    record.testgen?.comprehensivenessScore ?? null,
    record.status,
    record.conformant ? 1 : 0,
  ];
}

/** What a caller of saveRecord knows and wants. */
export interface SaveContext {
  /** No row holds the record's id (the caller's placement found none): the summary is inserted without an update tried first. */
  isNew?: boolean;
  /** Gathers the search text, for the caller to write at its transaction's end; without it, the text is written at once. */
  searchTexts?: SearchTextWrites;
}

/**
 * Inserts the record, or replaces the row with its id in place (same `seq`,
 * same `createdAt`), which keeps keyset paging stable while a recorder
 * re-saves a growing session. Returns whether a row was replaced.
 */
export function saveRecord(
  conn: Connection,
  record: TrajectoryRecord,
  times: SaveTimes,
  context: SaveContext = {},
): 'inserted' | 'replaced' {
  const searchTexts = context.searchTexts ?? new SearchTextWrites();
  const existing = context.isNew
    ? undefined
    : conn.get<{ seq: number }>(SAVE_STATEMENTS.updateSummary, [
        ...summaryValues(record),
        times.updatedAt,
        times.updatedAt,
        record.id,
      ]);
  const replaced = existing !== undefined;
  if (replaced) {
    // A new document: any embedding of the old one no longer describes it.
    conn.run(SAVE_STATEMENTS.updateDocument, [record.json, existing.seq]);
    searchTexts.add(existing.seq, record.searchText, true);
  } else {
    const inserted = conn.get<{ seq: number }>(SAVE_STATEMENTS.insertSummary, newRowValues(record, times))!;
    conn.run(SAVE_STATEMENTS.insertDocument, [inserted.seq, record.json]);
    searchTexts.add(inserted.seq, record.searchText, false);
  }
  if (record.testgen) writeTestgenRow(conn, record, times.createdAt);
  else if (replaced) {
    // A testgen row replaced by an ATIF document under the same id.
    conn.run('DELETE FROM testgen_trajectories WHERE id = ?', [record.id]);
  }
  if (!context.searchTexts) searchTexts.write(conn);
  return replaced ? 'replaced' : 'inserted';
}

/**
 * Writes a record where place() put it (a new row unless placed as `replaced`), saved now; `searchTexts` gathers
 * its search text for the caller to write at its transaction's end.
 */
export function savePlaced(
  conn: Connection,
  record: TrajectoryRecord,
  placement: Placement,
  searchTexts?: SearchTextWrites,
): void {
  const now = new Date().toISOString();
  const isNew = placement.outcome !== 'replaced';
  saveRecord(conn, record, { createdAt: now, updatedAt: now }, { isNew, searchTexts });
}

/** The testgen table's row of a testgen record, inserted or replacing the one with its id. */
function writeTestgenRow(conn: Connection, record: TrajectoryRecord, createdAt: string): void {
  const g = record.testgen!;
  conn.run(
    `INSERT INTO testgen_trajectories (id, session_id, task_id, task_description, total_tests, total_rounds,
       category_rounds, comprehensiveness_score, total_tokens_used, duration_ms, tests, reflections, environment,
       uncertainties, error, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET session_id = excluded.session_id, task_id = excluded.task_id,
       task_description = excluded.task_description, total_tests = excluded.total_tests,
       total_rounds = excluded.total_rounds, category_rounds = excluded.category_rounds,
       comprehensiveness_score = excluded.comprehensiveness_score, total_tokens_used = excluded.total_tokens_used,
       duration_ms = excluded.duration_ms, tests = excluded.tests, reflections = excluded.reflections,
       environment = excluded.environment, uncertainties = excluded.uncertainties,
       error = excluded.error`,
    [
      record.id,
      record.sessionId,
      g.taskId,
      g.taskDescription,
      g.totalTests,
      g.totalRounds,
      g.categoryRounds,
      g.comprehensivenessScore,
      g.totalTokensUsed,
      g.durationMs,
      g.tests,
      g.reflections,
      g.environment,
      g.uncertainties,
      g.error,
      createdAt,
    ],
  );
}

/** A record to insert under an id no row holds, with its times. */
export interface NewRecord extends SaveTimes {
  record: TrajectoryRecord;
}

/** The values of insertSummary, in NEW_ROW_COLUMNS' order. */
function newRowValues(record: TrajectoryRecord, times: SaveTimes): SqlValue[] {
  return [...summaryValues(record), record.id, times.createdAt, times.updatedAt, times.updatedAt];
}

/**
 * Inserts records whose ids no row holds (the caller knows: a replace import after deleteAllRecords). Writes the
 * same rows as saveRecord would, one after the other, with a statement per table instead of per row where SQLite
 * can read the values from one JSON text (the summaries and the search text). The caller holds the transaction;
 * an id that is taken after all fails it (UNIQUE), nothing is overwritten.
 */
export function insertNewRecords(conn: Connection, rows: readonly NewRecord[]): void {
  if (rows.length === 0) return;
  const first = Number(conn.value('SELECT coalesce(max(seq), 0) + 1 FROM trajectories'));
  conn.run(SAVE_STATEMENTS.insertSummaries, [
    first,
    sqliteJson(rows.map(({ record, ...times }) => newRowValues(record, times))),
  ]);
  rows.forEach(({ record, createdAt }, i) => {
    conn.run(SAVE_STATEMENTS.insertDocument, [first + i, record.json]);
    if (record.testgen) writeTestgenRow(conn, record, createdAt);
  });
  insertSearchTexts(
    conn,
    first,
    rows.map(({ record }) => record.searchText),
  );
}

/**
 * Runs `fill`, which inserts many rows into the (empty) summary table, with the table's secondary indexes dropped,
 * and creates them again afterwards from their own declarations in sqlite_schema (so exactly as the migrations
 * declared them): SQLite then builds each index by one sort, instead of updating a dozen b-trees row by row in
 * random order, which past the page cache is much of a large import's I/O. The caller holds the transaction: on
 * any failure the indexes come back with the rollback.
 */
export function withoutSummaryIndexes<T>(conn: Connection, fill: () => T): T {
  const createIndexes = dropSummaryIndexes(conn);
  const result = fill();
  createIndexes();
  return result;
}

/** withoutSummaryIndexes' first half, for a fill that arrives over time: returns the second (creates them again). */
export function dropSummaryIndexes(conn: Connection): () => void {
  return setAside(conn, 'index', "tbl_name = 'trajectories'");
}

/** Deletes a trajectory; its document and testgen row go by cascade, its search entries by trigger. */
export function deleteRecord(conn: Connection, id: string): boolean {
  return conn.run('DELETE FROM trajectories WHERE id = ?', [id]) > 0;
}

/**
 * The tables a replace empties by dropping them and declaring them again (with their indexes and triggers) from
 * their own declarations in sqlite_schema, so exactly as the migrations declared them. Dropped, a table's pages are
 * freed as they are, instead of each row being deleted: FTS5 would read and tokenize every document's text again to
 * take it out of the index (which costs as much as indexing it), and a row-by-row delete writes every page of the
 * documents again, most of a database's size, into the log. No table points at these; each points at
 * `trajectories` only, and SQLite drops such a table without any foreign key work.
 */
const REPLACED_TABLES = [...SEARCH_TABLES, 'trajectory_documents', 'testgen_trajectories'];

/**
 * Deletes every trajectory (a snapshot import's `replace`): the tables above dropped and declared again (the search
 * tables with their FTS5 settings), the rollup emptied with them, then the summary rows, whose delete triggers find
 * nothing left to update. Run it within withoutSummaryIndexes: a row-by-row delete with a dozen secondary indexes
 * costs five times as much. The caller holds the transaction: on any failure all of it rolls back.
 */
export function deleteAllRecords(conn: Connection): void {
  const placeholders = REPLACED_TABLES.map(() => '?').join(', ');
  // Tables first: a trigger or index is declared after its table (a virtual table's shadow tables come with it).
  const declared = conn.all<{ type: string; sql: string }>(
    `SELECT type, sql FROM sqlite_schema WHERE tbl_name IN (${placeholders}) AND sql IS NOT NULL
     ORDER BY type <> 'table'`,
    REPLACED_TABLES,
  );
  const restoreSearchSettings = keepSearchSettings(conn);
  for (const name of REPLACED_TABLES) conn.db.exec(`DROP TABLE "${name}"`);
  for (const { sql } of declared) conn.db.exec(sql);
  restoreSearchSettings();
  conn.run('DELETE FROM trajectory_stats_daily');
  // Emptied row by row, not dropped: its AUTOINCREMENT counter numbers the changes a team sync has pushed
  // (sync_targets.pushed_through), and must go on counting. Emptied before the summary rows, so that their
  // cascade finds nothing to delete.
  conn.run('DELETE FROM trajectory_changes');
  conn.run('DELETE FROM trajectories');
}
