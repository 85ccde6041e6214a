/**
 * The store's half of store.sync() (src/client/sync.ts does the network): the trajectories changed since a
 * team server's watermark, as the lines of a team batch, and the watermark itself, kept in the database
 * (migrations/013) so that a closed tab or an offline hour loses nothing and resends nothing.
 */
import type { SyncBatch, SyncTargetStatus } from '../contract/sync.js';
import type { SyncBatchOptions, SyncProgress, SyncTarget } from '../schema/sync.js';
import { DEFAULT_SYNC_BATCH_BYTES, DEFAULT_SYNC_BATCH_ITEMS } from '../schema/sync.js';
import type { Connection } from './connection.js';
import { itemBody } from './read.js';

const encoder = new TextEncoder();

function pushedThrough(conn: Connection, { server, member }: SyncTarget): number {
  const value = conn.value('SELECT pushed_through FROM sync_targets WHERE server = ? AND member = ?', [server, member]);
  return Number(value ?? 0);
}

/** Saves and deletions after `change`, still to send. */
function changesAfter(conn: Connection, change: number): number {
  return Number(
    conn.value(
      `SELECT (SELECT count(*) FROM trajectory_changes WHERE change > ?1)
            + (SELECT count(*) FROM trajectory_tombstones WHERE change > ?1)`,
      [change],
    ),
  );
}

/**
 * The next change number, for a tombstone: taken from trajectory_changes' AUTOINCREMENT sequence, so that saves and
 * deletions share one order. SQLite lets sqlite_sequence be updated like any table, and AUTOINCREMENT never hands
 * out a number at or below the one it holds (https://sqlite.org/autoinc.html).
 */
function nextChange(conn: Connection): number {
  const bumped = conn.run("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'trajectory_changes'");
  if (bumped === 0) {
    conn.run(
      "INSERT INTO sqlite_sequence (name, seq) SELECT 'trajectory_changes', coalesce(max(change), 0) + 1 FROM trajectory_changes",
    );
  }
  return Number(conn.value("SELECT seq FROM sqlite_sequence WHERE name = 'trajectory_changes'"));
}

/**
 * Before a trajectory is deleted: leaves a tombstone for the team servers this database pushes to (none when it
 * pushes nowhere: a server never sent the row has nothing to delete). Its time is never before the row's
 * `updatedAt`, so that the server, where newer wins, deletes the version this store had even if the clock went back.
 */
export function recordDeletion(conn: Connection, id: string): void {
  if (conn.value('SELECT 1 FROM sync_targets LIMIT 1') === undefined) return;
  if (conn.value('SELECT 1 FROM trajectories WHERE id = ?', [id]) === undefined) return;
  conn.run(
    `INSERT OR REPLACE INTO trajectory_tombstones (id, change, deleted_at)
     SELECT id, ?, max(updated_at, ?) FROM trajectories WHERE id = ?`,
    [nextChange(conn), new Date().toISOString(), id],
  );
}

/**
 * The trajectories changed or deleted after the target's watermark, oldest change first, up to `limit` changes and
 * `maxBytes` of JSONL (a larger trajectory still goes, alone).
 */
export function syncBatch(conn: Connection, target: SyncTarget, options: SyncBatchOptions): SyncBatch {
  const limit = options.limit ?? DEFAULT_SYNC_BATCH_ITEMS;
  const maxBytes = options.maxBytes ?? DEFAULT_SYNC_BATCH_BYTES;
  const after = pushedThrough(conn, target);
  const rows = conn.all<{
    change: number;
    id: string;
    kind: string | null;
    created_at: string | null;
    updated_at: string | null;
    json: string | null;
    deleted_at: string | null;
  }>(
    `SELECT c.change, t.id, t.kind, t.created_at, t.updated_at, d.trajectory AS json, NULL AS deleted_at
       FROM trajectory_changes c JOIN trajectories t ON t.seq = c.seq JOIN trajectory_documents d ON d.seq = c.seq
      WHERE c.change > ?1
     UNION ALL
     SELECT change, id, NULL, NULL, NULL, NULL, deleted_at FROM trajectory_tombstones WHERE change > ?1
     ORDER BY 1 LIMIT ?2`,
    [after, limit],
  );
  const batch: SyncBatch = { lines: [], ids: [], deletions: [], through: after, remaining: 0 };
  let bytes = 0;
  for (const row of rows) {
    if (row.deleted_at !== null) {
      batch.deletions.push({ id: row.id, deletedAt: row.deleted_at });
      batch.through = Number(row.change);
      continue;
    }
    const { key, body } = itemBody(row.json!, row.kind!);
    const line = `{"id":${JSON.stringify(row.id)},"createdAt":"${row.created_at}","updatedAt":"${row.updated_at}","${key}":${body}}`;
    const size = encoder.encode(line).length + 1;
    if (batch.lines.length > 0 && bytes + size > maxBytes) break;
    bytes += size;
    batch.lines.push(line);
    batch.ids.push(row.id);
    batch.through = Number(row.change);
  }
  batch.remaining = changesAfter(conn, batch.through);
  return batch;
}

/**
 * Records how a push went: a committed batch moves the watermark forward (never back: two tabs may push at
 * once), a failure is kept as the last error until an attempt succeeds.
 */
export function recordSync(conn: Connection, { server, member }: SyncTarget, progress: SyncProgress): void {
  const now = new Date().toISOString();
  const failed = progress.error && (progress.state === 'retrying' || progress.state === 'failed');
  conn.run(
    `INSERT INTO sync_targets (server, member, pushed_through, pushed_at, last_error, last_error_code, last_error_at)
     VALUES (?1, ?2, coalesce(?3, 0), CASE WHEN ?3 IS NOT NULL THEN ?4 END, ?5, ?6, CASE WHEN ?5 IS NOT NULL THEN ?4 END)
     ON CONFLICT (server, member) DO UPDATE SET
       pushed_through = max(pushed_through, excluded.pushed_through),
       pushed_at = coalesce(excluded.pushed_at, pushed_at),
       last_error = CASE WHEN ?7 THEN excluded.last_error ELSE NULL END,
       last_error_code = CASE WHEN ?7 THEN excluded.last_error_code ELSE NULL END,
       last_error_at = CASE WHEN ?7 THEN excluded.last_error_at ELSE NULL END`,
    [
      server,
      member,
      progress.through ?? null,
      now,
      failed ? progress.error!.message : null,
      failed ? progress.error!.code : null,
      failed ? 1 : 0,
    ],
  );
  // A tombstone every server has been sent is needed no more.
  conn.run('DELETE FROM trajectory_tombstones WHERE change <= (SELECT min(pushed_through) FROM sync_targets)');
}

/** Every team server this database has pushed to, with what is still to send. */
export function syncStatus(conn: Connection): SyncTargetStatus[] {
  return conn
    .all<{
      server: string;
      member: string;
      pushed_through: number;
      pushed_at: string | null;
      last_error: string | null;
      last_error_code: string | null;
      last_error_at: string | null;
    }>('SELECT * FROM sync_targets ORDER BY server, member')
    .map((row) => ({
      server: row.server,
      member: row.member,
      pushedThrough: Number(row.pushed_through),
      pending: changesAfter(conn, Number(row.pushed_through)),
      pushedAt: row.pushed_at,
      lastError:
        row.last_error === null
          ? null
          : { code: row.last_error_code ?? '', message: row.last_error, at: row.last_error_at ?? '' },
    }));
}
