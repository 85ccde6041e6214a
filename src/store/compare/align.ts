/**
 * Aligning two sequences of steps, near-linear in practice.
 *
 * Each item has two keys, interned to numbers: `exact` (everything the
 * alignment compares) and `loose` (the kind of thing it is: source and tool
 * names). Items with equal exact keys pair as `same`; items with equal loose
 * keys may pair as `changed`; anything else is `deleted` (only in A) or
 * `inserted` (only in B).
 *
 * The method is patience diff's, with a bounded dynamic programme at the leaves:
 *  1. strip the common prefix and suffix;
 *  2. a gap small enough (n * m <= DP_CELLS) is aligned optimally by edit
 *     distance (same 0, changed 3, inserted or deleted 2 each);
 *  3. otherwise anchor on the items whose exact key occurs once on each side,
 *     in the longest run that keeps their order (patience), and recurse between
 *     anchors; with no unique items, anchor on the common item nearest the
 *     gap's middle (so the recursion halves the gap, O(n log n)), and when no
 *     exact key is shared, do the same with loose keys (pairs as `changed`).
 * Work is kept on an explicit stack: no recursion depth limit on long runs.
 */

export type PairOp = 'same' | 'changed' | 'inserted' | 'deleted';

export interface AlignedPair {
  op: PairOp;
  a: number | null;
  b: number | null;
}

export interface KeyedSequence {
  exact: ArrayLike<number>;
  loose: ArrayLike<number>;
}

/** Gaps up to this many cells (n * m) get the exact edit-distance alignment (a few hundred steps a side). */
export const DP_CELLS = 40_000;

const COST_SAME = 0;
const COST_CHANGED = 3;
const COST_INDEL = 2;

type Task =
  | { range: true; a0: number; a1: number; b0: number; b1: number }
  | { range: false; op: 'same' | 'changed'; a: number; b: number; count: number };

export function alignSequences(A: KeyedSequence, B: KeyedSequence): AlignedPair[] {
  const out: AlignedPair[] = [];
  const stack: Task[] = [{ range: true, a0: 0, a1: A.exact.length, b0: 0, b1: B.exact.length }];
  while (stack.length > 0) {
    const task = stack.pop()!;
    if (!task.range) {
      for (let k = 0; k < task.count; k++) out.push({ op: task.op, a: task.a + k, b: task.b + k });
      continue;
    }
    let { a0, a1, b0, b1 } = task;
    while (a0 < a1 && b0 < b1 && A.exact[a0] === B.exact[b0]) out.push({ op: 'same', a: a0++, b: b0++ });
    let suffix = 0;
    while (a1 - suffix > a0 && b1 - suffix > b0 && A.exact[a1 - suffix - 1] === B.exact[b1 - suffix - 1]) suffix++;
    if (suffix > 0) {
      a1 -= suffix;
      b1 -= suffix;
      stack.push({ range: false, op: 'same', a: a1, b: b1, count: suffix });
    }
    const n = a1 - a0;
    const m = b1 - b0;
    if (n === 0 || m === 0 || n * m <= DP_CELLS) {
      alignByEditDistance(A, B, a0, a1, b0, b1, out);
      continue;
    }
    const anchors =
      uniqueAnchors(A.exact, B.exact, a0, a1, b0, b1, 'same') ??
      middleAnchor(A.exact, B.exact, a0, a1, b0, b1, 'same') ??
      uniqueAnchors(A.loose, B.loose, a0, a1, b0, b1, 'changed') ??
      middleAnchor(A.loose, B.loose, a0, a1, b0, b1, 'changed');
    if (!anchors) {
      for (let i = a0; i < a1; i++) out.push({ op: 'deleted', a: i, b: null });
      for (let j = b0; j < b1; j++) out.push({ op: 'inserted', a: null, b: j });
      continue;
    }
    // Pushed last-first, so that they are taken in order.
    let nextA = a1;
    let nextB = b1;
    for (let k = anchors.length - 1; k >= 0; k--) {
      const anchor = anchors[k]!;
      stack.push({ range: true, a0: anchor.a + 1, a1: nextA, b0: anchor.b + 1, b1: nextB });
      stack.push({ range: false, op: anchor.op, a: anchor.a, b: anchor.b, count: 1 });
      nextA = anchor.a;
      nextB = anchor.b;
    }
    stack.push({ range: true, a0, a1: nextA, b0, b1: nextB });
  }
  return out;
}

interface Anchor {
  op: 'same' | 'changed';
  a: number;
  b: number;
}

/** Items whose key occurs exactly once in each range, the longest subsequence of them in the same order on both sides. */
function uniqueAnchors(
  keysA: ArrayLike<number>,
  keysB: ArrayLike<number>,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  op: Anchor['op'],
): Anchor[] | null {
  // key -> its position in B, or -1 once seen twice
  const inB = new Map<number, number>();
  for (let j = b0; j < b1; j++) {
    const key = keysB[j]!;
    inB.set(key, inB.has(key) ? -1 : j);
  }
  const inA = new Map<number, number>();
  for (let i = a0; i < a1; i++) {
    const key = keysA[i]!;
    if ((inB.get(key) ?? -1) < 0) continue;
    inA.set(key, inA.has(key) ? -1 : i);
  }
  const candidates: Array<{ a: number; b: number }> = [];
  for (const [key, a] of inA) if (a >= 0) candidates.push({ a, b: inB.get(key)! });
  if (candidates.length === 0) return null;
  candidates.sort((x, y) => x.a - y.a);
  return longestIncreasing(candidates).map(({ a, b }) => ({ op, a, b }));
}

/** Patience sorting: the longest subsequence of `items` (ordered by a) whose b increases too. */
function longestIncreasing(items: Array<{ a: number; b: number }>): Array<{ a: number; b: number }> {
  const tails: number[] = []; // index into items of the smallest tail of each pile length
  const previous = new Int32Array(items.length).fill(-1);
  for (let k = 0; k < items.length; k++) {
    const b = items[k]!.b;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (items[tails[mid]!]!.b < b) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[k] = tails[lo - 1]!;
    tails[lo] = k;
  }
  const result: Array<{ a: number; b: number }> = [];
  for (let k = tails[tails.length - 1]!; k >= 0; k = previous[k]!) result.push(items[k]!);
  return result.reverse();
}

/**
 * When every shared key repeats: the shared item nearest the middle of A,
 * paired with its occurrence in B nearest the matching point of B.
 */
function middleAnchor(
  keysA: ArrayLike<number>,
  keysB: ArrayLike<number>,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  op: Anchor['op'],
): Anchor[] | null {
  const positions = new Map<number, number[]>();
  for (let j = b0; j < b1; j++) {
    const key = keysB[j]!;
    const list = positions.get(key);
    if (list) list.push(j);
    else positions.set(key, [j]);
  }
  const n = a1 - a0;
  const middle = a0 + (n >> 1);
  for (let step = 0; step < n; step++) {
    const i = step % 2 === 0 ? middle + (step >> 1) : middle - ((step + 1) >> 1);
    if (i < a0 || i >= a1) continue;
    const list = positions.get(keysA[i]!);
    if (!list) continue;
    const target = b0 + Math.round(((i - a0) * (b1 - b0)) / n);
    return [{ op, a: i, b: nearest(list, target) }];
  }
  return null;
}

function nearest(sorted: number[], target: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  const after = sorted[lo]!;
  const before = lo > 0 ? sorted[lo - 1]! : after;
  return target - before <= after - target ? before : after;
}

/** The cheapest alignment of two small ranges (edit distance with `changed` pairs), appended to `out`. */
function alignByEditDistance(
  A: KeyedSequence,
  B: KeyedSequence,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  out: AlignedPair[],
): void {
  const n = a1 - a0;
  const m = b1 - b0;
  if (n === 0 || m === 0) {
    for (let i = a0; i < a1; i++) out.push({ op: 'deleted', a: i, b: null });
    for (let j = b0; j < b1; j++) out.push({ op: 'inserted', a: null, b: j });
    return;
  }
  const width = m + 1;
  // cost[i * width + j]: aligning the last n - i items of A with the last m - j of B (suffixes, so that the
  // walk below goes forward and, on ties, prefers pairing, then deleting before inserting).
  const cost = new Uint32Array((n + 1) * width);
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      if (i === n && j === m) continue;
      let best = Number.MAX_SAFE_INTEGER;
      if (i < n && j < m) {
        const pair = pairCost(A, B, a0 + i, b0 + j);
        if (pair >= 0) best = pair + cost[(i + 1) * width + j + 1]!;
      }
      if (i < n) best = Math.min(best, COST_INDEL + cost[(i + 1) * width + j]!);
      if (j < m) best = Math.min(best, COST_INDEL + cost[i * width + j + 1]!);
      cost[i * width + j] = best;
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const here = cost[i * width + j]!;
    if (i < n && j < m) {
      const pair = pairCost(A, B, a0 + i, b0 + j);
      if (pair >= 0 && here === pair + cost[(i + 1) * width + j + 1]!) {
        out.push({ op: pair === COST_SAME ? 'same' : 'changed', a: a0 + i++, b: b0 + j++ });
        continue;
      }
    }
    if (i < n && here === COST_INDEL + cost[(i + 1) * width + j]!) {
      out.push({ op: 'deleted', a: a0 + i++, b: null });
    } else {
      out.push({ op: 'inserted', a: null, b: b0 + j++ });
    }
  }
}

/** The cost of pairing two items, or -1 when they may not pair. */
function pairCost(A: KeyedSequence, B: KeyedSequence, i: number, j: number): number {
  if (A.exact[i] === B.exact[j]) return COST_SAME;
  if (A.loose[i] === B.loose[j]) return COST_CHANGED;
  return -1;
}

/**
 * Marks deleted and inserted rows whose exact key appears among the other
 * side's deleted or inserted rows: a step that moved, not one that came or went.
 */
export function markMoves(
  rows: Array<AlignedPair & { movedTo?: number; movedFrom?: number }>,
  exactA: ArrayLike<number>,
  exactB: ArrayLike<number>,
): number {
  const inserted = new Map<number, number[]>();
  rows.forEach((row, index) => {
    if (row.op !== 'inserted') return;
    const key = exactB[row.b!]!;
    const list = inserted.get(key);
    if (list) list.push(index);
    else inserted.set(key, [index]);
  });
  let moves = 0;
  if (inserted.size === 0) return moves;
  for (const list of inserted.values()) list.reverse(); // taken from the end, earliest first
  for (const row of rows) {
    if (row.op !== 'deleted') continue;
    const list = inserted.get(exactA[row.a!]!);
    const match = list?.pop();
    if (match === undefined) continue;
    const counterpart = rows[match]!;
    row.movedTo = counterpart.b!;
    counterpart.movedFrom = row.a!;
    moves++;
  }
  return moves;
}

/** Interns strings as small integers, so that keys compare as numbers. */
export class KeyTable {
  private readonly ids = new Map<string, number>();
  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    return id;
  }
}
