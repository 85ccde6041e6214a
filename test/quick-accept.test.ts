/**
 * The quick yes of src/schema/quick-accept.ts: wherever it says yes, zod accepts too (so a document's findings are
 * exactly zod's), and it says yes for the conformant documents (so the quick path is the one taken). Documents
 * conformant or not, each mutated at one place in many ways, and values that are not JSON at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AtifTrajectorySchema } from '../src/schema/atif.js';
import { atifFindings } from '../src/schema/atif-findings.js';
import { quickAcceptor } from '../src/schema/quick-accept.js';
import { benchAtif } from '../bench/data.js';
import { atifRun } from './documents.js';
import { deeplyNested, REAL_WORLD_SHAPES } from './fidelity-corpus.js';
import { atifDocument, jsonValue } from './properties/arbitraries.js';
import { runs } from './properties/settings.js';

const quickAtif = quickAcceptor(AtifTrajectorySchema);
const zodAccepts = (value: unknown) => AtifTrajectorySchema.safeParse(value).success;

/** Documents zod accepts, of every shape the tests know. */
function conformantDocuments(): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [
    atifRun('run-a') as unknown as Record<string, unknown>,
    atifRun('run-b', { steps: 12, version: 'ATIF-v1.8' }) as unknown as Record<string, unknown>,
    benchAtif(1) as unknown as Record<string, unknown>,
    benchAtif(2) as unknown as Record<string, unknown>,
    deeplyNested('deep', 200, 'word'),
    ...Object.values(REAL_WORLD_SHAPES).map((json) => JSON.parse(json) as Record<string, unknown>),
  ];
  return docs.filter(zodAccepts);
}

/** Every place in a value: the path of each object member and array element. */
function places(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return out;
  const members: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  for (const [key, member] of members) {
    out.push([...at, key]);
    places(member, [...at, key], out);
  }
  return out;
}

const REMOVED = Symbol('removed');

/** A copy of `doc` with the value at `path` replaced (or the member removed). */
function mutated(doc: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === REMOVED) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** Replacements that break a field one way or another, besides any JSON value. */
const breaking = fc.constantFrom<unknown>(
  REMOVED,
  null,
  undefined,
  '',
  'x',
  'ATIF-v1.9',
  0,
  -1,
  1.5,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  [1],
  {},
  { type: 'text' },
  { type: 'video' },
);

describe('quickAcceptor', () => {
  it('says yes to every conformant document the tests know', () => {
    const docs = conformantDocuments();
    expect(docs.length).toBeGreaterThan(8);
    for (const doc of docs) expect(quickAtif(doc)).toBe(true);
  });

  it('says yes only where zod accepts: conformant documents broken at one place', () => {
    const docs = conformantDocuments();
    fc.assert(
      fc.property(fc.nat(docs.length - 1), fc.nat(), fc.oneof(breaking, jsonValue), (d, p, replacement) => {
        const doc = docs[d]!;
        const all = places(doc);
        const next = mutated(doc, all[p % all.length]!, replacement);
        // Equal, not just implied: where zod says yes the quick path is taken too.
        expect(quickAtif(next)).toBe(zodAccepts(next));
      }),
      runs(2_000, 50_000),
    );
  });

  it('says yes only where zod accepts: generated documents, mostly not conformant', () => {
    fc.assert(
      fc.property(atifDocument({ maxDepth: 4 }), (doc) => {
        expect(quickAtif(doc)).toBe(zodAccepts(doc));
      }),
      runs(500, 10_000),
    );
  });

  it('leaves what is not plain JSON to zod', () => {
    const base = atifRun('odd') as unknown as Record<string, unknown>;
    class Agent {
      name = 'agent';
    }
    const withSymbol = { ...base, extra: { [Symbol('s')]: 1 } };
    const odd: unknown[] = [
      { ...base, agent: new Agent() },
      { ...base, extra: new Date(0) },
      { ...base, extra: new Map() },
      withSymbol,
      { ...base, extra: Object.create({ inherited: 1 }) },
      { ...base, steps: new Array(2) },
      Object.assign(Object.create(null), base),
    ];
    for (const value of odd) {
      if (quickAtif(value)) expect(zodAccepts(value)).toBe(true);
    }
    expect(quickAtif(withSymbol)).toBe(false);
    expect(zodAccepts(withSymbol)).toBe(false);
  });

  it('does not throw on nesting past the stack: zod decides (and says it could not check it all)', () => {
    let doc: Record<string, unknown> = atifRun('leaf') as unknown as Record<string, unknown>;
    for (let i = 0; i < 20_000; i++) {
      doc = { ...(atifRun(`level-${i}`) as unknown as Record<string, unknown>), subagent_trajectories: [doc] };
    }
    expect(quickAtif(doc)).toBe(false);
    expect(
      atifFindings(doc)
        .warnings.map((w) => w.message)
        .join(),
    ).toMatch(/could not be checked in full/);
  });

  it('never says yes for a schema it does not read', () => {
    const email = quickAcceptor(z.object({ to: z.email() }).loose());
    expect(email({ to: 'a@b.c' })).toBe(false);
    const strict = quickAcceptor(z.object({ a: z.string() }));
    expect(strict({ a: 'x' })).toBe(false);
    const maxLength = quickAcceptor(z.string().max(2));
    expect(maxLength('abc')).toBe(false);
    expect(maxLength('ab')).toBe(false);
  });
});
