/**
 * What compareTrajectories and compareBatches return: plain data (it crosses
 * the worker boundary by structured clone), the same in Node and a browser.
 */
import type { TrajectorySummary } from './results.js';

/** One row of an alignment. `a` and `b` are 0-based indexes into each run's steps (or tests). */
export type AlignmentOp = 'same' | 'changed' | 'inserted' | 'deleted';

/** A change of one argument of a tool call, at a path such as `path` or `options.flags[1]`; absent values are `undefined`. */
export interface ArgumentChange {
  path: string;
  a?: unknown;
  b?: unknown;
}

/** How one tool call differs inside a pair of steps (`added`: only in B; `removed`: only in A). */
export interface ToolCallChange {
  name: string;
  change: 'added' | 'removed' | 'arguments';
  /** `arguments` only. */
  arguments?: ArgumentChange[];
}

export interface StepAlignment {
  op: AlignmentOp;
  /** Index of the step in run A; null for `inserted`. */
  a: number | null;
  /** Index of the step in run B; null for `deleted`. */
  b: number | null;
  /** `deleted` / `inserted` rows whose very step appears elsewhere on the other side: that step's index there. */
  movedTo?: number;
  movedFrom?: number;
  /** `changed` only: whether the message text differs. */
  messageChanged?: boolean;
  /** `changed` only: the tool calls that were added, removed, or called with other arguments. */
  toolChanges?: ToolCallChange[];
  /** The same tool calls, called in another order. */
  toolOrderChanged?: boolean;
}

/** What the alignment looks at for one step, short enough to list 10,000 of. */
export interface StepBrief {
  stepId: number;
  source: string;
  /** Tool names in the order called. */
  tools: string[];
  /** The message as plain text, cut at 200 characters. */
  text: string;
  /** The step reports an error (see README: Compare). */
  error: boolean;
  /** Observation results that report a failure. */
  failedResults: number;
}

export interface RunTotals {
  steps: number;
  toolCalls: number;
  errors: number;
  failedToolResults: number;
  /** null: not reported */
  tokens: number | null;
  costUsd: number | null;
  /** From the first to the last step's timestamp; null without timestamps. */
  durationMs: number | null;
}

/** B minus A, field by field; null where either side is unknown. */
export type RunDelta = { [K in keyof RunTotals]: number | null };

export interface ToolUsage {
  name: string;
  a: number;
  b: number;
  /** Calls of this tool only in B: in inserted steps, or added within a changed step. */
  added: number;
  /** Calls only in A. */
  removed: number;
  /** Calls present on both sides whose arguments differ. */
  changedArguments: number;
}

export interface AlignmentCounts {
  same: number;
  changed: number;
  inserted: number;
  deleted: number;
  /** inserted + deleted rows whose step appears elsewhere on the other side (each move counts once). */
  moved: number;
}

/** The first alignment row that is not `same`: where the runs part ways. */
export interface Divergence {
  row: number;
  a: number | null;
  b: number | null;
}

export interface AtifComparison {
  kind: 'atif';
  a: TrajectorySummary;
  b: TrajectorySummary;
  alignment: StepAlignment[];
  steps: { a: StepBrief[]; b: StepBrief[] };
  summary: {
    firstDivergence: Divergence | null;
    counts: AlignmentCounts;
    a: RunTotals;
    b: RunTotals;
    delta: RunDelta;
    /** Sorted: most changed first. */
    tools: ToolUsage[];
  };
}

export interface TestBrief {
  id: string | null;
  category: string;
  input: string;
  expectedOutput: string | null;
  confidence: number | null;
}

export interface TestAlignment {
  op: 'same' | 'changed' | 'added' | 'removed';
  category: string;
  input: string;
  /** Index into each session's tests; null on the side that lacks the test. */
  a: number | null;
  b: number | null;
  /** `changed` only: `expectedOutput`, `reasoning`, `confidence`. */
  changedFields?: string[];
}

export interface CategoryComparison {
  category: string;
  testsA: number;
  testsB: number;
  roundsA: number | null;
  roundsB: number | null;
  added: number;
  removed: number;
  changed: number;
}

export interface SessionTotals {
  status: string;
  score: number | null;
  tests: number;
  rounds: number;
  tokens: number;
  durationMs: number;
}

export interface TestgenComparison {
  kind: 'testgen';
  a: TrajectorySummary;
  b: TrajectorySummary;
  /** Tests matched by category and input; in A's order, then B's additions. */
  tests: TestAlignment[];
  testBriefs: { a: TestBrief[]; b: TestBrief[] };
  summary: {
    counts: { same: number; changed: number; added: number; removed: number };
    a: SessionTotals;
    b: SessionTotals;
    delta: { score: number | null; tests: number; rounds: number; tokens: number; durationMs: number };
    categories: CategoryComparison[];
  };
}

export type TrajectoryComparison = AtifComparison | TestgenComparison;

/** One trajectory of a batch comparison, read from its summary row. */
export interface BatchSide {
  id: string;
  kind: 'atif' | 'testgen';
  /** The summary row's status: `complete`, `failed`, `incomplete` or `running`. */
  status: string;
  /** Whether it ended complete (`failed` and `incomplete` did not); null while it is `running`. */
  succeeded: boolean | null;
  score: number | null;
  costUsd: number | null;
  tokens: number | null;
  createdAt: string;
  /** How many trajectories of this side share the key (the newest is compared). */
  runs: number;
}

export type PairChange =
  | 'only-a-succeeded'
  | 'only-b-succeeded'
  | 'both-succeeded'
  | 'both-failed'
  | 'unknown'
  | 'only-in-a'
  | 'only-in-b';

export interface BatchPair {
  key: string;
  a: BatchSide | null;
  b: BatchSide | null;
  change: PairChange;
  /** B minus A; null when either is unknown or missing. */
  scoreDelta: number | null;
  costDelta: number | null;
  tokensDelta: number | null;
}

export interface BatchSideTotals {
  /** Trajectories the side's filter selected. */
  trajectories: number;
  /** Distinct keys among them. */
  keys: number;
  /** Selected trajectories without a value for the key: left out of the pairing. */
  unkeyed: number;
  successes: number;
  failures: number;
  costUsd: number | null;
  tokens: number | null;
  /** Cost of the compared trajectories divided by their successes; null without either. */
  costPerSuccess: number | null;
  meanScore: number | null;
}

export interface BatchComparison {
  by: string;
  /** Sorted by what changed: outcome flips first, then the largest score and cost changes, then unpaired keys. */
  pairs: BatchPair[];
  summary: {
    paired: number;
    onlyInA: number;
    onlyInB: number;
    onlyASucceeded: number;
    onlyBSucceeded: number;
    bothSucceeded: number;
    bothFailed: number;
    a: BatchSideTotals;
    b: BatchSideTotals;
    /** Over pairs with a score on both sides. */
    score: { pairs: number; meanDelta: number | null; improved: number; worsened: number; unchanged: number };
  };
}
