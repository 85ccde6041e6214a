/**
 * Writing the search index (migrations/006's FTS5 tables) from the text that
 * search-text.ts extracts. A row whose `indexed_at` is NULL is not indexed
 * yet: saves index their row at once; `indexPending` indexes every row left
 * so (after migration 010, or rows that another path copied in).
 */
import type { SqlValue } from '@sqlite.org/sqlite-wasm';
import type { Connection } from './connection.js';
import { sqliteJson } from './sqlite-json.js';
import { atifSearchText, testgenSearchText, type SearchText } from './search-text.js';

/** The FTS5 tables of the search index: words, and trigrams of the text written without spaces between words. */
export const SEARCH_TABLES = ['trajectory_search', 'trajectory_search_unsegmented'] as const;

/**
 * Takes note of the search tables' FTS5 settings (migrations/015's automerge), which each keeps in its config
 * table, and returns what puts them back: a table declared again (deleteAllRecords) starts with FTS5's defaults.
 */
export function keepSearchSettings(conn: Connection): () => void {
  const settings = SEARCH_TABLES.flatMap((table) =>
    conn
      .all<{ k: string; v: SqlValue }>(`SELECT k, v FROM ${table}_config WHERE k <> 'version'`)
      .map(({ k, v }) => ({ table, k, v })),
  );
  return () => {
    for (const { table, k, v } of settings) setFts5Option(conn, table, k, v);
  };
}

/** FTS5's way to change a table's setting: a special INSERT, kept in the table's config. */
function setFts5Option(conn: Connection, table: string, key: string, value: SqlValue): void {
  conn.run(`INSERT INTO ${table} (${table}, rank) VALUES (?, ?)`, [key, value]);
}

/** FTS5's own automerge (fts5_index.c), which migrations/015 lowers to 2 for the single saves after a bulk. */
const FTS5_DEFAULT_AUTOMERGE = 4;

/**
 * For a replace import, which writes the whole index in one transaction: FTS5's default automerge while it writes,
 * the tables' own settings back at its end (the returned function). 015's 2 merges a level as soon as it holds two
 * segments, so a write this size rewrites its words about twice as often (a replace import of 100,000: 25.7 s
 * before 015, 30.6 s with it). What 015 is for, the single saves that follow, gets 2 again.
 */
export function mergeAsFts5DefaultUntilDone(conn: Connection): () => void {
  const restore = keepSearchSettings(conn);
  for (const table of SEARCH_TABLES) setFts5Option(conn, table, 'automerge', FTS5_DEFAULT_AUTOMERGE);
  return restore;
}

/** Rows indexed per transaction by indexPending. */
const BATCH_SIZE = 500;

/** The statements that write a row's search text (named for bench/native_reference.py, which runs them too). */
export const SEARCH_STATEMENTS = {
  deleteBody: 'DELETE FROM trajectory_search WHERE rowid = ?',
  deleteUnsegmented: 'DELETE FROM trajectory_search_unsegmented WHERE rowid = ?',
  insertBody: 'INSERT INTO trajectory_search (rowid, body) VALUES (?, ?)',
  insertUnsegmented: 'INSERT INTO trajectory_search_unsegmented (rowid, unsegmented) VALUES (?, ?)',
  /** Many rows' text in one statement, read from one JSON array (sqlite-json.ts): the first rowid, the texts. */
  insertBodies: 'INSERT INTO trajectory_search (rowid, body) SELECT ? + key, value FROM json_each(?)',
  /** The same for the rows that have unsegmented text: one JSON array of [rowid, text] pairs. */
  insertUnsegmentedPairs:
    'INSERT INTO trajectory_search_unsegmented (rowid, unsegmented) SELECT value ->> 0, value ->> 1 FROM json_each(?)',
} as const;

/**
 * The search texts a transaction writes, held back to its end and written there one after the other. FTS5 keeps
 * the words of the rows it is given in memory and writes them out as a segment of its index whenever another
 * statement of the transaction opens a statement savepoint, which the summary's UPDATE and INSERT (with their
 * triggers) do: a batch that wrote each row's text between its summary rows left one small segment per document,
 * which FTS5 then merged again and again. Written together, a batch's words become a few large segments.
 * A row given twice (the same id twice in one batch) is written once, with its last text.
 */
export class SearchTextWrites {
  /** By seq: the text to write, and whether the index may hold an older entry for the row. */
  private readonly rows = new Map<number, { text: SearchText; replacing: boolean }>();

  add(seq: number, text: SearchText, replacing: boolean): void {
    const earlier = this.rows.get(seq);
    this.rows.set(seq, { text, replacing: earlier ? earlier.replacing : replacing });
  }

  /** Writes every text added, in place of anything the index held for its row. The caller holds the transaction. */
  write(conn: Connection): void {
    for (const [seq, { replacing }] of this.rows) {
      if (!replacing) continue;
      conn.run(SEARCH_STATEMENTS.deleteBody, [seq]);
      conn.run(SEARCH_STATEMENTS.deleteUnsegmented, [seq]);
    }
    for (const [seq, { text }] of this.rows) {
      conn.run(SEARCH_STATEMENTS.insertBody, [seq, text.body]);
      if (text.unsegmented !== null) conn.run(SEARCH_STATEMENTS.insertUnsegmented, [seq, text.unsegmented]);
    }
    this.rows.clear();
  }
}

/** Puts the texts of new rows `firstSeq`, `firstSeq + 1`... in the index, which holds nothing for them yet. */
export function insertSearchTexts(conn: Connection, firstSeq: number, texts: readonly SearchText[]): void {
  conn.run(SEARCH_STATEMENTS.insertBodies, [firstSeq, sqliteJson(texts.map((text) => text.body))]);
  const unsegmented = texts.flatMap((text, i) => (text.unsegmented === null ? [] : [[firstSeq + i, text.unsegmented]]));
  if (unsegmented.length > 0) conn.run(SEARCH_STATEMENTS.insertUnsegmentedPairs, [sqliteJson(unsegmented)]);
}

/** The searchable text of a stored document, read from its JSON text (nothing, if that is not JSON). */
export function storedSearchText(kind: string, json: string): SearchText {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return { body: '', unsegmented: null };
  }
  return kind === 'testgen' ? testgenSearchText(doc) : atifSearchText(doc);
}

/** How indexPending finds the rows to index: through the partial index of migrations/012, on every open. */
export const PENDING_STATEMENTS = {
  count: 'SELECT count(*) FROM trajectories WHERE indexed_at IS NULL',
  batch: `SELECT t.seq, t.kind, d.trajectory AS json FROM trajectories t
      LEFT JOIN trajectory_documents d ON d.seq = t.seq
    WHERE t.indexed_at IS NULL ORDER BY t.seq LIMIT ?`,
} as const;

/**
 * Indexes every row not indexed yet, in transactions of BATCH_SIZE rows.
 * This is what a path that writes rows without the store's saves (a bulk copy
 * of a snapshot's rows, say) calls afterwards. Returns the number of rows indexed.
 */
export function indexPending(conn: Connection, onProgress?: (done: number, total: number) => void): number {
  const total = Number(conn.value(PENDING_STATEMENTS.count));
  let done = 0;
  while (done < total) {
    const indexed = conn.transaction(() => {
      const rows = conn.all<{ seq: number; kind: string; json: string | null }>(PENDING_STATEMENTS.batch, [BATCH_SIZE]);
      const now = new Date().toISOString();
      const texts = new SearchTextWrites();
      for (const { seq, kind, json } of rows) {
        texts.add(seq, storedSearchText(kind, json ?? ''), true);
        conn.run('UPDATE trajectories SET indexed_at = ? WHERE seq = ?', [now, seq]);
      }
      texts.write(conn);
      return rows.length;
    });
    if (indexed === 0) break;
    done += indexed;
    onProgress?.(done, total);
  }
  return done;
}
