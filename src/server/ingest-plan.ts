/**
 * What a batch does to a member's rows, decided before anything is written:
 * its lines apply in order, each against the version it meets (the stored one,
 * read once for the whole batch, or the one an earlier line of the batch put
 * in its place). The newer-wins rule is `decide`; the rows to write are the
 * last version that won for each id, so a batch writes each id at most once
 * (one set-based statement: src/server/ingest.ts) and writes nothing at all
 * when sent again.
 */

/** One version of a trajectory, as the rule compares them: updatedAt is normalized ISO 8601 UTC text. */
export interface Version {
  updatedAt: string;
  /** SHA-256 of the document: tells an identical re-send from a different document. */
  digest: string;
  /** A deletion (a tombstone: ./tombstones.ts) at `updatedAt`, not a stored document. */
  deleted?: true;
}

export type Decision = 'inserted' | 'replaced' | 'unchanged' | 'stale' | 'conflict';

/**
 * A line against the version it meets. Newer replaces; the same document changes nothing; an older one is
 * `stale`; a *different* document with the very same updatedAt is a `conflict`, kept out rather than
 * replacing the stored one silently. Against a deletion, a copy saved before it (or at its instant) is `stale`.
 */
export function decide(line: Version, current: Version | undefined): Decision {
  if (current === undefined) return 'inserted';
  // A copy saved before the deletion stays deleted; one saved after it is new.
  if (current.deleted) return line.updatedAt > current.updatedAt ? 'inserted' : 'stale';
  if (line.updatedAt > current.updatedAt) return 'replaced';
  if (line.digest === current.digest) return 'unchanged';
  return current.updatedAt > line.updatedAt ? 'stale' : 'conflict';
}

export interface BatchPlan<L> {
  /** Each line's outcome, in the lines' order. */
  decisions: Decision[];
  /** The lines to write: for each id, the last line that won; ordered by id (rows are locked in one order). */
  writes: L[];
}

export function planBatch<L extends Version & { id: string }>(
  lines: readonly L[],
  stored: ReadonlyMap<string, Version>,
): BatchPlan<L> {
  const current = new Map<string, Version>(stored);
  const winners = new Map<string, L>();
  const decisions = lines.map((line) => {
    const decision = decide(line, current.get(line.id));
    if (decision === 'inserted' || decision === 'replaced') {
      current.set(line.id, line);
      winners.set(line.id, line);
    }
    return decision;
  });
  const writes = [...winners.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { decisions, writes };
}
