/**
 * fast-check arbitraries of what the store is handed: ATIF documents and testgen sessions shaped after the zod
 * schemas (src/schema/atif.ts, testgen.ts), loosened the way real producers loosen them, with the awkward values
 * the store promises to keep (unicode, lone surrogates in text, big and negative-zero numbers, nulls, deep
 * nesting), and the few things it must refuse (values JSON cannot hold, lone surrogates in ids, no steps).
 */
import fc from 'fast-check';
import type { TestGenData } from '../../src/schema/testgen.js';

/** Half of a UTF-16 pair on its own: SQLite would store it as U+FFFD. */
export const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'] as const;

/** Text of any code point (lone surrogates included), and the kinds of text that broke stores before. */
export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '\u0000',
      'café',
      '東京の天気',
      '🎉🎉',
      '=SUM(A1)',
      '"quoted" -word OR',
      'a\uD800b',
      '\uDFFF',
      '\u2028\u2029',
      'x'.repeat(5_000),
    ),
  },
);

/** Text with no lone surrogate: what may be a stored id. */
export const idText: fc.Arbitrary<string> = fc
  .oneof(fc.string({ minLength: 1, maxLength: 16 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }))
  .filter((id) => !/\p{Cs}/u.test(id));

/** An id that SQLite cannot keep apart from others: it holds a lone surrogate. */
export const loneSurrogateId: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...LONE_SURROGATES), fc.string({ maxLength: 6 }))
  .map(([before, half, after]) => `${before}${half}${after}`)
  .filter((id) => /\p{Cs}/u.test(id));

/** Every kind of JSON number, the edges included: -0, the largest and smallest doubles, unsafe integers. */
export const jsonNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, 2 ** 53 + 2, -(2 ** 63), Number.MAX_VALUE, Number.MIN_VALUE, 1e-300),
);

/** Any JSON value, with the texts and numbers above at its leaves. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    jsonNumber,
    text,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const jsonObject = fc.dictionary(text, jsonValue, { maxKeys: 4 });

/** `leaf` inside `depth` levels of arrays and objects (a message or an extra nested far past any recursion limit). */
export function nested(maxDepth: number): fc.Arbitrary<unknown> {
  return fc.tuple(fc.integer({ min: 1, max: maxDepth }), text, fc.boolean()).map(([depth, leaf, arrays]) => {
    let value: unknown = leaf;
    for (let level = 0; level < depth; level++) value = arrays ? [value] : { [`k${level % 7}`]: value };
    return value;
  });
}

const timestamp = fc.oneof(
  fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom('2025-11-12T22:22:17.361875', '0042-03-04T05:06:07Z', 'yesterday', ''),
);

const contentPart = fc.record(
  {
    type: fc.constantFrom('text', 'image', 'audio', 'video'),
    text: fc.option(text),
    source: fc.option(fc.record({ media_type: text, path: text })),
  },
  { requiredKeys: ['type'] },
);

const content = fc.oneof(text, fc.array(contentPart, { maxLength: 3 }), jsonObject, fc.constant(null));

const toolCall = fc.record(
  {
    tool_call_id: text,
    function_name: text,
    arguments: fc.oneof(jsonObject, text),
    extra: fc.option(jsonObject),
  },
  { requiredKeys: ['tool_call_id', 'function_name'] },
);

const metrics = fc.record(
  {
    prompt_tokens: fc.option(jsonNumber),
    completion_tokens: fc.option(jsonNumber),
    cached_tokens: fc.option(jsonNumber),
    cost_usd: fc.option(jsonNumber),
    logprobs: fc.option(fc.array(jsonNumber, { maxLength: 4 })),
    extra: fc.option(jsonObject),
  },
  { requiredKeys: [] },
);

const observation = fc.oneof(
  fc.record({
    results: fc.array(
      fc.record(
        { source_call_id: fc.option(text), content: fc.option(content), extra: fc.option(jsonObject) },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
  }),
  text,
  fc.constant(null),
);

function step(deep: fc.Arbitrary<unknown>) {
  return fc.record(
    {
      step_id: fc.oneof(fc.nat(20), jsonNumber, text),
      timestamp: fc.option(timestamp),
      source: fc.oneof(fc.constantFrom('system', 'user', 'agent'), text),
      message: fc.oneof({ weight: 6, arbitrary: content }, { weight: 1, arbitrary: deep }),
      model_name: fc.option(text),
      reasoning_content: fc.option(text),
      tool_calls: fc.option(fc.array(toolCall, { maxLength: 3 })),
      metrics: fc.option(metrics),
      observation,
      llm_call_count: fc.option(jsonNumber),
      is_copied_context: fc.option(fc.boolean()),
      extra: fc.option(fc.oneof(jsonObject, deep)),
    },
    { requiredKeys: ['source'] },
  );
}

export interface AtifOptions {
  /** How deep `nested` goes in messages and extras. */
  maxDepth: number;
}

/** A document the store must keep: a root object with a `steps` array holding at least one object (or none). */
export function atifDocument({ maxDepth }: AtifOptions): fc.Arbitrary<Record<string, unknown>> {
  const deep = nested(maxDepth);
  return fc
    .record(
      {
        schema_version: fc.oneof(fc.constantFrom('ATIF-v1.6', 'ATIF-v1.7', 'ATIF-v1.0', '1.4'), text),
        session_id: fc.oneof(idText, fc.constant(null), fc.constant('')),
        trajectory_id: fc.option(idText),
        agent: fc.record(
          {
            name: fc.option(text),
            version: fc.option(text),
            model_name: fc.option(text),
            extra: fc.option(jsonObject),
          },
          { requiredKeys: [] },
        ),
        steps: fc.array(step(deep), { maxLength: 5 }),
        notes: fc.option(text),
        final_metrics: fc.option(fc.dictionary(text, jsonNumber, { maxKeys: 3 })),
        extra: fc.option(jsonObject),
      },
      { requiredKeys: ['steps'] },
    )
    .chain((doc) =>
      // Fields of the producer's own, at the root, anywhere in the key order.
      fc.dictionary(text, jsonValue, { maxKeys: 2 }).map((own) => ({ ...own, ...doc })),
    );
}

/** What JSON cannot hold, and what the store must refuse wherever in a document it sits. */
const unstorable: fc.Arbitrary<{ value: () => unknown; what: string }> = fc.constantFrom(
  { value: () => Number.NaN, what: 'NaN' },
  { value: () => Number.POSITIVE_INFINITY, what: 'Infinity' },
  { value: () => -Number.POSITIVE_INFINITY, what: '-Infinity' },
  { value: () => 10n, what: 'BigInt' },
  { value: () => () => 1, what: 'function' },
  { value: () => Symbol('s'), what: 'Symbol' },
);

/** A storable document with one unstorable value (or a cycle) put into a step, the root or a nested extra. */
export function poisonedDocument(options: AtifOptions): fc.Arbitrary<{ doc: Record<string, unknown>; what: string }> {
  return fc
    .tuple(atifDocument(options), fc.oneof(unstorable, fc.constant({ value: () => null, what: 'cycle' })), fc.nat())
    .map(([doc, { value, what }, where]) => {
      const poison = what === 'cycle' ? doc : value();
      const steps = doc.steps as Array<Record<string, unknown>>;
      if (steps.length > 0 && where % 3 !== 0) {
        steps[where % steps.length]!.extra = { deep: [1, { poison }] };
      } else {
        doc[where % 2 === 0 ? 'poison' : 'notes'] = poison;
      }
      return { doc, what };
    });
}

/** Input that is no trajectory at all: not an object, no steps array, or steps of which none is a step. */
export const notATrajectory: fc.Arbitrary<unknown> = fc.oneof(
  jsonValue.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  fc.record({ schema_version: text, steps: fc.oneof(text, jsonNumber, fc.constant(null), jsonObject) }),
  fc.record({ schema_version: text }),
  fc.record({ steps: fc.array(fc.oneof(text, jsonNumber, fc.constant(null)), { minLength: 1, maxLength: 3 }) }),
);

/** A document whose id (trajectory_id, or session_id when that is what names it) holds a lone surrogate. */
export function loneSurrogateIdDocument(options: AtifOptions): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(atifDocument(options), loneSurrogateId, fc.boolean())
    .map(([doc, id, asTrajectoryId]) => ({ ...doc, [asTrajectoryId ? 'trajectory_id' : 'session_id']: id }));
}

// ---- testgen -----------------------------------------------------------------------------------------------

const count = fc.nat(1_000_000);

const testgenTest = fc.record(
  {
    id: text,
    category: text,
    input: text,
    expectedOutput: fc.option(text),
    reasoning: text,
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  },
  { requiredKeys: ['category', 'input'] },
);

/** A testgen session the store must keep (every field within the schema's rules, any text in them). */
export const testgenData: fc.Arbitrary<TestGenData> = fc.record(
  {
    sessionId: idText,
    taskId: text.filter((t) => t.length > 0),
    taskDescription: text,
    totalTests: count,
    totalRounds: count,
    categoryRounds: fc.dictionary(
      fc.oneof(text, fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf')),
      count,
      { maxKeys: 5 },
    ),
    comprehensivenessScore: fc.option(fc.double({ min: 1, max: 10, noNaN: true })),
    totalTokensUsed: count,
    durationMs: fc.double({ min: 0, max: 1e12, noNaN: true }),
    tests: fc.array(testgenTest, { maxLength: 4 }),
    reflections: fc.array(
      fc.record(
        { category: fc.option(text), reflectionText: text, action: text },
        { requiredKeys: ['reflectionText'] },
      ),
      { maxLength: 3 },
    ),
    uncertainties: fc.array(text, { maxLength: 3 }),
    modelName: text,
    status: fc.constantFrom('running', 'complete', 'failed', 'incomplete'),
    error: text,
  },
  {
    requiredKeys: [
      'sessionId',
      'taskId',
      'taskDescription',
      'totalTests',
      'totalRounds',
      'categoryRounds',
      'comprehensivenessScore',
      'totalTokensUsed',
      'durationMs',
      'tests',
      'reflections',
      'uncertainties',
    ],
  },
) as fc.Arbitrary<TestGenData>;

/** A field of a testgen session set to something its schema refuses, and the path the refusal must name. */
export const brokenTestgen: fc.Arbitrary<{ data: Record<string, unknown>; path: string }> = fc
  .tuple(
    testgenData,
    fc.constantFrom(
      { path: 'sessionId', value: '\uD800x' },
      { path: 'sessionId', value: '' },
      { path: 'taskId', value: '' },
      { path: 'totalTests', value: -1 },
      { path: 'totalRounds', value: 1.5 },
      { path: 'comprehensivenessScore', value: 11 },
      { path: 'durationMs', value: 'long' },
      { path: 'tests', value: {} },
      { path: 'uncertainties', value: [1] },
      { path: 'startedAt', value: 'not a time' },
      { path: 'mystery', value: true },
    ),
  )
  .map(([data, { path, value }]) => ({ data: { ...data, [path]: value }, path }));
