/**
 * importTrajectories (issue 7, item 4): every format it reads, detected from
 * the input; large input in batches with progress; malformed records refused
 * one by one with their line; an unknown format refused with nothing written.
 * Real sqlite-wasm, in memory.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import { openTrajectoryStore } from '../src/node.js';
import { inputSource } from '../src/store/import/source.js';
import { jsonValues, lines } from '../src/store/import/text.js';
import { REAL_WORLD_SHAPES } from './fidelity-corpus.js';
import { atifRun, catchError, openCore, rejection, testgenSession } from './fixtures.js';
import { CLAUDE_SESSION, claudeCodeLog, codexLog, inspectEvalArchive, otelLog } from './importers/agent-logs.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const jsonl = (items: readonly unknown[]) => `${items.map((item) => JSON.stringify(item)).join('\n')}\n`;

/** The streamed form the original tool wrote: a header line, then one step a line. */
function streamed(id: string, steps = 3, header = true): string {
  const { steps: all, ...root } = atifRun(id, { steps });
  const first = header ? [{ __header__: true, ...root, created_at: '2025-11-12T22:22:17.361875' }] : [];
  return jsonl([...first, ...all]);
}

describe('each format is detected and imported', () => {
  test('one document written over several lines (atif), as text and as bytes', async () => {
    const doc = atifRun('pretty', { text: 'Ünïcødé ✓ 🚀' });
    for (const input of [JSON.stringify(doc, null, 2), utf8(JSON.stringify(doc, null, 2))]) {
      const store = await openTrajectoryStore();
      const result = await store.importTrajectories(input);
      expect(result).toMatchObject({ format: 'atif', inserted: 1, rejected: [], inputWarnings: [] });
      deepStrictEqual((await store.getTrajectory('pretty'))!.trajectory, doc);
    }
  });

  test('one compact document on one line is `atif` too', async () => {
    const store = await openTrajectoryStore();
    expect(await store.importTrajectories(JSON.stringify(atifRun('compact')))).toMatchObject({
      format: 'atif',
      inserted: 1,
    });
  });

  test('a JSON array of documents (atif-array), with -0 and every real-world shape kept exactly', async () => {
    const docs = Object.values(REAL_WORLD_SHAPES).map((text) => JSON.parse(text) as Record<string, unknown>);
    const text = `[\n${Object.values(REAL_WORLD_SHAPES).join(',\n')}\n]`;
    const store = await openTrajectoryStore();
    const result = await store.importTrajectories(utf8(text));
    expect(result.format).toBe('atif-array');
    expect(result.rejected).toEqual([]);
    expect(result.inserted).toBe(docs.length);
    const stored = (await store.exportTrajectories({ format: 'jsonl' }))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .map((line) => (!('steps' in line) && 'trajectory' in line ? line.trajectory : line));
    for (const doc of docs) expect(stored.some((s) => isDeepStrictEqual(s, doc))).toBe(true);
  });

  test("the store's own JSONL export, with testgen lines and copies kept under fresh ids, gives back the same rows", async () => {
    const from = await openTrajectoryStore();
    await from.insertTrajectory(atifRun('shared', { text: 'first task' }));
    const renamed = await from.insertTrajectory(atifRun('shared', { text: 'second task' }));
    expect(renamed.outcome).toBe('renamed');
    await from.insertTestGenTrajectory(testgenSession('tg-1'));
    const exported = await from.exportTrajectories({ format: 'jsonl', orderBy: 'createdAt', order: 'asc' });
    expect(exported).toContain('{"id":"shared~2","trajectory":');
    expect(exported).toContain('{"testgen":');

    const to = await openTrajectoryStore();
    const result = await to.importTrajectories(exported);
    expect(result).toMatchObject({ format: 'jsonl', inserted: 3, renamed: [], rejected: [] });
    const ids = async (store: typeof to) => (await store.listTrajectories({ limit: 10 })).items.map((t) => t.id).sort();
    expect(await ids(to)).toEqual(await ids(from));
    deepStrictEqual(
      (await to.getTrajectory('shared~2'))!.trajectory,
      (await from.getTrajectory('shared~2'))!.trajectory,
    );
    // Importing it again changes nothing.
    expect(await to.importTrajectories(exported)).toMatchObject({ inserted: 0, unchanged: 3 });
  });

  test('the streamed form with its header: one trajectory, the header its root (created_at kept)', async () => {
    const store = await openTrajectoryStore();
    const result = await store.importTrajectories(streamed('stream-1', 4));
    expect(result).toMatchObject({ format: 'atif-stream', inserted: 1, inputWarnings: [] });
    const { steps, ...root } = atifRun('stream-1', { steps: 4 });
    deepStrictEqual((await store.getTrajectory('stream-1'))!.trajectory, {
      ...root,
      created_at: '2025-11-12T22:22:17.361875',
      steps,
    });
  });

  test('the streamed form without a header: lines that are steps make one trajectory, with a stable id', async () => {
    const store = await openTrajectoryStore();
    const text = streamed('ignored', 3, false);
    const result = await store.importTrajectories(text);
    expect(result).toMatchObject({ format: 'atif-stream', inserted: 1 });
    const [row] = (await store.listTrajectories()).items;
    expect(row!.id).toMatch(/^atif-[0-9a-f]{16}$/);
    expect(row!.stepCount).toBe(3);
    expect(row!.conformant).toBe(false); // no agent, no session_id: warned about, kept
    expect(await store.importTrajectories(text)).toMatchObject({ inserted: 0, unchanged: 1 });
  });

  test('several streams one after another; a damaged step line is left out with a warning, the run kept', async () => {
    const damaged = streamed('s-a', 3).replace(/\n$/, '\n{"step_id": 4, "source": "agent", "mess\n');
    const store = await openTrajectoryStore();
    const result = await store.importTrajectories(damaged + streamed('s-b', 2));
    expect(result).toMatchObject({ format: 'atif-stream', inserted: 2 });
    expect(result.inputWarnings).toEqual([
      { path: 'line 5', message: expect.stringMatching(/is not valid JSON.*left out of the trajectory/) },
    ]);
    expect((await store.getTrajectory('s-a'))!.summary.stepCount).toBe(3);
    // strict: a run that lost a line is refused.
    const strict = await (await openTrajectoryStore()).importTrajectories(damaged, { strict: true });
    expect(strict.inserted).toBe(0);
    expect(strict.rejected).toEqual([
      { index: 0, line: 1, issues: [{ path: '', message: expect.stringContaining('1 of its lines were left out') }] },
    ]);
  });

  test('a SQLite snapshot is merged under the identity rule', async () => {
    const from = await openTrajectoryStore();
    await from.insertMany([atifRun('snap-1'), atifRun('snap-2')]);
    const bytes = await from.exportSnapshot();
    const to = await openTrajectoryStore();
    await to.insertTrajectory(atifRun('snap-1', { text: 'a different run' }));
    const result = await to.importTrajectories(Buffer.from(bytes)); // a Node Buffer, as readFileSync gives
    expect(result).toMatchObject({ format: 'sqlite', merged: 2 });
    expect((await to.listTrajectories()).items.map((t) => t.id).sort()).toEqual(['snap-1', 'snap-1~2', 'snap-2']);
  });

  test.each([
    ['claude-code', () => ({ input: claudeCodeLog(), name: `${CLAUDE_SESSION}.jsonl` })],
    ['codex', () => ({ input: codexLog(), name: 'rollout-2025-10-04T12-00-00.jsonl' })],
    ['inspect-ai', () => ({ input: inspectEvalArchive(), name: 'run.eval' })],
    ['otel-genai', () => ({ input: otelLog(), name: 'spans.json' })],
  ] as const)('an agent log (%s) is converted by its importer', async (format, make) => {
    const { input, name } = make();
    const store = await openTrajectoryStore();
    const result = await store.importTrajectories(input, { name });
    expect(result.format).toBe(format);
    expect(result.rejected).toEqual([]);
    expect(result.inserted).toBeGreaterThan(0);
    const [row] = (await store.listTrajectories()).items;
    expect((await store.getTrajectory(row!.id))!.trajectory).toMatchObject({ extra: expect.anything() });
  });

  test('`format` forces a reading: a JSON document read as JSONL is refused line by line', async () => {
    const store = await openTrajectoryStore();
    const result = await store.importTrajectories(JSON.stringify(atifRun('x'), null, 2), { format: 'jsonl' });
    expect(result.format).toBe('jsonl');
    expect(result.inserted).toBe(0);
    expect(result.rejected[0]).toMatchObject({ index: 0, line: 1 });
  });
});

describe('reading in chunks', () => {
  const doc = JSON.stringify(atifRun('chunked', { text: 'ü✓🚀 split across every boundary' }), null, 1);
  const bytes = utf8(`${doc}\n${doc}`);

  test.each([1, 2, 3, 7, 64])('JSON values split across %i-byte reads come out whole', (chunk) => {
    const pieces = [...jsonValues(inputSource(bytes, undefined), 'top', chunk)];
    expect(pieces.map((p) => p.text)).toEqual([doc, doc]);
    expect(pieces.map((p) => p.line)).toEqual([1, doc.split('\n').length + 1]);
  });

  test.each([1, 5, 64])('lines split across %i-byte reads come out whole', (chunk) => {
    const text = 'α line one\r\n\n{"β": "two"}\n  \nthree 🚀';
    expect([...lines(inputSource(utf8(text), undefined), chunk)].map((l) => [l.line, l.text])).toEqual([
      [1, 'α line one'],
      [3, '{"β": "two"}'],
      [5, 'three 🚀'],
    ]);
  });

  test('array elements, nested brackets and brackets inside strings, in 3-byte reads', () => {
    const elements = [{ a: '[{"]}' }, [1, [2]], 'x\\"]', 42, null];
    const text = JSON.stringify(elements, null, 2);
    const pieces = [...jsonValues(inputSource(utf8(text), undefined), 'array', 3)];
    expect(pieces.map((p) => JSON.parse(p.text))).toEqual(elements);
  });

  test('a document that spans the 1 MiB read boundary is imported whole', async () => {
    const big = atifRun('big', { steps: 3, text: `${'é'.repeat(700_000)} end` }); // 1.4 MB of two-byte characters
    const store = await openTrajectoryStore();
    const result = await store.importTrajectories(utf8(jsonl([atifRun('small'), big, atifRun('after')])));
    expect(result).toMatchObject({ format: 'jsonl', inserted: 3, rejected: [] });
    deepStrictEqual((await store.getTrajectory('big'))!.trajectory, big);
  });
});

test('10,000 lines go through in batches of 500, with progress in bytes after each batch', async () => {
  const tiny = (i: number) => ({
    schema_version: 'ATIF-v1.6',
    session_id: `run-${i}`,
    agent: { name: 'bulk', version: '1' },
    steps: [{ step_id: 1, source: 'user', message: `task ${i}` }],
  });
  const bytes = utf8(jsonl(Array.from({ length: 10_000 }, (_, i) => tiny(i))));
  const { core } = await openCore();
  const events: Array<{ done: number; total: number }> = [];
  const saves: number[] = [];
  core.subscribe((change) => {
    if (change.type === 'saved') saves.push(change.ids.length);
  });
  const result = core.importTrajectories(bytes, { onProgress: (p) => events.push(p) });
  expect(result).toMatchObject({ format: 'jsonl', inserted: 10_000, rejected: [] });
  expect(events).toHaveLength(20);
  expect(events.every((e) => e.total === bytes.length)).toBe(true);
  expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
  expect(events.at(-1)!.done).toBe(bytes.length);
  expect(saves).toEqual([10_000]);
}, 120_000);

describe('damage and refusal', () => {
  test('a malformed line refuses that item with its line number, and the rest are saved', async () => {
    const text = [
      JSON.stringify(atifRun('ok-1')),
      '{"schema_version": "ATIF-v1.6", "session_id": "cut',
      '',
      JSON.stringify({ schema_version: 'ATIF-v1.6', session_id: 'no-steps' }),
      JSON.stringify(atifRun('ok-2')),
    ].join('\n');
    const store = await openTrajectoryStore();
    const result = await store.importTrajectories(text);
    expect(result).toMatchObject({ format: 'jsonl', inserted: 2 });
    expect(result.rejected).toEqual([
      { index: 1, line: 2, issues: [{ path: '', message: expect.stringContaining('is not valid JSON') }] },
      { index: 2, line: 4, issues: [{ path: 'steps', message: expect.stringContaining('must be an array') }] },
    ]);
  });

  test('a JSONL file whose first line is damaged is still read as JSONL', async () => {
    const store = await openTrajectoryStore();
    const result = await store.importTrajectories(`{"steps": [\n${jsonl([atifRun('a'), atifRun('b')])}`);
    expect(result).toMatchObject({ format: 'jsonl', inserted: 2 });
    expect(result.rejected).toMatchObject([{ index: 0, line: 1 }]);
  });

  test('an array cut off mid-element keeps the elements before the cut', async () => {
    const text = JSON.stringify([atifRun('a1'), atifRun('a2')]).slice(0, -40);
    const store = await openTrajectoryStore();
    const result = await store.importTrajectories(text);
    expect(result).toMatchObject({ format: 'atif-array', inserted: 1 });
    expect(result.rejected).toEqual([
      { index: 1, line: 1, issues: [{ path: '', message: 'is cut off: the input ends inside it' }] },
    ]);
  });

  test.each([
    ['text that is not JSON', 'hello, world\n', /text that is not JSON \(it begins "hello, world/],
    ['JSON objects that are no trajectory', jsonl([{ foo: 1, bar: 2 }, { foo: 3 }]), /the keys foo, bar/],
    ['an array of numbers', '[1, 2, 3]', /a JSON array whose first element is a JSON number/],
    ['a JSON string', '"just a string"', /text that is not JSON/],
  ])('%s: unknown_format naming what was found, and the database as it was', async (_what, input, found) => {
    const { core } = await openCore();
    core.insertTrajectory(atifRun('kept'));
    const before = core.exportTrajectories({ format: 'jsonl' });
    const error = catchError(() => core.importTrajectories(input));
    expect(error.code).toBe('unknown_format');
    expect(error.message).toMatch(found);
    expect(core.exportTrajectories({ format: 'jsonl' })).toBe(before);
  });

  test('empty input imports nothing and says so', async () => {
    const store = await openTrajectoryStore();
    expect(await store.importTrajectories('  \n')).toMatchObject({
      inserted: 0,
      inputWarnings: [{ path: '', message: 'the input is empty' }],
    });
  });

  test('input of another type, and a Blob outside a worker, are refused with validation', async () => {
    const store = await openTrajectoryStore();
    expect((await rejection(store.importTrajectories(42 as never))).code).toBe('validation');
    const blob = await rejection(store.importTrajectories(new Blob(['{}'])));
    expect(blob.code).toBe('validation');
    expect(blob.message).toMatch(/pass its bytes/);
  });
});

describe('strict and the identity rule pass through', () => {
  test('strict refuses a non-conformant document, with its line', async () => {
    const loose = { ...atifRun('loose'), schema_version: '1.4' };
    const store = await openTrajectoryStore();
    const result = await store.importTrajectories(jsonl([atifRun('fine'), loose]), { strict: true });
    expect(result.inserted).toBe(1);
    expect(result.rejected).toMatchObject([{ index: 1, line: 2 }]);
    // Without strict it is kept, with its warnings and line.
    const kept = await (await openTrajectoryStore()).importTrajectories(jsonl([atifRun('fine'), loose]));
    expect(kept.inserted).toBe(2);
    expect(kept.warnings).toMatchObject([{ index: 1, line: 2, id: 'loose' }]);
  });

  test('ten different runs sharing a session id are all kept; onConflict replace and keep-both are followed', async () => {
    const runs = Array.from({ length: 10 }, (_, i) => atifRun('dataset', { text: `task ${i}` }));
    const store = await openTrajectoryStore();
    const result = await store.importTrajectories(jsonl(runs));
    expect(result.inserted).toBe(10);
    expect(result.renamed.map((r) => r.id)).toEqual(Array.from({ length: 9 }, (_, i) => `dataset~${i + 2}`));

    const replaced = await store.importTrajectories(JSON.stringify(atifRun('dataset', { text: 'new' })), {
      onConflict: 'replace',
    });
    expect(replaced.replaced).toBe(1);
    const both = await store.importTrajectories(JSON.stringify(atifRun('dataset', { text: 'new' })), {
      onConflict: 'keep-both',
    });
    expect(both.renamed).toEqual([{ index: 0, id: 'dataset~11', originalId: 'dataset' }]);
  });
});
