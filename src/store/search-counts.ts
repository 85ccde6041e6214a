/**
 * How many rows hold each phrase of a search, for bm25's IDF (store_bm25,
 * fts5-rank.ts), without reading a common phrase's whole list of rows on
 * every search.
 *
 * bm25's IDF, log((N - n + 0.5) / (n + 0.5)), is 0 or less once a phrase is
 * in half of the N rows, and bm25 then takes 1e-6 whatever n is: a count
 * stops a little past half the rows (HEADROOM), and says "at least this
 * many". Below that it is exact.
 *
 * Counts are kept per connection from one search to the next, and given
 * again only while they cannot have changed: an exact count until anything
 * is written; an "at least" count while it still proves half the rows after
 * every row change since (each change moves a phrase's count by at most one).
 * A write by another connection, or a table dropped and declared again (a
 * replace import), forgets them all. So a search ranks exactly as with fresh
 * counts; the first search of a common word pays its count, the next ones
 * (other pages, other queries holding it) do not.
 */
import type { Connection } from './connection.js';
import { loadedSqlite3 } from './sqlite3.js';

/**
 * Rows counted past half the table: the room an "at least" count keeps for later writes. Every row FTS5 writes
 * counts as changes, with the rows of its own tables (5 for a row indexed): a save uses a few dozen of them.
 */
export const HEADROOM = 2048;
/** Phrases remembered per connection; the least recently used is forgotten first. */
const REMEMBERED = 256;

/** Where counts stay valid: what the connection saw when it counted. */
type Epoch = {
  /** Rows changed by this connection (sqlite3_total_changes: every insert, update, delete; triggers too). */
  changes: number;
  /** Another connection's commit changes it. */
  dataVersion: number;
  /** A table dropped or declared changes it (not counted as row changes). */
  schemaVersion: number;
};

interface Count {
  /** Rows holding the phrase, or (atLeast) a number they are not below. */
  rows: number;
  atLeast: boolean;
  changes: number;
}

interface Remembered {
  epoch: Omit<Epoch, 'changes'>;
  counts: Map<string, Count>;
}

const remembered = new WeakMap<Connection, Remembered>();

/**
 * Each phrase's row count in `table`'s FTS5 index, in the form store_bm25 takes: the exact count, or any number of
 * at least half the index's rows (then bm25's IDF is 1e-6 whatever the count). Outside a transaction only are
 * counts kept: one that rolls back would leave counts of rows that are gone.
 */
export function phraseRows(conn: Connection, table: string, phrases: readonly string[]): number[] {
  const epoch = conn.get<Epoch>(EPOCH)!;
  // Half of an upper bound of the index's rows (rowids are distinct positive integers): the count store_bm25 takes
  // as "at least half" must be at least half of the exact number, which it reads itself.
  const half = Math.ceil(Number(conn.value(`SELECT rowid FROM ${table} ORDER BY rowid DESC LIMIT 1`) ?? 0) / 2);
  const keep = loadedSqlite3().capi.sqlite3_get_autocommit(conn.db) !== 0;
  let memory = remembered.get(conn);
  if (!memory || memory.epoch.dataVersion !== epoch.dataVersion || memory.epoch.schemaVersion !== epoch.schemaVersion) {
    memory = { epoch, counts: new Map() };
    if (keep) remembered.set(conn, memory);
  }
  const counts = memory.counts;
  return phrases.map((phrase) => {
    const key = `${table}\u0000${phrase}`;
    const known = counts.get(key);
    if (known) {
      counts.delete(key); // to the back of the queue: most recently used
      const changed = epoch.changes - known.changes;
      const still = known.atLeast ? known.rows - changed : known.rows;
      if (changed === 0 || (known.atLeast && still >= half)) {
        counts.set(key, known);
        return still;
      }
    }
    const stopAt = half + HEADROOM;
    const rows = Number(
      conn.value(`SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE ${table} MATCH ? LIMIT ?)`, [phrase, stopAt]),
    );
    if (keep) {
      counts.set(key, { rows, atLeast: rows >= stopAt, changes: epoch.changes });
      if (counts.size > REMEMBERED) counts.delete(counts.keys().next().value!);
    }
    return rows;
  });
}

const EPOCH = `SELECT total_changes() AS changes, data_version AS dataVersion, schema_version AS schemaVersion
  FROM pragma_data_version, pragma_schema_version`;
