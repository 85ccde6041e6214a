/**
 * Where a document goes when its id is taken: the store's identity rule.
 *
 * A stored trajectory is replaced only by the same trajectory: an identical
 * document (then nothing is written: `unchanged`), or one whose steps start
 * with the stored ones (a recorder's growing checkpoint, a resumed session:
 * `replaced`). Anything else is a different trajectory that happens to share
 * the id (public datasets reuse one session_id for a whole run of tasks): it is
 * kept beside the stored one under a fresh id, `id~2`, `id~3`... (`renamed`).
 *
 * The stored copies of an id (`id`, `id~2`, ...) are its family, and a
 * newcomer is compared with all of them, so that saving or importing the same
 * documents again finds them (`unchanged`) instead of adding more copies.
 *
 * Callers may ask for another rule by name: `replace` (overwrite whatever has
 * the id), `skip` (leave it), `keep-both` (always store the newcomer under a
 * fresh id, even when it is identical).
 */
import { jsonText } from '../schema/exact-json.js';
import { isRecord } from '../schema/json.js';
import type { OnConflict } from '../schema/query.js';
import type { Connection } from './connection.js';
import type { TrajectoryRecord } from './documents.js';

/** What to do with a record: write it under `id` (inserting or replacing), or leave the database alone. */
export type Placement =
  | { write: true; id: string; outcome: 'inserted' | 'replaced' | 'renamed' }
  | { write: false; id: string; outcome: 'unchanged' | 'skipped' };

interface StoredCopy {
  id: string;
  kind: string;
  json: string;
  stepCount: number;
}

/** Just past every id that starts with `prefix` in SQLite's (binary) order. */
const PAST_PREFIX = '\u{10FFFF}';

/** Whether a row has the id (exported for bench/native_reference.py, which runs the same check). */
export const EXISTS_STATEMENT = 'SELECT 1 FROM trajectories WHERE id = ?';

export function exists(conn: Connection, id: string): boolean {
  return conn.value(EXISTS_STATEMENT, [id]) !== undefined;
}

/** The stored copies of `id`: itself first, then `id~2`, `id~3`... (and their own copies). */
function family(conn: Connection, id: string): StoredCopy[] {
  return conn
    .all<{ id: string; kind: string; json: string; step_count: number }>(
      `SELECT t.id, t.kind, d.trajectory AS json, t.step_count FROM trajectories t
       JOIN trajectory_documents d ON d.seq = t.seq
     WHERE t.id = ? OR (t.id > ? AND t.id < ?) ORDER BY t.id <> ?, t.seq`,
      [id, `${id}~`, `${id}~${PAST_PREFIX}`, id],
    )
    .map((row) => ({ id: row.id, kind: row.kind, json: row.json, stepCount: Number(row.step_count) }));
}

/**
 * A free id of the form `id~N`: one past the highest N in use (N read as a
 * whole number of any size, so `id~9007199254740992` is followed by
 * `id~9007199254740993`, not by itself), checked to be free.
 */
export function freshId(conn: Connection, id: string): string {
  const prefix = `${id}~`;
  const taken = conn.all<{ id: string }>('SELECT id FROM trajectories WHERE id > ? AND id < ?', [
    prefix,
    `${prefix}${PAST_PREFIX}`,
  ]);
  let highest = 1n;
  for (const row of taken) {
    const suffix = row.id.slice(prefix.length);
    if (/^\d{1,100}$/.test(suffix) && BigInt(suffix) > highest) highest = BigInt(suffix);
  }
  let candidate = `${prefix}${highest + 1n}`;
  while (exists(conn, candidate)) {
    highest += 1n;
    candidate = `${prefix}${highest + 1n}`;
  }
  return candidate;
}

/** The list a document grows by: ATIF `steps`, a testgen session's `tests`. */
function growingList(kind: string): string {
  return kind === 'testgen' ? 'tests' : 'steps';
}

/**
 * Whether `record` continues the stored copy: the same kind and the same
 * list (steps, tests) so far, with the stored items first. For testgen also
 * the same task. Compared as exact JSON text, item by item.
 */
function continues(stored: StoredCopy, record: TrajectoryRecord, itemTexts: () => string[]): boolean {
  if (stored.kind !== record.kind) return false;
  const items = itemTexts();
  const list = growingList(record.kind);
  if (record.kind === 'atif') {
    if (stored.stepCount > items.length) return false;
    // Most copies of a shared id are other tasks: their text lacks our first step, and need not be parsed.
    if (stored.stepCount > 0 && !stored.json.includes(items[0]!)) return false;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(stored.json);
  } catch {
    return false;
  }
  if (!isRecord(doc) || !Array.isArray(doc[list])) return false;
  const storedItems = doc[list] as unknown[];
  if (storedItems.length > items.length) return false;
  if (record.kind === 'testgen') {
    const mine = JSON.parse(record.json) as Record<string, unknown>;
    if (mine.task_id !== doc.task_id) return false;
  }
  return storedItems.every((item, i) => jsonText(item) === items[i]);
}

/** Decides where `record` goes under `onConflict` (undefined: the identity rule). */
export function place(conn: Connection, record: TrajectoryRecord, onConflict: OnConflict | undefined): Placement {
  const { id } = record;
  if (!exists(conn, id)) return { write: true, id, outcome: 'inserted' };
  switch (onConflict) {
    case 'replace':
      return { write: true, id, outcome: 'replaced' };
    case 'skip':
      return { write: false, id, outcome: 'skipped' };
    case 'keep-both':
      return { write: true, id: freshId(conn, id), outcome: 'renamed' };
  }
  const copies = family(conn, id);
  const same = copies.find((copy) => copy.kind === record.kind && copy.json === record.json);
  if (same) return { write: false, id: same.id, outcome: 'unchanged' };
  let texts: string[] | undefined;
  const itemTexts = () => {
    if (!texts) {
      const doc = JSON.parse(record.json) as Record<string, unknown>;
      const items = doc[growingList(record.kind)];
      texts = Array.isArray(items) ? items.map(jsonText) : [];
    }
    return texts;
  };
  const grown = copies.find((copy) => continues(copy, record, itemTexts));
  if (grown) return { write: true, id: grown.id, outcome: 'replaced' };
  return { write: true, id: freshId(conn, id), outcome: 'renamed' };
}
