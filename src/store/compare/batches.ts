/**
 * Two sets of trajectories paired by a key (a task): per pair the outcome,
 * score, cost and tokens on each side, and what that adds up to. Reads
 * summary rows only, except for a key in the documents' `extra`.
 */
import type { SqlValue } from '@sqlite.org/sqlite-wasm';
import type { Connection } from '../connection.js';
import { filterCondition, type ParsedFilter } from '../filters.js';
import { TESTGEN_JOIN } from '../rows.js';
import { difference } from './delta.js';
import type { BatchComparison, BatchPair, BatchSide, BatchSideTotals, PairChange } from '../../contract/compare.js';

/** Whether a trajectory of this status succeeded; null while it is still running. */
function succeeded(status: string): boolean | null {
  return status === 'running' ? null : status === 'complete';
}

function keyColumn(by: string): { sql: string; params: SqlValue[]; needsDocument: boolean } {
  if (by === 'taskId') return { sql: 'g.task_id', params: [], needsDocument: false };
  if (by === 'sessionId') return { sql: 't.session_id', params: [], needsDocument: false };
  // The path's parts are checked (letters, digits, _ and -), and quoted so that each is one key.
  const path = `$${by
    .split('.')
    .map((part) => `."${part}"`)
    .join('')}`;
  return { sql: 'json_extract(d.trajectory, ?)', params: [path], needsDocument: true };
}

interface SideRows {
  /** Newest trajectory per key, with how many share it. */
  byKey: Map<string, BatchSide>;
  trajectories: number;
  unkeyed: number;
}

function readSide(conn: Connection, filter: ParsedFilter, by: string): SideRows {
  const key = keyColumn(by);
  const where = filterCondition(filter);
  const rows = conn.all(
    `SELECT t.id, t.kind, ${key.sql} AS pair_key, t.status, t.comprehensiveness_score AS score,
       t.total_cost_usd, t.total_tokens, t.created_at
     FROM trajectories t ${TESTGEN_JOIN} ${key.needsDocument ? 'JOIN trajectory_documents d ON d.seq = t.seq' : ''}
     WHERE ${where.sql} ORDER BY t.created_at DESC, t.seq DESC`,
    [...key.params, ...where.params],
  );
  const byKey = new Map<string, BatchSide>();
  let unkeyed = 0;
  for (const row of rows) {
    if (row.pair_key === null || row.pair_key === undefined || row.pair_key === '') {
      unkeyed++;
      continue;
    }
    const pairKey = String(row.pair_key);
    const seen = byKey.get(pairKey);
    if (seen) {
      seen.runs++; // rows come newest first: the first one stays
      continue;
    }
    const status = String(row.status);
    byKey.set(pairKey, {
      id: String(row.id),
      kind: row.kind === 'testgen' ? 'testgen' : 'atif',
      status,
      succeeded: succeeded(status),
      score: numberOrNull(row.score),
      costUsd: numberOrNull(row.total_cost_usd),
      tokens: numberOrNull(row.total_tokens),
      createdAt: String(row.created_at),
      runs: 1,
    });
  }
  return { byKey, trajectories: rows.length, unkeyed };
}

const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function changeOf(a: BatchSide | null, b: BatchSide | null): PairChange {
  if (!b) return 'only-in-a';
  if (!a) return 'only-in-b';
  if (a.succeeded === null || b.succeeded === null) return 'unknown';
  if (a.succeeded && b.succeeded) return 'both-succeeded';
  if (a.succeeded) return 'only-a-succeeded';
  if (b.succeeded) return 'only-b-succeeded';
  return 'both-failed';
}

/** Outcome flips first, paired keys next, keys on one side only last; within each, the largest changes first. */
function rankOf(change: PairChange): number {
  if (change === 'only-a-succeeded' || change === 'only-b-succeeded') return 0;
  if (change === 'only-in-a' || change === 'only-in-b') return 2;
  return 1;
}

function byWhatChanged(x: BatchPair, y: BatchPair): number {
  return (
    rankOf(x.change) - rankOf(y.change) ||
    Math.abs(y.scoreDelta ?? 0) - Math.abs(x.scoreDelta ?? 0) ||
    Math.abs(y.costDelta ?? 0) - Math.abs(x.costDelta ?? 0) ||
    (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)
  );
}

export function compareBatches(
  conn: Connection,
  filterA: ParsedFilter,
  filterB: ParsedFilter,
  by: string,
): BatchComparison {
  const sideA = readSide(conn, filterA, by);
  const sideB = readSide(conn, filterB, by);
  const pairs: BatchPair[] = [];
  const keys = new Set([...sideA.byKey.keys(), ...sideB.byKey.keys()]);
  for (const key of keys) {
    const a = sideA.byKey.get(key) ?? null;
    const b = sideB.byKey.get(key) ?? null;
    pairs.push({
      key,
      a,
      b,
      change: changeOf(a, b),
      scoreDelta: difference(a?.score ?? null, b?.score ?? null),
      costDelta: difference(a?.costUsd ?? null, b?.costUsd ?? null),
      tokensDelta: difference(a?.tokens ?? null, b?.tokens ?? null),
    });
  }
  pairs.sort(byWhatChanged);

  const count = (change: PairChange) => pairs.filter((p) => p.change === change).length;
  const scored = pairs.filter((p) => p.scoreDelta !== null).map((p) => p.scoreDelta!);
  return {
    by,
    pairs,
    summary: {
      paired: pairs.filter((p) => p.a && p.b).length,
      onlyInA: count('only-in-a'),
      onlyInB: count('only-in-b'),
      onlyASucceeded: count('only-a-succeeded'),
      onlyBSucceeded: count('only-b-succeeded'),
      bothSucceeded: count('both-succeeded'),
      bothFailed: count('both-failed'),
      a: sideTotals(sideA),
      b: sideTotals(sideB),
      score: {
        pairs: scored.length,
        meanDelta: scored.length > 0 ? scored.reduce((s, d) => s + d, 0) / scored.length : null,
        improved: scored.filter((d) => d > 0).length,
        worsened: scored.filter((d) => d < 0).length,
        unchanged: scored.filter((d) => d === 0).length,
      },
    },
  };
}

/** Totals over the trajectories compared (the newest per key). */
function sideTotals(side: SideRows): BatchSideTotals {
  let successes = 0;
  let failures = 0;
  let costUsd: number | null = null;
  let tokens: number | null = null;
  let scoreSum = 0;
  let scores = 0;
  for (const run of side.byKey.values()) {
    if (run.succeeded === true) successes++;
    if (run.succeeded === false) failures++;
    if (run.costUsd !== null) costUsd = (costUsd ?? 0) + run.costUsd;
    if (run.tokens !== null) tokens = (tokens ?? 0) + run.tokens;
    if (run.score !== null) {
      scoreSum += run.score;
      scores++;
    }
  }
  return {
    trajectories: side.trajectories,
    keys: side.byKey.size,
    unkeyed: side.unkeyed,
    successes,
    failures,
    costUsd,
    tokens,
    costPerSuccess: costUsd !== null && successes > 0 ? costUsd / successes : null,
    meanScore: scores > 0 ? scoreSum / scores : null,
  };
}
