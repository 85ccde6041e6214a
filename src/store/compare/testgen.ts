/**
 * Two test-generation sessions: tests matched by category and input (the
 * test itself, whatever its id), then scores and rounds per category.
 */
import { isRecord } from '../../schema/json.js';
import type { TrajectorySummary } from '../../contract/results.js';
import { canonicalJson } from './steps.js';
import type {
  CategoryComparison,
  SessionTotals,
  TestAlignment,
  TestBrief,
  TestgenComparison,
} from '../../contract/compare.js';

/** Fields of a test that, when they differ between two matched tests, make it `changed`. */
const COMPARED_FIELDS = ['expectedOutput', 'reasoning', 'confidence'] as const;

type Test = Record<string, unknown>;

const testKey = (test: Test): string => `${String(test.category ?? '')}\u0000${String(test.input ?? '').trim()}`;

function brief(test: Test): TestBrief {
  return {
    id: typeof test.id === 'string' ? test.id : null,
    category: String(test.category ?? ''),
    input: String(test.input ?? ''),
    expectedOutput: typeof test.expectedOutput === 'string' ? test.expectedOutput : null,
    confidence: typeof test.confidence === 'number' ? test.confidence : null,
  };
}

export function compareTestgenSessions(
  a: { summary: TrajectorySummary; data: Record<string, unknown> },
  b: { summary: TrajectorySummary; data: Record<string, unknown> },
): TestgenComparison {
  const testsA = testsOf(a.data);
  const testsB = testsOf(b.data);
  // key -> indexes in B not yet matched, earliest first (a test may repeat: matched in order)
  const open = new Map<string, number[]>();
  testsB.forEach((test, j) => {
    const key = testKey(test);
    const list = open.get(key);
    if (list) list.push(j);
    else open.set(key, [j]);
  });
  for (const list of open.values()) list.reverse();
  const matchedB = new Uint8Array(testsB.length);
  const tests: TestAlignment[] = [];
  testsA.forEach((test, i) => {
    const j = open.get(testKey(test))?.pop();
    const row = { category: String(test.category ?? ''), input: String(test.input ?? '') };
    if (j === undefined) {
      tests.push({ op: 'removed', ...row, a: i, b: null });
      return;
    }
    matchedB[j] = 1;
    const other = testsB[j]!;
    const changedFields = COMPARED_FIELDS.filter((f) => canonicalJson(test[f]) !== canonicalJson(other[f]));
    tests.push(
      changedFields.length > 0
        ? { op: 'changed', ...row, a: i, b: j, changedFields: [...changedFields] }
        : { op: 'same', ...row, a: i, b: j },
    );
  });
  testsB.forEach((test, j) => {
    if (!matchedB[j]) {
      tests.push({
        op: 'added',
        category: String(test.category ?? ''),
        input: String(test.input ?? ''),
        a: null,
        b: j,
      });
    }
  });

  const counts = { same: 0, changed: 0, added: 0, removed: 0 };
  for (const row of tests) counts[row.op]++;
  const totalsA = sessionTotals(a.data, a.summary);
  const totalsB = sessionTotals(b.data, b.summary);
  return {
    kind: 'testgen',
    a: a.summary,
    b: b.summary,
    tests,
    testBriefs: { a: testsA.map(brief), b: testsB.map(brief) },
    summary: {
      counts,
      a: totalsA,
      b: totalsB,
      delta: {
        score: totalsA.score === null || totalsB.score === null ? null : totalsB.score - totalsA.score,
        tests: totalsB.tests - totalsA.tests,
        rounds: totalsB.rounds - totalsA.rounds,
        tokens: totalsB.tokens - totalsA.tokens,
        durationMs: totalsB.durationMs - totalsA.durationMs,
      },
      categories: categoryComparison(tests, testsA, testsB, a.data, b.data),
    },
  };
}

function testsOf(data: Record<string, unknown>): Test[] {
  return Array.isArray(data.tests) ? data.tests.filter(isRecord) : [];
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

function sessionTotals(data: Record<string, unknown>, summary: TrajectorySummary): SessionTotals {
  return {
    status: typeof data.status === 'string' ? data.status : (summary.status ?? 'complete'),
    score: typeof data.comprehensivenessScore === 'number' ? data.comprehensivenessScore : null,
    tests: testsOf(data).length,
    rounds: num(data.totalRounds),
    tokens: num(data.totalTokensUsed),
    durationMs: num(data.durationMs),
  };
}

function roundsOf(data: Record<string, unknown>): Record<string, unknown> {
  return isRecord(data.categoryRounds) ? data.categoryRounds : {};
}

/** Every category either session has tests or rounds in, in the order first seen. */
function categoryComparison(
  rows: TestAlignment[],
  testsA: Test[],
  testsB: Test[],
  dataA: Record<string, unknown>,
  dataB: Record<string, unknown>,
): CategoryComparison[] {
  const roundsA = roundsOf(dataA);
  const roundsB = roundsOf(dataB);
  const categories = new Map<string, CategoryComparison>();
  const of = (category: string): CategoryComparison => {
    let entry = categories.get(category);
    if (!entry) {
      const ra = roundsA[category];
      const rb = roundsB[category];
      entry = {
        category,
        testsA: 0,
        testsB: 0,
        roundsA: typeof ra === 'number' ? ra : null,
        roundsB: typeof rb === 'number' ? rb : null,
        added: 0,
        removed: 0,
        changed: 0,
      };
      categories.set(category, entry);
    }
    return entry;
  };
  for (const test of testsA) of(String(test.category ?? '')).testsA++;
  for (const test of testsB) of(String(test.category ?? '')).testsB++;
  for (const category of [...Object.keys(roundsA), ...Object.keys(roundsB)]) of(category);
  for (const row of rows) {
    if (row.op !== 'same') of(row.category)[row.op]++;
  }
  return [...categories.values()];
}
