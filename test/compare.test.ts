/**
 * compareTrajectories and compareBatches on constructed runs whose answers are
 * known, in the real store (sqlite-wasm in memory).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openTrajectoryStore } from '../src/node.js';
import type { AtifTrajectory } from '../src/schema/atif.js';
import { atifRecord } from '../src/store/documents.js';
import { alignSequences, KeyTable } from '../src/store/compare/align.js';
import { compareAtifRuns } from '../src/store/compare/atif.js';
import { batchComparisonMarkdown, comparisonJson, comparisonMarkdown } from '../src/store/compare/export.js';
import type { AtifComparison, TestgenComparison } from '../src/contract/compare.js';
import type { StoreCore } from '../src/store/store.js';
import { catchError, openCore, testgenSession } from './fixtures.js';

/** A step as the tests write it: who, which tools with which arguments, what text. */
interface StepSpec {
  source?: 'user' | 'agent' | 'system';
  text?: string;
  tools?: Array<[string, Record<string, unknown>]>;
  result?: string;
  error?: string;
}

function run(id: string, specs: StepSpec[], options: { start?: number; costPerStep?: number } = {}): AtifTrajectory {
  const start = options.start ?? Date.parse('2026-01-01T00:00:00Z');
  return {
    schema_version: 'ATIF-v1.6',
    session_id: id,
    agent: { name: 'agent', version: '1', model_name: 'model' },
    steps: specs.map((spec, i) => {
      const source = spec.source ?? 'agent';
      const calls = (spec.tools ?? []).map(([name, args], k) => ({
        tool_call_id: `${id}-${i}-${k}`,
        function_name: name,
        arguments: args,
      }));
      return {
        step_id: i + 1,
        timestamp: new Date(start + i * 1000).toISOString(),
        source,
        message: spec.text ?? '',
        ...(spec.error ? { extra: { error: spec.error } } : {}),
        ...(source === 'agent'
          ? {
              tool_calls: calls,
              metrics: { prompt_tokens: 100, completion_tokens: 10, cost_usd: options.costPerStep ?? 0.01 },
            }
          : {}),
        ...(calls.length > 0
          ? {
              observation: {
                results: calls.map((c) => ({ source_call_id: c.tool_call_id, content: spec.result ?? 'ok' })),
              },
            }
          : {}),
      };
    }),
  };
}

/** A plausible run of `n` steps: a prompt, then agent steps reading and editing distinct files. */
function steps(n: number, prefix = 'file'): StepSpec[] {
  const out: StepSpec[] = [{ source: 'user', text: 'Fix the bug' }];
  for (let i = 1; i < n; i++) {
    out.push({
      text: `Looking at ${prefix}_${i}`,
      tools: [[i % 3 === 0 ? 'edit_file' : 'read_file', { path: `src/${prefix}_${i}.ts` }]],
    });
  }
  return out;
}

let core: StoreCore;

beforeEach(async () => {
  ({ core } = await openCore());
});

function compare(a: StepSpec[], b: StepSpec[]): AtifComparison {
  core.insertTrajectory(run('a', a), { onConflict: 'replace' });
  core.insertTrajectory(run('b', b), { onConflict: 'replace' });
  const result = core.compareTrajectories('a', 'b');
  if (result.kind !== 'atif') throw new Error('expected an ATIF comparison');
  return result;
}

/** The pure comparison, without saving: the long runs' cost is then the alignment's, not validation's. */
function compareUnsaved(a: StepSpec[], b: StepSpec[]): AtifComparison {
  const side = (id: string, specs: StepSpec[]) => {
    const document = run(id, specs);
    const { json: _json, ...columns } = atifRecord(document, '');
    return { summary: { ...columns, createdAt: '', updatedAt: '' }, document };
  };
  return compareAtifRuns(side('a', a), side('b', b));
}

const ops = (c: AtifComparison) => c.alignment.map((r) => `${r.op}:${r.a ?? '-'}:${r.b ?? '-'}`);

describe('compareTrajectories on ATIF runs', () => {
  it('finds identical runs identical', () => {
    const c = compare(steps(6), steps(6));
    expect(c.alignment.every((r) => r.op === 'same')).toBe(true);
    expect(c.alignment.map((r) => [r.a, r.b])).toEqual([0, 1, 2, 3, 4, 5].map((i) => [i, i]));
    expect(c.summary.firstDivergence).toBeNull();
    expect(c.summary.counts).toEqual({ same: 6, changed: 0, inserted: 0, deleted: 0, moved: 0 });
    expect(c.summary.delta).toEqual({
      steps: 0,
      toolCalls: 0,
      errors: 0,
      failedToolResults: 0,
      tokens: 0,
      costUsd: 0,
      durationMs: 0,
    });
  });

  it('finds one inserted step, where it is', () => {
    const b = steps(6);
    b.splice(3, 0, { text: 'Running the tests', tools: [['bash', { cmd: 'npm test' }]] });
    const c = compare(steps(6), b);
    expect(ops(c)).toEqual(['same:0:0', 'same:1:1', 'same:2:2', 'inserted:-:3', 'same:3:4', 'same:4:5', 'same:5:6']);
    expect(c.summary.firstDivergence).toEqual({ row: 3, a: null, b: 3 });
    expect(c.summary.tools.find((t) => t.name === 'bash')).toEqual({
      name: 'bash',
      a: 0,
      b: 1,
      added: 1,
      removed: 0,
      changedArguments: 0,
    });
    expect(c.summary.delta.steps).toBe(1);
    expect(c.summary.delta.toolCalls).toBe(1);
    expect(c.summary.delta.durationMs).toBe(1000);
  });

  it('pairs a step whose tool argument changed, and says which argument', () => {
    const b = steps(5);
    b[2] = { ...b[2], tools: [['read_file', { path: 'src/other.ts', limit: 10 }]] };
    const c = compare(steps(5), b);
    expect(ops(c)).toEqual(['same:0:0', 'same:1:1', 'changed:2:2', 'same:3:3', 'same:4:4']);
    const row = c.alignment[2]!;
    expect(row.messageChanged).toBe(false);
    expect(row.toolChanges).toEqual([
      {
        name: 'read_file',
        change: 'arguments',
        arguments: [
          { path: 'limit', b: 10 },
          { path: 'path', a: 'src/file_2.ts', b: 'src/other.ts' },
        ],
      },
    ]);
    expect(c.summary.firstDivergence).toEqual({ row: 2, a: 2, b: 2 });
    expect(c.summary.tools[0]).toMatchObject({ name: 'read_file', changedArguments: 1, added: 0, removed: 0 });
  });

  it('treats tool calls of one step in another order as the same step', () => {
    const a: StepSpec[] = [
      { source: 'user', text: 'go' },
      {
        text: 'both',
        tools: [
          ['read_file', { path: 'x' }],
          ['grep', { q: 'y' }],
          ['read_file', { path: 'x' }],
        ],
      },
    ];
    const b: StepSpec[] = [
      { source: 'user', text: 'go' },
      {
        text: 'both',
        tools: [
          ['grep', { q: 'y' }],
          ['read_file', { path: 'x' }],
          ['read_file', { path: 'x' }],
        ],
      },
    ];
    const c = compare(a, b);
    expect(ops(c)).toEqual(['same:0:0', 'same:1:1']);
    expect(c.alignment[1]!.toolOrderChanged).toBe(true);
    expect(c.summary.firstDivergence).toBeNull();
    expect(c.summary.tools.find((t) => t.name === 'read_file')).toMatchObject({ a: 2, b: 2, added: 0, removed: 0 });
  });

  it('reports steps that swapped places as moved, and a repeated call added in a step', () => {
    const a = steps(6);
    const b = [a[0]!, a[1]!, a[3]!, a[2]!, a[4]!, a[5]!];
    const c = compare(a, b);
    expect(c.summary.counts).toMatchObject({ same: 5, inserted: 1, deleted: 1, moved: 1 });
    const deleted = c.alignment.find((r) => r.op === 'deleted')!;
    const inserted = c.alignment.find((r) => r.op === 'inserted')!;
    expect(b[inserted.b!]).toBe(a[deleted.a!]);
    expect(deleted.movedTo).toBe(inserted.b);
    expect(inserted.movedFrom).toBe(deleted.a);
    // A moved step is neither added nor removed work.
    expect(c.summary.tools.every((t) => t.added === 0 && t.removed === 0)).toBe(true);

    const again = compare(a, [
      ...a.slice(0, 2),
      { ...a[2]!, tools: [...a[2]!.tools!, ['read_file', { path: 'src/file_2.ts' }]] },
      ...a.slice(3),
    ]);
    expect(again.alignment[2]).toMatchObject({ op: 'changed', toolChanges: [{ name: 'read_file', change: 'added' }] });
  });

  it('aligns a run with its own prefix: the rest is only in the longer one', () => {
    const c = compare(steps(4), steps(7));
    expect(ops(c)).toEqual([
      'same:0:0',
      'same:1:1',
      'same:2:2',
      'same:3:3',
      'inserted:-:4',
      'inserted:-:5',
      'inserted:-:6',
    ]);
    const back = compare(steps(7), steps(4));
    expect(back.alignment.slice(4).map((r) => r.op)).toEqual(['deleted', 'deleted', 'deleted']);
    expect(back.summary.firstDivergence).toEqual({ row: 4, a: 4, b: null });
  });

  it('pairs steps that did the same kind of thing with other words as changed, not as gone and new', () => {
    const c = compare(steps(5, 'file'), steps(5, 'module'));
    expect(ops(c)).toEqual(['same:0:0', 'changed:1:1', 'changed:2:2', 'changed:3:3', 'changed:4:4']);
    expect(c.alignment[1]!.messageChanged).toBe(true);
  });

  it('counts errors and failed tool results, and tokens, cost and duration on each side', () => {
    const a = steps(4);
    const b = steps(4);
    b[2] = { ...b[2]!, result: 'Error: ENOENT: no such file' };
    b[3] = { ...b[3]!, error: 'rate limited' };
    core.insertTrajectory(run('a', a, { costPerStep: 0.01 }));
    core.insertTrajectory(run('b', b, { costPerStep: 0.02 }));
    const c = core.compareTrajectories('a', 'b') as AtifComparison;
    expect(c.summary.a).toMatchObject({ errors: 0, failedToolResults: 0, tokens: 330, steps: 4, durationMs: 3000 });
    expect(c.summary.b).toMatchObject({ errors: 1, failedToolResults: 1, tokens: 330 });
    expect(c.summary.delta.costUsd).toBeCloseTo(0.03);
    expect(c.steps.b[2]).toMatchObject({ failedResults: 1, error: false, tools: ['read_file'] });
    expect(c.steps.b[3]!.error).toBe(true);
  });

  it('aligns two 10,000-step runs with known edits exactly', () => {
    const a = steps(10_000);
    const b = [...a];
    // Every 1,000th step calls its tool with another argument; five steps go and five new ones come.
    for (let i = 500; i < 10_000; i += 1000)
      b[i] = { ...a[i]!, tools: [[a[i]!.tools![0]![0], { path: `changed_${i}` }]] };
    const deletedAt = [1200, 3300, 5400, 7600, 9800];
    const insertedAfter = [2000, 4000, 6000, 8000, 9000];
    const edited: StepSpec[] = [];
    b.forEach((step, i) => {
      if (!deletedAt.includes(i)) edited.push(step);
      if (insertedAfter.includes(i)) edited.push({ text: `new step ${i}`, tools: [['bash', { cmd: `make ${i}` }]] });
    });
    const c = compareUnsaved(a, edited);
    expect(c.summary.counts).toEqual({ same: 9985, changed: 10, inserted: 5, deleted: 5, moved: 0 });
    expect(c.alignment.filter((r) => r.op === 'deleted').map((r) => r.a)).toEqual(deletedAt);
    expect(c.alignment.filter((r) => r.op === 'changed').map((r) => r.a)).toEqual(
      Array.from({ length: 10 }, (_, k) => 500 + k * 1000),
    );
    expect(c.summary.firstDivergence).toMatchObject({ a: 500 });
  });

  it('aligns two 10,000-step runs that share no message as changed step for step', () => {
    const c = compareUnsaved(steps(10_000, 'file'), steps(10_000, 'module'));
    expect(c.summary.counts).toEqual({ same: 1, changed: 9999, inserted: 0, deleted: 0, moved: 0 });
    expect(c.alignment.every((r) => r.a === r.b)).toBe(true);
  });

  it('aligns 10,000 repetitions of one step around the one step that differs', () => {
    const loop = (n: number): StepSpec[] =>
      Array.from({ length: n }, () => ({ text: 'retry', tools: [['bash', { cmd: 'npm test' }]] }));
    const c = compareUnsaved(loop(10_000), [...loop(4_000), { text: 'give up' }, ...loop(5_990)]);
    expect(c.summary.counts).toMatchObject({ same: 9990, inserted: 1, deleted: 10 });
    expect(c.summary.firstDivergence).toMatchObject({ row: 4000 });
  });

  it('refuses ids it does not have, and runs of different kinds, naming them', async () => {
    core.insertTrajectory(run('a', steps(2)));
    core.insertTestGenTrajectory(testgenSession('tg'));
    const missing = catchError(() => core.compareTrajectories('a', 'nope'));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toContain('"nope"');
    const mixed = catchError(() => core.compareTrajectories('a', 'tg'));
    expect(mixed.code).toBe('validation');
    expect(mixed.issues?.[0]?.path).toBe('b');
    expect(catchError(() => core.compareTrajectories('', 'a')).code).toBe('validation');
  });

  it('is in the public async API', async () => {
    const store = await openTrajectoryStore();
    await store.insertTrajectory(run('x', steps(3)));
    await store.insertTrajectory(run('y', steps(4)));
    const c = await store.compareTrajectories('x', 'y');
    expect(c.kind).toBe('atif');
    expect(c.kind === 'atif' && c.summary.counts.inserted).toBe(1);
    await store.close();
  });
});

describe('alignSequences', () => {
  const keyed = (exact: string, table: KeyTable) => {
    const chars = [...exact];
    return {
      exact: chars.map((ch) => table.id(ch)),
      loose: chars.map((ch) => table.id(ch.toLowerCase() === ch ? 'lower' : 'upper')),
    };
  };
  it.each([
    ['abc', 'abc', 'sss'],
    ['abc', 'axc', 'scs'],
    ['abc', 'abxc', 'ssis'],
    ['abcd', 'acd', 'sdss'],
    ['', 'ab', 'ii'],
    ['ab', '', 'dd'],
    ['aB', 'Ba', 'dsi'],
  ])('aligns %j with %j as %j', (a, b, expected) => {
    const table = new KeyTable();
    const rows = alignSequences(keyed(a, table), keyed(b, table));
    expect(rows.map((r) => r.op[0]).join('')).toBe(expected);
  });
});

describe('compareTrajectories on testgen sessions', () => {
  it('matches tests by category and input, and compares scores and rounds per category', () => {
    const base = testgenSession('tg-a');
    core.insertTestGenTrajectory(base);
    core.insertTestGenTrajectory(
      testgenSession('tg-b', {
        comprehensivenessScore: 9,
        totalRounds: 6,
        categoryRounds: { anti_cheat: 1, existence: 1, correctness: 3, boundary: 1 },
        tests: [
          // t1 renamed but the same test; t2 with another expected output; t3 gone; one new boundary test
          { ...base.tests[0]!, id: 'renamed' },
          { ...base.tests[1]!, expectedOutput: 'invalid month' },
          { id: 't4', category: 'boundary', input: 'echo 2025-12-31', expectedOutput: '2025-12-31' },
        ],
        totalTests: 3,
      }),
    );
    const c = core.compareTrajectories('tg-a', 'tg-b') as TestgenComparison;
    expect(c.kind).toBe('testgen');
    expect(c.tests.map((t) => [t.op, t.category, t.a, t.b])).toEqual([
      ['same', 'existence', 0, 0],
      ['changed', 'correctness', 1, 1],
      ['removed', 'anti_cheat', 2, null],
      ['added', 'boundary', null, 2],
    ]);
    expect(c.tests[1]!.changedFields).toEqual(['expectedOutput']);
    expect(c.summary.counts).toEqual({ same: 1, changed: 1, added: 1, removed: 1 });
    expect(c.summary.delta).toMatchObject({ score: 1, rounds: 2, tests: 0 });
    expect(c.summary.categories).toContainEqual({
      category: 'correctness',
      testsA: 1,
      testsB: 1,
      roundsA: 2,
      roundsB: 3,
      added: 0,
      removed: 0,
      changed: 1,
    });
    expect(c.summary.categories).toContainEqual({
      category: 'boundary',
      testsA: 0,
      testsB: 1,
      roundsA: null,
      roundsB: 1,
      added: 1,
      removed: 0,
      changed: 0,
    });
    const markdown = comparisonMarkdown(c);
    expect(markdown).toContain('| score | 8 | 9 | +1 |');
    expect(markdown).toContain('- **only in A** `anti_cheat` `cat solution.sh`');
  });
});

describe('compareBatches', () => {
  function session(id: string, taskId: string, status: 'complete' | 'failed', score: number | null) {
    core.insertTestGenTrajectory(
      testgenSession(id, { taskId, status, comprehensivenessScore: score, modelName: id.split('-')[0] }),
    );
  }

  it('pairs two filtered sets by task, with tasks missing on either side', () => {
    session('old-1', 'task-1', 'complete', 6);
    session('old-2', 'task-2', 'complete', 7);
    session('old-3', 'task-3', 'failed', null);
    session('old-4', 'task-4', 'complete', 5); // only in A
    session('new-1', 'task-1', 'complete', 8);
    session('new-2', 'task-2', 'failed', null);
    session('new-3', 'task-3', 'complete', 9);
    session('new-5', 'task-5', 'complete', 9); // only in B
    const c = core.compareBatches({ modelName: 'old' }, { modelName: 'new' }, { by: 'taskId' });
    expect(c.pairs.map((p) => [p.key, p.change])).toEqual([
      ['task-2', 'only-a-succeeded'],
      ['task-3', 'only-b-succeeded'],
      ['task-1', 'both-succeeded'],
      ['task-4', 'only-in-a'],
      ['task-5', 'only-in-b'],
    ]);
    expect(c.pairs[2]).toMatchObject({ scoreDelta: 2, a: { id: 'old-1', score: 6 }, b: { id: 'new-1', score: 8 } });
    expect(c.pairs[3]!.b).toBeNull();
    expect(c.pairs[4]!.a).toBeNull();
    expect(c.summary).toMatchObject({
      paired: 3,
      onlyInA: 1,
      onlyInB: 1,
      onlyASucceeded: 1,
      onlyBSucceeded: 1,
      bothSucceeded: 1,
      bothFailed: 0,
      score: { pairs: 1, meanDelta: 2, improved: 1, worsened: 0, unchanged: 0 },
    });
    expect(c.summary.a).toMatchObject({ trajectories: 4, keys: 4, unkeyed: 0, successes: 3, failures: 1 });
    expect(c.summary.b).toMatchObject({ trajectories: 4, keys: 4, successes: 3, failures: 1 });
    expect(c.summary.a.tokens).toBe(4 * 12_345);

    const markdown = batchComparisonMarkdown(c);
    expect(markdown).toContain('| `task-2` | only A succeeded |');
    expect(JSON.parse(comparisonJson(c))).toEqual(c);
  });

  it('compares the newest run of a task and counts the others', () => {
    session('old-1', 'task-1', 'failed', null);
    session('old-1b', 'task-1', 'complete', 7);
    session('new-1', 'task-1', 'complete', 7);
    const c = core.compareBatches({ modelName: 'old' }, { modelName: 'new' });
    expect(c.by).toBe('taskId');
    // created in that order, so old-1b is the newer of A's two
    expect(c.pairs).toHaveLength(1);
    expect(c.pairs[0]).toMatchObject({ change: 'both-succeeded', a: { id: 'old-1b', runs: 2 }, scoreDelta: 0 });
  });

  it('pairs ATIF runs by a field of extra, and leaves runs without it unkeyed', () => {
    const withTask = (id: string, agent: string, task: string | null, cost: number) => {
      const doc = run(id, steps(3), { costPerStep: cost });
      doc.agent.name = agent;
      if (task) doc.extra = { task: { name: task } };
      core.insertTrajectory(doc);
    };
    withTask('a1', 'alpha', 'parse', 0.01);
    withTask('a2', 'alpha', null, 0.01);
    withTask('b1', 'beta', 'parse', 0.03);
    withTask('b2', 'beta', 'deploy', 0.01);
    const c = core.compareBatches({ agentName: 'alpha' }, { agentName: 'beta' }, { by: 'extra.task.name' });
    expect(c.pairs.map((p) => [p.key, p.change])).toEqual([
      ['parse', 'both-succeeded'],
      ['deploy', 'only-in-b'],
    ]);
    expect(c.pairs[0]!.costDelta).toBeCloseTo(0.04);
    expect(c.summary.a).toMatchObject({ trajectories: 2, keys: 1, unkeyed: 1 });
    const bySession = core.compareBatches({ agentName: 'alpha' }, { agentName: 'beta' }, { by: 'sessionId' });
    expect(bySession.summary.paired).toBe(0);
  });

  it('refuses a key it cannot read and filters it does not know', () => {
    const bad = catchError(() => core.compareBatches({}, {}, { by: 'extra.$weird' as 'extra.x' }));
    expect(bad.code).toBe('validation');
    expect(bad.issues?.[0]?.path).toBe('by');
    const unknown = catchError(() => core.compareBatches({ agent: 'x' } as never, {}));
    expect(unknown.issues?.[0]).toMatchObject({ path: 'agent' });
    expect(unknown.message).toContain('query A');
  });
});

describe('comparison Markdown', () => {
  it('lists the totals and every difference, with text that cannot break the table or code', () => {
    const b = steps(4);
    b[2] = { ...b[2]!, tools: [['read_file', { path: 'a|b`c' }]] };
    const c = compare(steps(4), b);
    const markdown = comparisonMarkdown(c);
    expect(markdown).toContain('| steps | 4 | 4 | 0 |');
    expect(markdown).toContain('First divergence: alignment row 3');
    expect(markdown).toContain('- **changed** A #3 agent read_file ↔ B #3 agent read_file');
    expect(markdown).toContain('`read_file` `path`: `"src/file_2.ts"` → ``"a|b`c"``');
    expect(comparisonMarkdown(c, { maxRows: 0 })).toContain('…and 1 more');
  });
});
