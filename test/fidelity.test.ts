/**
 * Every real trajectory kept, exactly (issue 7): real-world shapes stored as
 * written and read back deep-equal, their departures reported as warnings;
 * no silent overwrite on any path; values exact, -0 included.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { describe, expect, test } from 'vitest';
import { openTrajectoryStore } from '../src/node.js';
import { exactJson } from '../src/schema/exact-json.js';
import { datasetRun, deeplyNested, REAL_WORLD_SHAPES } from './fidelity-corpus.js';
import { atifRun, openCore } from './fixtures.js';

const exportLines = (jsonl: string) =>
  jsonl
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);

describe('real-world shapes are stored as written and read back deep-equal', () => {
  test.each(Object.entries(REAL_WORLD_SHAPES))('%s', async (_name, text) => {
    const store = await openTrajectoryStore();
    const doc = JSON.parse(text) as Record<string, unknown>;
    const saved = await store.insertTrajectory(doc);
    expect(saved.outcome).toBe('inserted');
    const stored = (await store.getTrajectory(saved.id))!;
    deepStrictEqual(stored.trajectory, JSON.parse(text));
    deepStrictEqual(stored.summary.conformant, saved.warnings.length === 0);
    // And the JSONL export line of it.
    const [line] = exportLines(await store.exportTrajectories({ format: 'jsonl' }));
    deepStrictEqual(line, JSON.parse(text));
  });

  test('each departure is a warning at its path, and strict refuses the same list', async () => {
    const { core } = await openCore();
    const warningsOf = (name: string) => core.insertTrajectory(JSON.parse(REAL_WORLD_SHAPES[name]!)).warnings;
    const paths = (name: string) => warningsOf(name).map((w) => w.path);
    expect(paths('terminus-style: an observation answers a tool call of an earlier step')).toEqual([
      'steps[2].observation.results[0].source_call_id',
    ]);
    expect(warningsOf('terminus-style: an observation answers a tool call of an earlier step')[0]!.message).toMatch(
      /names a tool call of steps\[1\]/,
    );
    expect(paths('openhands-style: a source_call_id that is a sub-task id, and model_name on a user step')).toEqual([
      'steps[0].model_name',
      'steps[1].observation.results[0].source_call_id',
    ]);
    expect(paths('chat-style messages: [{role, content}] and null')).toEqual([
      'steps[0].message',
      'steps[1].message',
      'steps[2].message',
    ]);
    expect(paths('an observation as a plain string, and one without results')).toEqual(
      expect.arrayContaining(['steps[1].observation', 'steps[2].observation.results']),
    );
    expect(paths('version strings "1.4" and a logprob of -0.0')).toEqual(['schema_version']);
    expect(paths('misspelt known fields: agent.model, a step metric')).toEqual(['agent.model', 'steps[0].metric']);
    expect(warningsOf('misspelt known fields: agent.model, a step metric')[0]!.message).toMatch(/model_name/);
    expect(
      paths('missing rules: empty parts, llm_call_count 0 with metrics, sub-agents without or with repeated ids'),
    ).toEqual(
      expect.arrayContaining([
        'steps[0].message[0].text',
        'steps[0].message[1].source',
        'steps[1].metrics',
        'steps[1].observation.results[0].subagent_trajectory_ref[0].trajectory_id',
        'steps[1].observation.results[0].subagent_trajectory_ref[1]',
        'subagent_trajectories[0].trajectory_id',
        'subagent_trajectories[1].trajectory_id',
      ]),
    );
    expect(paths('an empty steps array')).toEqual(['steps']);
    expect(paths('the original orchestrator: object messages, zone-less timestamps, step extras, checkpoints')).toEqual(
      [],
    );
    expect(paths('v1.7 sub-agent linked by reference, no embedded trajectories')).toEqual([]);
  });

  test('the rollups read what they can: final_metrics win, loose versions are kept as written', async () => {
    const { core } = await openCore();
    const { id } = core.insertTrajectory(
      JSON.parse(REAL_WORLD_SHAPES['version "1.0" and final_metrics ten times the steps']!),
    );
    expect(core.getTrajectory(id)!.summary).toMatchObject({
      schemaVersion: '1.0',
      totalTokens: 1100,
      totalCostUsd: 0.01,
    });
    expect(core.listTrajectories({ schemaVersion: '1.0' }).items.map((s) => s.id)).toEqual(['sum-off']);
  });

  test('a document with neither session_id nor trajectory_id gets a stable id from its content', async () => {
    const { core } = await openCore();
    const text = REAL_WORLD_SHAPES['v1.7 with neither session_id nor trajectory_id']!;
    const first = core.insertTrajectory(JSON.parse(text));
    expect(first.id).toMatch(/^atif-[0-9a-f]{16}$/);
    expect(first.sessionId).toBeNull();
    expect(core.insertTrajectory(JSON.parse(text))).toMatchObject({ id: first.id, outcome: 'unchanged' });
    const other = core.insertTrajectory({ ...JSON.parse(text), notes: 'another' });
    expect(other.id).not.toBe(first.id);
  });

  test('-0 survives: in the document, the export and a snapshot', async () => {
    const store = await openTrajectoryStore();
    const text = REAL_WORLD_SHAPES['version strings "1.4" and a logprob of -0.0']!;
    await store.insertTrajectory(JSON.parse(text));
    const logprobs = (doc: unknown) =>
      ((doc as { steps: Array<{ metrics?: { logprobs?: number[] } }> }).steps[1]!.metrics!.logprobs ?? []).map((n) =>
        Object.is(n, -0),
      );
    expect(logprobs((await store.getTrajectory('rl-5'))!.trajectory)).toEqual([true, false, false, true]);
    expect(logprobs(exportLines(await store.exportTrajectories({ format: 'jsonl' }))[0])).toEqual([
      true,
      false,
      false,
      true,
    ]);
    const copy = await openTrajectoryStore({ snapshot: await store.exportSnapshot() });
    deepStrictEqual((await copy.getTrajectory('rl-5'))!.trajectory, JSON.parse(text));
  });

  test('token counts beyond 64-bit integers are the numbers they are: in the summaries, the stats and a snapshot', async () => {
    const store = await openTrajectoryStore();
    // 2^63 and 1e20 have no 64-bit integer (bound as one, they wrapped to -2^63 and 7.8e18); 2^60 has one.
    const tokens = { huge: 1e20, edge: 2 ** 63, largest: Number.MAX_VALUE, large: 2 ** 60, small: 5 };
    const withTokens = (id: string, total: number) => ({
      ...atifRun(id, { agent: id === 'largest' ? 'other-agent' : 'claude-code' }),
      final_metrics: { total_prompt_tokens: total, total_completion_tokens: 0 },
    });
    await store.insertTrajectory(withTokens('huge', tokens.huge));
    await store.insertMany(
      Object.entries(tokens)
        .filter(([id]) => id !== 'huge')
        .map(([id, total]) => withTokens(id, total)),
    );
    const expected = Object.fromEntries(Object.entries(tokens).sort());
    const summaries = async (from: typeof store) =>
      Object.fromEntries(
        (await from.listTrajectories({ limit: 10 })).items.map((s) => [s.id, s.totalTokens] as const).sort(),
      );
    expect(await summaries(store)).toEqual(expected);
    // The stats of the agent that does not hold Number.MAX_VALUE (beside it, every other count is lost in rounding).
    const { largest: _, ...summable } = tokens;
    const sum = Object.values(summable).reduce((a, b) => a + b, 0);
    const stats = await store.getStats({ agentName: 'claude-code' });
    expect(stats.totals.totalTokens! / sum).toBeCloseTo(1, 12);
    // Ordered by tokens, two to a page, they sort as numbers and the cursor carries them.
    const byTokens: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listTrajectories({ orderBy: 'totalTokens', order: 'desc', limit: 2, cursor });
      byTokens.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(byTokens).toEqual(['largest', 'huge', 'edge', 'large', 'small']);
    const copy = await openTrajectoryStore({ snapshot: await store.exportSnapshot() });
    expect(await summaries(copy)).toEqual(expected);
  });

  test('a document nested 5,000 levels deep is stored and read back', async () => {
    const store = await openTrajectoryStore();
    const doc = deeplyNested('deep-1', 5_000, 'abyss');
    const saved = await store.insertTrajectory(doc);
    expect(saved.outcome).toBe('inserted');
    // Compared as exact JSON text: assert's deep comparison itself recurses too deep for this.
    expect(exactJson((await store.getTrajectory('deep-1'))!.trajectory)).toBe(exactJson(doc));
  });
});

describe('no silent overwrite', () => {
  test('ten different trajectories sharing one session id, saved one by one, are all kept', async () => {
    const store = await openTrajectoryStore();
    const run = datasetRun('dataset-run', 10);
    const results = [];
    for (const doc of run) results.push(await store.insertTrajectory(doc));
    expect(results.map((r) => r.outcome)).toEqual(['inserted', ...Array(9).fill('renamed')]);
    expect(results.map((r) => r.id)).toEqual([
      'dataset-run',
      ...Array.from({ length: 9 }, (_, i) => `dataset-run~${i + 2}`),
    ]);
    expect(results.slice(1).every((r) => r.originalId === 'dataset-run')).toBe(true);
    const kept = await store.listTrajectories({ sessionId: 'dataset-run', limit: 100 });
    expect(kept.items).toHaveLength(10);
    for (const [i, r] of results.entries()) deepStrictEqual((await store.getTrajectory(r.id))!.trajectory, run[i]);

    // Saving the same documents again finds every one: nothing more is stored.
    const again = await store.insertMany(run);
    expect(again).toMatchObject({ inserted: 0, replaced: 0, unchanged: 10, renamed: [] });
    expect((await store.info()).trajectoryCount).toBe(10);
  });

  test('a growing checkpoint replaces its id in place, also when it is a kept copy', async () => {
    const { core } = await openCore();
    const [a, b] = datasetRun('grow-run', 2) as Array<{ steps: unknown[] }>;
    core.insertTrajectory(a!);
    expect(core.insertTrajectory(b!)).toMatchObject({ id: 'grow-run~2', outcome: 'renamed' });
    const grownB = { ...b!, steps: [...b!.steps, { step_id: 3, source: 'agent', message: 'finished' }] };
    expect(core.insertTrajectory(grownB)).toMatchObject({ id: 'grow-run~2', outcome: 'replaced' });
    const grownA = {
      ...a!,
      steps: [...a!.steps, { step_id: 3, source: 'agent', message: 'done too' }],
      notes: 'final',
    };
    expect(core.insertTrajectory(grownA)).toMatchObject({ id: 'grow-run', outcome: 'replaced' });
    expect(core.info().trajectoryCount).toBe(2);
    // An older checkpoint is a different document: kept beside, never replacing the newer one.
    expect(core.insertTrajectory(a!)).toMatchObject({ outcome: 'renamed', id: 'grow-run~3' });
  });

  test('a fresh id never lands on a taken one, whatever the size of the number', async () => {
    const { core } = await openCore();
    core.insertTrajectory(atifRun('x', { text: 'one' }));
    core.insertTrajectory({ ...atifRun('x', { text: 'two' }), session_id: 'x~9007199254740992' });
    const third = core.insertTrajectory(atifRun('x', { text: 'three' }));
    expect(third).toMatchObject({ id: 'x~9007199254740993', outcome: 'renamed' });
    expect(core.info().trajectoryCount).toBe(3);
  });

  test('a JSONL export of kept copies re-imports as the same rows, here and in an empty store', async () => {
    const store = await openTrajectoryStore();
    await store.insertMany(datasetRun('copies', 3));
    await store.insertMany([atifRun('dup'), atifRun('dup')], { onConflict: 'keep-both' });
    const jsonl = await store.exportTrajectories({ format: 'jsonl' });
    const items = exportLines(jsonl) as Array<Record<string, unknown>>;
    expect(items).toHaveLength(5);
    expect(
      items
        .filter((item) => 'id' in item)
        .map((item) => item.id)
        .sort(),
    ).toEqual(['copies~2', 'copies~3', 'dup~2']);

    const again = await store.insertMany(items);
    expect(again).toMatchObject({ inserted: 0, unchanged: 5 });

    const fresh = await openTrajectoryStore();
    expect(await fresh.insertMany(items)).toMatchObject({ inserted: 5, renamed: [] });
    const ids = (await fresh.listTrajectories({ limit: 10 })).items.map((s) => s.id).sort();
    expect(ids).toEqual(['copies', 'copies~2', 'copies~3', 'dup', 'dup~2']);
    const sortedLines = (text: string) => text.split('\n').filter(Boolean).sort();
    expect(sortedLines(await fresh.exportTrajectories({ format: 'jsonl' }))).toEqual(sortedLines(jsonl));
  });

  test('testgen sessions follow the same rule: a growing session replaces, a different one is kept', async () => {
    const { core } = await openCore();
    const { testgenSession } = await import('./fixtures.js');
    const session = testgenSession('tg-same');
    core.insertTestGenTrajectory({ ...session, tests: session.tests.slice(0, 1), status: 'incomplete' });
    expect(core.insertTestGenTrajectory(session).outcome).toBe('replaced');
    expect(core.insertTestGenTrajectory(session).outcome).toBe('unchanged');
    expect(core.insertTestGenTrajectory({ ...session, taskId: 'another-task' })).toMatchObject({
      outcome: 'renamed',
      id: 'tg-same~2',
    });
  });
});
