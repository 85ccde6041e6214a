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
 * nothing is replaced silently.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Issue } from '../errors.js';
import { zodIssues } from '../schema/issues.js';
import { normalizeTimestamp } from '../schema/timestamp.js';
import type { TrajectoryRecord } from '../store/documents.js';
import { prepareItem } from '../store/prepare.js';
import type { Db } from './sql.js';

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

const UPSERT = `INSERT INTO team_trajectories AS t (member, id, kind, session_id, schema_version, agent_name,
    agent_version, model_name, step_count, first_step_at, last_step_at, total_cost_usd, total_tokens,
    comprehensiveness_score, status, conformant, created_at, updated_at, digest, document, search_text, search,
    unsegmented)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
    to_tsvector('trajectory_text', left($21, $22)), $23)
  ON CONFLICT (member, id) DO UPDATE SET kind = excluded.kind, session_id = excluded.session_id,
    schema_version = excluded.schema_version, agent_name = excluded.agent_name,
    agent_version = excluded.agent_version, model_name = excluded.model_name, step_count = excluded.step_count,
    first_step_at = excluded.first_step_at, last_step_at = excluded.last_step_at,
    total_cost_usd = excluded.total_cost_usd, total_tokens = excluded.total_tokens,
    comprehensiveness_score = excluded.comprehensiveness_score, status = excluded.status,
    conformant = excluded.conformant, updated_at = excluded.updated_at, received_at = now(),
    digest = excluded.digest, document = excluded.document, search_text = excluded.search_text,
    search = excluded.search, unsegmented = excluded.unsegmented
  WHERE t.updated_at < excluded.updated_at
  RETURNING seq, (xmax = 0) AS inserted`;

function upsertParams(member: string, item: ValidLine): unknown[] {
  const r = item.record;
  const body = pgText(r.searchText.body);
  return [
    member,
    r.id,
    r.kind,
    pgText(r.sessionId),
    pgText(r.schemaVersion),
    pgText(r.agentName),
    pgText(r.agentVersion),
    pgText(r.modelName),
    r.stepCount,
    r.firstStepAt,
    r.lastStepAt,
    r.totalCostUsd,
    r.totalTokens,
    r.testgen?.comprehensivenessScore ?? null,
    r.status,
    r.conformant ? 1 : 0,
    item.createdAt,
    item.updatedAt,
    item.digest,
    r.json,
    body,
    MAX_INDEXED_CHARS,
    pgText(r.searchText.unsegmented),
  ];
}

function emptyCounts(): Record<IngestOutcome, number> {
  return { inserted: 0, replaced: 0, unchanged: 0, stale: 0, conflict: 0, rejected: 0 };
}

/** Writes a member's batch in one transaction; a storage failure rolls it all back and is thrown. */
export async function ingestBatch(db: Db, member: string, body: string): Promise<IngestResult> {
  const results: IngestItemResult[] = [];
  const valid: ValidLine[] = [];
  for (const { line, text } of batchLines(body)) {
    const read = readLine(text, line);
    if ('issues' in read) results.push({ line, outcome: 'rejected', issues: read.issues });
    else valid.push(read);
  }
  if (valid.length > 0) {
    const written = await db.begin(async (tx) => {
      // Issued together: the connection pipelines them, in order (a repeated id in a batch: the later line sees the earlier).
      const rows = await Promise.all(
        valid.map((item) => tx.unsafe(UPSERT, upsertParams(member, item) as never[]).then((r) => r[0])),
      );
      const testgenWrites: Array<Promise<unknown>> = [];
      rows.forEach((row, i) => {
        if (!row) return;
        const g = valid[i]!.record.testgen;
        testgenWrites.push(
          g
            ? tx.unsafe(
                `INSERT INTO team_testgen (seq, task_id, total_tests) VALUES ($1, $2, $3)
                 ON CONFLICT (seq) DO UPDATE SET task_id = excluded.task_id, total_tests = excluded.total_tests`,
                [row.seq, pgText(g.taskId), g.totalTests],
              )
            : tx.unsafe('DELETE FROM team_testgen WHERE seq = $1', [row.seq]),
        );
      });
      await Promise.all(testgenWrites);
      // Lines not written: compare with what is stored, to say why.
      const notWritten = valid.filter((_, i) => !rows[i]).map((item) => item.record.id);
      const stored = new Map<string, { updatedAt: string; digest: string }>();
      if (notWritten.length > 0) {
        const found = await tx.unsafe(
          'SELECT id, updated_at, digest FROM team_trajectories WHERE member = $1 AND id = ANY($2)',
          [member, notWritten],
        );
        for (const r of found) stored.set(String(r.id), { updatedAt: String(r.updated_at), digest: String(r.digest) });
      }
      return { rows, stored };
    });
    valid.forEach((item, i) => {
      const row = written.rows[i];
      const id = item.record.id;
      let outcome: IngestOutcome;
      if (row) outcome = row.inserted ? 'inserted' : 'replaced';
      else {
        const stored = written.stored.get(id);
        if (stored?.digest === item.digest) outcome = 'unchanged';
        else if (stored && stored.updatedAt > item.updatedAt) outcome = 'stale';
        else outcome = 'conflict';
      }
      results.push({ line: item.line, id, outcome, ...(item.warnings.length > 0 ? { warnings: item.warnings } : {}) });
    });
  }
  results.sort((a, b) => a.line - b.line);
  const counts = emptyCounts();
  for (const r of results) counts[r.outcome]++;
  return { counts, items: results };
}
