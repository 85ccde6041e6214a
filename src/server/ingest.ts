/**
 * Ingest of a JSONL batch from one member, in one transaction.
 *
 * Each line is one trajectory as the member's local store holds it:
 *   {"id": "...", "updatedAt": "2026-...Z", "createdAt": "...", "trajectory": {ATIF}}
 *   {"id": "...", "updatedAt": "...", "testgen": {testgen data}}
 * `id` is the id the local store keeps it under (its identity rule placed it
 * there; omitted, the document's own id is used, as the local store derives
 * it). Documents are checked as the local store checks them (src/store:
 * prepareItem, two tiers: refusals refuse the line, departures from the spec
 * are stored and returned as warnings).
 *
 * Rows are keyed by (member, id), and the member is the token's, never the
 * batch's: a member can write only their own rows. Idempotent by updatedAt:
 * a line replaces the stored row only when it is newer; the same batch sent
 * twice changes nothing (`unchanged`), an older version never replaces a newer
 * one (`stale`), and a *different* document with the very same updatedAt is
 * not written over the stored one either but reported (`conflict`), so that
 * nothing is replaced silently. A copy of a trajectory the member deleted,
 * saved before the deletion, stays deleted (`stale`: ./tombstones.ts).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Issue } from '../errors.js';
import { zodIssues } from '../schema/issues.js';
import { normalizeTimestamp } from '../schema/timestamp.js';
import type { TrajectoryRecord } from '../store/documents.js';
import { prepareItem } from '../store/prepare.js';
import { planBatch, decide, type Decision, type Version } from './ingest-plan.js';
import type { Db, Runner } from './sql.js';
import { lockMemberForIngest, tombstonesOf } from './tombstones.js';

export type IngestOutcome = 'inserted' | 'replaced' | 'unchanged' | 'stale' | 'conflict' | 'rejected';

export interface IngestItemResult {
  /** 1-based line number in the batch. */
  line: number;
  id?: string;
  outcome: IngestOutcome;
  /** Departures from the ATIF spec (stored all the same). */
  warnings?: Issue[];
  /** Why the line was refused. */
  issues?: Issue[];
}

export interface IngestResult {
  counts: Record<IngestOutcome, number>;
  items: IngestItemResult[];
}

/**
 * The words index holds the first this many characters of a document's text:
 * a tsvector is at most 1 MB, and no text of this length can exceed it. The
 * whole text stays stored (and is shown in snippets).
 */
export const MAX_INDEXED_CHARS = 150_000;

/** U+0000 and lone surrogates (in `u` mode a paired surrogate is one code point, not Cs). */
const UNSTORABLE = /\u0000|\p{Cs}/gu;
const storable = (text: string) => !new RegExp(UNSTORABLE.source, 'u').test(text);

/** Text Postgres can hold: no U+0000, no lone surrogates (the document itself keeps them, escaped in its JSON). */
function pgText(text: string): string;
function pgText(text: string | null): string | null;
function pgText(text: string | null): string | null {
  return text === null ? null : text.replace(UNSTORABLE, '\uFFFD');
}

const Instant = z.string().refine((s) => normalizeTimestamp(s) !== null, 'must be an ISO 8601 timestamp');
const Id = z
  .string()
  .min(1)
  .max(2000)
  .refine((s) => storable(s), 'must be well-formed text without U+0000');
const LineSchema = z.strictObject({
  id: Id.optional(),
  updatedAt: Instant,
  createdAt: Instant.optional(),
  trajectory: z.unknown().optional(),
  testgen: z.unknown().optional(),
});

interface ValidLine {
  line: number;
  /** The id the row is kept under (record.id). */
  id: string;
  record: TrajectoryRecord;
  warnings: Issue[];
  createdAt: string;
  updatedAt: string;
  digest: string;
}

/** Validates one line; a refusal carries every issue found. */
export function readLine(text: string, line: number): ValidLine | { line: number; issues: Issue[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, issues: [{ path: '', message: `is not JSON: ${(error as Error).message}` }] };
  }
  const parsed = LineSchema.safeParse(value);
  if (!parsed.success) return { line, issues: zodIssues(parsed.error) };
  const { id, updatedAt, createdAt, trajectory, testgen } = parsed.data;
  if ((trajectory === undefined) === (testgen === undefined)) {
    return { line, issues: [{ path: '', message: 'needs exactly one of `trajectory` and `testgen`' }] };
  }
  const body = trajectory === undefined ? { testgen } : { trajectory };
  const prepared = prepareItem(id === undefined ? body : { id, ...body });
  if ('issues' in prepared) return { line, issues: prepared.issues };
  const { record, warnings } = prepared;
  if (!storable(record.id)) {
    return { line, issues: [{ path: 'id', message: 'must be well-formed text without U+0000' }] };
  }
  const updated = normalizeTimestamp(updatedAt)!;
  return {
    line,
    id: record.id,
    record,
    warnings,
    updatedAt: updated,
    createdAt: createdAt === undefined ? updated : normalizeTimestamp(createdAt)!,
    digest: createHash('sha256').update(record.json, 'utf8').digest('hex'),
  };
}

/** The batch's lines (blank lines skipped), numbered from 1. */
export function batchLines(body: string): Array<{ line: number; text: string }> {
  return body
    .split('\n')
    .map((text, i) => ({ line: i + 1, text: text.trim() }))
    .filter((l) => l.text !== '');
}

/**
 * The columns a line writes, each with its Postgres type and its value; `search` (the tsvector) is computed from `search_text` in the statement. `kept` columns keep their
 * first value when a newer version replaces the row.
 */
const COLUMNS: ReadonlyArray<{ name: string; type: string; value: (l: ValidLine) => unknown; kept?: true }> = [
  { name: 'id', type: 'text', value: (l) => l.id, kept: true },
  { name: 'kind', type: 'text', value: (l) => l.record.kind },
  { name: 'session_id', type: 'text', value: (l) => pgText(l.record.sessionId) },
  { name: 'schema_version', type: 'text', value: (l) => pgText(l.record.schemaVersion) },
  { name: 'agent_name', type: 'text', value: (l) => pgText(l.record.agentName) },
  { name: 'agent_version', type: 'text', value: (l) => pgText(l.record.agentVersion) },
  { name: 'model_name', type: 'text', value: (l) => pgText(l.record.modelName) },
  { name: 'step_count', type: 'int4', value: (l) => l.record.stepCount },
  { name: 'first_step_at', type: 'text', value: (l) => l.record.firstStepAt },
  { name: 'last_step_at', type: 'text', value: (l) => l.record.lastStepAt },
  { name: 'total_cost_usd', type: 'float8', value: (l) => l.record.totalCostUsd },
  { name: 'total_tokens', type: 'float8', value: (l) => l.record.totalTokens },
  { name: 'comprehensiveness_score', type: 'float8', value: (l) => l.record.testgen?.comprehensivenessScore ?? null },
  { name: 'status', type: 'text', value: (l) => l.record.status },
  { name: 'conformant', type: 'int2', value: (l) => (l.record.conformant ? 1 : 0) },
  { name: 'created_at', type: 'text', value: (l) => l.createdAt, kept: true },
  { name: 'updated_at', type: 'text', value: (l) => l.updatedAt },
  { name: 'digest', type: 'text', value: (l) => l.digest },
  { name: 'document', type: 'text', value: (l) => l.record.json },
  { name: 'search_text', type: 'text', value: (l) => pgText(l.record.searchText.body) },
  { name: 'unsegmented', type: 'text', value: (l) => pgText(l.record.searchText.unsegmented) },
];

const names = COLUMNS.map((c) => c.name).join(', ');
const UPDATES = COLUMNS.filter((c) => !c.kept)
  .map((c) => `${c.name} = excluded.${c.name}`)
  .join(', ');

/**
 * Rows a statement writes at most: each value is a parameter of its own (a Postgres statement takes at most
 * 65,535), which Postgres reads as it is; the same rows as one array a column cost 7 times as much to send
 * and read (measured: SCALING.md).
 */
const ROWS_PER_STATEMENT = 1000;

/**
 * Rows in one statement. A row is written only over an older version (`updated_at`, compared as text in
 * code-point order, as JS compares it in ingest-plan.ts): a concurrent batch of the same member that stored
 * a newer one in between wins, and the row is not returned.
 */
function upsert(member: string, lines: readonly ValidLine[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [member, MAX_INDEXED_CHARS];
  const rows = lines.map((line) => {
    const cells = COLUMNS.map((c) => {
      params.push(c.value(line));
      return `$${params.length}::${c.type}`;
    });
    return `(${cells.join(', ')})`;
  });
  const sql = `INSERT INTO team_trajectories AS t (member, ${names}, search)
    SELECT $1, ${names}, to_tsvector('trajectory_text', left(b.search_text, $2))
    FROM (VALUES ${rows.join(',\n')}) AS b(${names})
    ON CONFLICT (member, id) DO UPDATE SET ${UPDATES}, search = excluded.search, received_at = now()
    WHERE t.updated_at COLLATE "C" < excluded.updated_at COLLATE "C"
    RETURNING t.id, t.seq, (t.xmax = 0) AS inserted`;
  return { sql, params };
}

/** Writes the lines (at most one per id); returns the rows written, by id. */
async function writeRows(
  db: Runner,
  member: string,
  lines: readonly ValidLine[],
): Promise<Map<string, { seq: string; inserted: boolean }>> {
  const written = new Map<string, { seq: string; inserted: boolean }>();
  for (let from = 0; from < lines.length; from += ROWS_PER_STATEMENT) {
    const { sql, params } = upsert(member, lines.slice(from, from + ROWS_PER_STATEMENT));
    for (const row of await db.unsafe(sql, params as never[])) {
      written.set(String(row.id), { seq: String(row.seq), inserted: Boolean(row.inserted) });
    }
  }
  return written;
}

/** The stored version of each of a member's ids: its row, else its deletion (a tombstone), if any. */
async function storedVersions(db: Runner, member: string, ids: readonly string[]): Promise<Map<string, Version>> {
  const rows = await db.unsafe(
    'SELECT id, updated_at, digest FROM team_trajectories WHERE member = $1 AND id = ANY($2)',
    [member, ids as string[]],
  );
  const versions = new Map<string, Version>();
  for (const [id, deletedAt] of await tombstonesOf(db, member, ids)) {
    versions.set(id, { updatedAt: deletedAt, digest: '', deleted: true });
  }
  for (const r of rows) versions.set(String(r.id), { updatedAt: String(r.updated_at), digest: String(r.digest) });
  return versions;
}

/** The testgen rows of the written rows: kept beside a testgen session, gone from a row that is ATIF now. */
async function writeTestgen(db: Runner, written: ReadonlyArray<{ seq: string; line: ValidLine }>): Promise<void> {
  const sessions = written.filter((w) => w.line.record.testgen);
  if (sessions.length > 0) {
    await db.unsafe(
      `INSERT INTO team_testgen (seq, task_id, total_tests)
       SELECT * FROM unnest($1::int8[], $2::text[], $3::int4[])
       ON CONFLICT (seq) DO UPDATE SET task_id = excluded.task_id, total_tests = excluded.total_tests`,
      [
        sessions.map((w) => w.seq),
        sessions.map((w) => pgText(w.line.record.testgen!.taskId)),
        sessions.map((w) => w.line.record.testgen!.totalTests),
      ],
    );
  }
  const runs = written.filter((w) => !w.line.record.testgen).map((w) => w.seq);
  if (runs.length > 0) await db.unsafe('DELETE FROM team_testgen WHERE seq = ANY($1::int8[])', [runs]);
}

function emptyCounts(): Record<IngestOutcome, number> {
  return { inserted: 0, replaced: 0, unchanged: 0, stale: 0, conflict: 0, rejected: 0 };
}

/**
 * Writes a member's batch in one transaction: one read of the stored versions, one upsert of the rows the
 * batch changes (a statement per 1,000) (ingest-plan.ts decides which), one write of their testgen rows. A storage failure rolls it
 * all back and is thrown.
 */
export async function ingestBatch(db: Db, member: string, body: string): Promise<IngestResult> {
  const rejected: IngestItemResult[] = [];
  const valid: ValidLine[] = [];
  for (const { line, text } of batchLines(body)) {
    const read = readLine(text, line);
    if ('issues' in read) rejected.push({ line, outcome: 'rejected', issues: read.issues });
    else valid.push(read);
  }
  const decisions: Decision[] =
    valid.length === 0
      ? []
      : await db.begin(async (tx) => {
          await lockMemberForIngest(tx, member);
          const plan = planBatch(valid, await storedVersions(tx, member, [...new Set(valid.map((l) => l.id))]));
          if (plan.writes.length === 0) return plan.decisions;
          const returned = await writeRows(tx, member, plan.writes);
          await writeTestgen(
            tx,
            plan.writes.flatMap((line) => {
              const row = returned.get(line.id);
              return row ? [{ seq: row.seq, line }] : [];
            }),
          );
          // Another batch of this member may have stored the id in between: a version at least as new (the upsert
          // left it alone: the winning line is decided again against it), or an older one (replaced, not inserted).
          const overtaken = plan.writes.filter((line) => !returned.has(line.id)).map((line) => line.id);
          const now = overtaken.length > 0 ? await storedVersions(tx, member, overtaken) : new Map<string, Version>();
          const winner = new Map(plan.writes.map((line) => [line.id, line]));
          return plan.decisions.map((decision, i) => {
            const line = valid[i]!;
            if (winner.get(line.id) !== line) return decision;
            const row = returned.get(line.id);
            if (!row) return decide(line, now.get(line.id));
            return decision === 'inserted' && !row.inserted ? 'replaced' : decision;
          });
        });
  const results: IngestItemResult[] = [
    ...rejected,
    ...valid.map((item, i) => ({
      line: item.line,
      id: item.id,
      outcome: decisions[i]!,
      ...(item.warnings.length > 0 ? { warnings: item.warnings } : {}),
    })),
  ].sort((a, b) => a.line - b.line);
  const counts = emptyCounts();
  for (const r of results) counts[r.outcome]++;
  return { counts, items: results };
}
