/**
 * POST /v1/deletions: a member's deletions, pushed by store.sync() from the local store's tombstones
 * (migrations/014). A JSONL body, one `{"id", "deletedAt"}` a line, one transaction.
 *
 * The same rules as ingest (./ingest.ts): the member is the token's, never the body's, so a member deletes only
 * their own trajectories; and newer wins: a row is deleted only when it was last saved at or before `deletedAt`.
 * A row saved after the deletion (by the member's other browser, say) stays and is reported `stale`; an id the
 * member has no row under is `absent` (never pushed, or deleted already: sending a deletion twice changes nothing).
 * Every deletion leaves a tombstone (./tombstones.ts), so that an older copy pushed again stays deleted.
 */
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { TrajectoryStoreError } from '../errors.js';
import { zodIssues } from '../schema/issues.js';
import { normalizeTimestamp } from '../schema/timestamp.js';
import type { TeamServerConfig } from './config.js';
import { batchLines } from './ingest.js';
import type { Db } from './sql.js';
import { lockMemberForDeletion, recordTombstones } from './tombstones.js';

export type DeletionOutcome = 'deleted' | 'absent' | 'stale';

export interface DeletionResult {
  counts: Record<DeletionOutcome, number>;
  items: Array<{ id: string; outcome: DeletionOutcome }>;
}

const DeletionSchema = z.strictObject({
  id: z.string().min(1).max(2000),
  deletedAt: z.string().refine((s) => normalizeTimestamp(s) !== null, 'must be an ISO 8601 timestamp'),
});

/** Every line, checked; one bad line refuses the request (400), naming each problem with its line. */
export function readDeletions(body: string): Array<{ id: string; deletedAt: string }> {
  const deletions: Array<{ id: string; deletedAt: string }> = [];
  const issues: Array<{ path: string; message: string }> = [];
  for (const { line, text } of batchLines(body)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      issues.push({ path: `line ${line}`, message: `is not JSON: ${(error as Error).message}` });
      continue;
    }
    const parsed = DeletionSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of zodIssues(parsed.error)) issues.push({ ...issue, path: `line ${line} ${issue.path}`.trim() });
    } else deletions.push({ id: parsed.data.id, deletedAt: normalizeTimestamp(parsed.data.deletedAt)! });
  }
  if (issues.length > 0) throw TrajectoryStoreError.validation('deletions', issues);
  return deletions;
}

/** Deletes what the member may delete, in one transaction, and says what happened to each id. */
export async function deleteTeamTrajectories(
  db: Db,
  member: string,
  deletions: ReadonlyArray<{ id: string; deletedAt: string }>,
): Promise<DeletionResult> {
  const ids = deletions.map((d) => d.id);
  const { deleted, kept } = await db.begin(async (tx) => {
    await lockMemberForDeletion(tx, member);
    const gone = await tx.unsafe(
      `DELETE FROM team_trajectories t USING unnest($2::text[], $3::text[]) AS d(id, deleted_at)
        WHERE t.member = $1 AND t.id = d.id AND t.updated_at <= d.deleted_at
        RETURNING t.id`,
      [member, ids, deletions.map((d) => d.deletedAt)] as never[],
    );
    const left = await tx.unsafe('SELECT id FROM team_trajectories WHERE member = $1 AND id = ANY($2)', [
      member,
      ids,
    ] as never[]);
    await recordTombstones(tx, member, deletions);
    return { deleted: new Set(gone.map((r) => String(r.id))), kept: new Set(left.map((r) => String(r.id))) };
  });
  const counts: Record<DeletionOutcome, number> = { deleted: 0, absent: 0, stale: 0 };
  const items = ids.map((id) => {
    const outcome: DeletionOutcome = deleted.has(id) ? 'deleted' : kept.has(id) ? 'stale' : 'absent';
    counts[outcome]++;
    return { id, outcome };
  });
  return { counts, items };
}

/** Adds the route to the team app (its /v1 middleware has checked the token and set `member`). */
export function registerDeletions(
  app: Hono<{ Variables: { member: string; requestId: string } }>,
  db: Db,
  config: Pick<TeamServerConfig, 'maxBatchBytes' | 'maxBatchItems'>,
): void {
  const tooLarge = (message: string) => ({ error: { code: 'too_large', message } });
  app.post(
    '/v1/deletions',
    bodyLimit({
      maxSize: config.maxBatchBytes,
      onError: (c) => c.json(tooLarge(`a request is at most ${config.maxBatchBytes} bytes`), 413),
    }),
    async (c) => {
      const deletions = readDeletions(await c.req.text());
      if (deletions.length > config.maxBatchItems) {
        return c.json(tooLarge(`at most ${config.maxBatchItems} deletions a request (got ${deletions.length})`), 413);
      }
      return c.json(await deleteTeamTrajectories(db, c.get('member'), deletions));
    },
  );
}
