/**
 * How many cases a property tries, and from which seed. `npm test` runs a fast subset from a fixed seed (the
 * same cases every run, so a failure reproduces); `npm run test:reliability` sets RELIABILITY_LONG=1 and runs
 * many more from a fresh seed. fast-check prints the seed and the shrunk case of any failure: rerun it with
 * PROPERTY_SEED=<seed> (and RELIABILITY_LONG=1 if it came from the long run).
 */
import type fc from 'fast-check';

export const LONG_RUN = process.env.RELIABILITY_LONG === '1';

const FIXED_SEED = 20261126;

function seed(): number {
  if (process.env.PROPERTY_SEED) return Number(process.env.PROPERTY_SEED);
  return LONG_RUN ? Date.now() ^ (Math.random() * 0x7fffffff) : FIXED_SEED;
}

/** fast-check parameters: `fast` cases in `npm test`, `long` under RELIABILITY_LONG=1. */
export function runs<T>(fast: number, long: number): fc.Parameters<T> {
  return { numRuns: LONG_RUN ? long : fast, seed: seed(), reporter: report };
}

/**
 * fast-check's own report, minus its printer of the counterexample, which recurses and overflows the stack on
 * the thousands-deep values these properties generate. The case is printed as JSON, cut to a readable length.
 */
function report<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const rerun = `PROPERTY_SEED=${details.seed}${LONG_RUN ? ' RELIABILITY_LONG=1' : ''}`;
  throw new Error(
    [
      `Property failed after ${details.numRuns} cases (seed ${details.seed}, path "${details.counterexamplePath}"; rerun with ${rerun})`,
      `Counterexample: ${printed(details.counterexample)}`,
      `Shrunk ${details.numShrinks} times. Caused by: ${String(details.errorInstance)}`,
    ].join('\n'),
    { cause: details.errorInstance },
  );
}

function printed(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch (error) {
    text = `(not printable as JSON: ${(error as Error).message})`;
  }
  return text.length > 4_000 ? `${text.slice(0, 4_000)}... (${text.length} characters)` : text;
}

/** How deep the nested values of generated documents go (past the 1,000 levels where recursion used to fail). */
export const MAX_DEPTH = LONG_RUN ? 3_000 : 1_200;

/**
 * A vitest timeout for a property: only a hang detector, never a measure. The fast subset takes about 10 s a
 * property on a quiet machine and passed 60 s at load 17, so it gets 3 minutes; the long runs try 20 times
 * the cases.
 */
export const PROPERTY_TIMEOUT = LONG_RUN ? 1_800_000 : 180_000;
