/**
 * Tombstones (migrations-pg/005): what each member deleted, and when, so that an older copy pushed again (by
 * the member's other browser, from an old backup) stays deleted: ingest meets it as a version newer than the
 * copy and answers `stale`; a version saved after the deletion is newer still, and wins.
 *
 * Deletions and ingest meet on a member's ids through one advisory lock per member: a deletion takes it alone,
 * a batch shares it. Batches still run side by side; a deletion waits for the batches under way (their rows
 * are then there to delete), and a batch that starts after it reads its tombstones.
 */
import type { Runner } from './sql.js';

/** The first key of the members' advisory locks (the second is the member's hash); the stats lock is 7140015. */
const MEMBER_LOCK = 7140016;

export async function lockMemberForIngest(tx: Runner, member: string): Promise<void> {
  await tx.unsafe('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [MEMBER_LOCK, member]);
}

export async function lockMemberForDeletion(tx: Runner, member: string): Promise<void> {
  await tx.unsafe('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MEMBER_LOCK, member]);
}

/** Records each deletion, keeping the latest of an id's (deletedAt: normalized ISO 8601 UTC). */
export async function recordTombstones(
  tx: Runner,
  member: string,
  deletions: ReadonlyArray<{ id: string; deletedAt: string }>,
): Promise<void> {
  // One row per id in the statement (an upsert may not touch a row twice): the latest deletion of each.
  const latest = new Map<string, string>();
  for (const { id, deletedAt } of deletions) {
    const seen = latest.get(id);
    if (seen === undefined || deletedAt > seen) latest.set(id, deletedAt);
  }
  await tx.unsafe(
    `INSERT INTO team_deletions AS d (member, id, deleted_at)
     SELECT $1, id, deleted_at FROM unnest($2::text[], $3::text[]) AS t(id, deleted_at)
     ON CONFLICT (member, id) DO UPDATE SET deleted_at = excluded.deleted_at
     WHERE d.deleted_at COLLATE "C" < excluded.deleted_at COLLATE "C"`,
    [member, [...latest.keys()], [...latest.values()]] as never[],
  );
}

/** When each of a member's ids was last deleted (ids never deleted are absent). */
export async function tombstonesOf(tx: Runner, member: string, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx.unsafe('SELECT id, deleted_at FROM team_deletions WHERE member = $1 AND id = ANY($2)', [
    member,
    ids as string[],
  ]);
  return new Map(rows.map((r) => [String(r.id), String(r.deleted_at)]));
}
