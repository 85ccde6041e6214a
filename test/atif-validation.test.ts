/**
 * What the store accepts as ATIF (every public version, and real-world
 * looseness) and what it refuses, with every violation reported at once.
 */
import { describe, expect, test } from 'vitest';
import { openTrajectoryStore } from '../src/node.js';
import type { AtifTrajectory } from '../src/schema/atif.js';
import { atifRun, openCore, rejection } from './fixtures.js';

const VERSIONS = [
  'ATIF-v1.0',
  'ATIF-v1.1',
  'ATIF-v1.2',
  'ATIF-v1.3',
  'ATIF-v1.4',
  'ATIF-v1.5',
  'ATIF-v1.6',
  'ATIF-v1.7',
];

/** Documents as real agents write them, beyond the letter of the spec. */
const LOOSE: Record<string, unknown> = {
  'object-valued messages and observation content, zone-less timestamps, extra step fields, root extras': {
    schema_version: 'ATIF-v1.4',
    session_id: 'loose-1',
    agent: { name: 'orchestrator', version: '0.3' },
    checkpoints: [{ step: 2, state: 'saved' }],
    recovery_info: { resumed_from: 'cp-1' },
    steps: [
      {
        step_id: 1,
        timestamp: '2025-11-12T22:22:17.361875',
        source: 'user',
        message: { kind: 'task', text: 'Build it' },
      },
      {
        step_id: 2,
        timestamp: '2025-11-12T22:22:19.1',
        source: 'agent',
        message: { thought: 'ok' },
        status: 'completed',
        error: null,
        completed_at: '2025-11-12T22:22:20',
        tool_calls: [{ tool_call_id: 'c1', function_name: 'bash', arguments: { cmd: 'make' } }],
        observation: { results: [{ source_call_id: 'c1', content: { exit_code: 0, stdout: 'built' } }] },
      },
    ],
  },
  'content parts (v1.6) and nulls for optional fields': {
    schema_version: 'ATIF-v1.6',
    session_id: 'parts-1',
    agent: { name: 'vision', version: '1', model_name: null, extra: null },
    notes: null,
    steps: [
      {
        step_id: 1,
        source: 'user',
        message: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image', source: { media_type: 'image/png', path: 'a.png' } },
        ],
        extra: null,
      },
      {
        step_id: 2,
        source: 'agent',
        message: '',
        reasoning_effort: 'high',
        reasoning_content: null,
        llm_call_count: 1,
        metrics: { prompt_tokens: 5, extra: { cache: 'hit' } },
      },
    ],
    final_metrics: { total_prompt_tokens: 5, total_completion_tokens: null },
  },
  'v1.7: trajectory_id without session_id, embedded subagent trajectories': {
    schema_version: 'ATIF-v1.7',
    trajectory_id: 'traj-7',
    agent: { name: 'lead', version: '2', tool_definitions: [{ name: 'spawn' }] },
    steps: [
      {
        step_id: 1,
        source: 'agent',
        message: 'delegating',
        tool_calls: [{ tool_call_id: 'spawn-1', function_name: 'spawn', arguments: { task: 'search' } }],
        observation: {
          results: [{ source_call_id: 'spawn-1', subagent_trajectory_ref: [{ trajectory_id: 'child-1' }] }],
        },
        is_copied_context: false,
      },
    ],
    subagent_trajectories: [
      {
        schema_version: 'ATIF-v1.7',
        trajectory_id: 'child-1',
        agent: { name: 'searcher', version: '1' },
        steps: [{ step_id: 1, source: 'agent', message: 'found it' }],
      },
    ],
  },
};

describe('accepted', () => {
  test.each(VERSIONS)('%s', async (version) => {
    const store = await openTrajectoryStore();
    const doc = atifRun(`run-${version}`, { version });
    await store.insertTrajectory(doc);
    expect((await store.getTrajectory(`run-${version}`))!.trajectory).toEqual(doc);
  });

  test.each(Object.entries(LOOSE))('%s', async (_name, doc) => {
    const { core } = await openCore();
    const { id } = core.insertTrajectory(doc);
    expect(core.getTrajectory(id)!.trajectory).toStrictEqual(doc);
  });
});

/** Documents that cannot be stored at all, with the issues the store must report. */
const UNSTORABLE: Array<[string, unknown, Array<[string, RegExp]>]> = [
  ['not an object', 'hello', [['', /object/]]],
  ['an array', [], [['', /object/]]],
  ['null', null, [['', /object/]]],
  ['steps not an array', { ...atifRun('v'), steps: {} }, [['steps', /array/]]],
  ['no steps at all', { schema_version: 'ATIF-v1.6', session_id: 'v', agent: { name: 'a' } }, [['steps', /array/]]],
  [
    'nothing in steps is a step',
    { ...atifRun('v'), steps: ['hello', 42, null] },
    [['steps', /nothing that is a step/]],
  ],
];

/** Each non-conformant document, with the warnings (path and a word of the message) the store must report. */
const NONCONFORMANT: Array<[string, unknown, Array<[string, RegExp]>]> = [
  [
    'an unknown version',
    { ...atifRun('v'), schema_version: 'ATIF-v2.0' },
    [['schema_version', /ATIF-v1\.0 to ATIF-v1\.8/]],
  ],
  [
    'no agent name',
    { ...atifRun('v'), agent: { version: '1' } },
    [['agent.name', /expected string, received undefined/]],
  ],
  ['no session_id before v1.7', { ...atifRun('v'), session_id: undefined }, [['session_id', /required in ATIF-v1\.6/]]],
  [
    'neither id in v1.7',
    { ...atifRun('v', { version: 'ATIF-v1.7' }), session_id: undefined },
    [['trajectory_id', /is missing, and so is session_id/]],
  ],
  [
    'steps out of order, a bad timestamp and an unknown source',
    {
      ...atifRun('v'),
      steps: [
        { step_id: 1, source: 'user', message: 'a' },
        { step_id: 3, source: 'user', message: 'b', timestamp: 'yesterday' },
        { step_id: 3, source: 'robot', message: 'c', timestamp: '2025-02-30T10:00:00Z' },
      ],
    },
    [
      ['steps[1].step_id', /must be 2/],
      ['steps[1].timestamp', /ISO 8601/],
      ['steps[2].source', /expected one of "system"\|"user"\|"agent"/],
      ['steps[2].timestamp', /ISO 8601/],
    ],
  ],
  [
    'agent-only fields on user and system steps',
    {
      ...atifRun('v'),
      steps: [
        { step_id: 1, source: 'user', message: 'a', model_name: 'm', metrics: { prompt_tokens: 1 } },
        { step_id: 2, source: 'system', message: 'b', tool_calls: [], reasoning_content: 'r', reasoning_effort: 1 },
      ],
    },
    [
      ['steps[0].model_name', /only on agent steps/],
      ['steps[0].metrics', /only on agent steps/],
      ['steps[1].reasoning_effort', /only on agent steps/],
      ['steps[1].reasoning_content', /only on agent steps/],
      ['steps[1].tool_calls', /only on agent steps/],
    ],
  ],
  [
    'observations that answer no tool call, and a repeated call id',
    {
      ...atifRun('v'),
      steps: [
        {
          step_id: 1,
          source: 'agent',
          message: 'x',
          tool_calls: [
            { tool_call_id: 'c1', function_name: 'ls', arguments: {} },
            { tool_call_id: 'c1', function_name: 'cat', arguments: {} },
          ],
          observation: {
            results: [
              { source_call_id: 'c1', content: 'ok' },
              { source_call_id: 'c9', content: 'lost' },
            ],
          },
        },
      ],
    },
    [
      ['steps[0].tool_calls[1].tool_call_id', /repeats/],
      ['steps[0].observation.results[1].source_call_id', /"c9" matches no tool_call_id/],
    ],
  ],
  [
    'the seed-era tool call field `name` instead of function_name, and negative tokens',
    {
      ...atifRun('v'),
      steps: [
        {
          step_id: 1,
          source: 'agent',
          message: 'x',
          tool_calls: [{ tool_call_id: 'c1', name: 'ls', arguments: {} }],
          metrics: { prompt_tokens: -5 },
        },
      ],
    },
    [
      ['steps[0].tool_calls[0].function_name', /expected string, received undefined/],
      ['steps[0].metrics.prompt_tokens', /expected number to be >=0/],
    ],
  ],
  [
    'a message that is neither text, parts nor an object',
    { ...atifRun('v'), steps: [{ step_id: 1, source: 'user', message: 42 }] },
    [['steps[0].message', /a string, an array of content parts .*or an object/]],
  ],
  [
    'a bad subagent trajectory, reported at its own path',
    {
      ...(LOOSE['v1.7: trajectory_id without session_id, embedded subagent trajectories'] as object),
      subagent_trajectories: [
        {
          schema_version: 'ATIF-v1.7',
          trajectory_id: 'c',
          agent: { name: 's', version: '1' },
          steps: [{ step_id: 2, source: 'user', message: 'x' }],
        },
      ],
    },
    [['subagent_trajectories[0].steps[0].step_id', /must be 1/]],
  ],
];

describe('stored as written, each departure a warning at its path; strict refuses it', () => {
  test.each(NONCONFORMANT)('%s', async (_name, doc, expected) => {
    const store = await openTrajectoryStore();
    const strictError = await rejection(store.insertTrajectory(doc as AtifTrajectory, { strict: true }));
    expect(strictError.code).toBe('validation');
    expect(strictError.message).toContain(expected[0]![0]);
    expect((await store.info()).trajectoryCount).toBe(0);

    const saved = await store.insertTrajectory(doc as AtifTrajectory);
    for (const [path, message] of expected) {
      expect(saved.warnings, `warning at ${path}`).toContainEqual({ path, message: expect.stringMatching(message) });
    }
    // Strict mode refuses with exactly the issues a lenient save warns about.
    expect(strictError.issues).toEqual(saved.warnings);
    const stored = (await store.getTrajectory(saved.id))!;
    expect(stored.trajectory).toStrictEqual(JSON.parse(JSON.stringify(doc)));
    expect(stored.summary.conformant).toBe(false);
    expect((await store.listTrajectories({ conformant: false })).items.map((s) => s.id)).toEqual([saved.id]);
    expect((await store.listTrajectories({ conformant: true })).items).toEqual([]);
  });
});

describe('refused, with every issue at its path', () => {
  test.each(UNSTORABLE)('%s', async (_name, doc, expected) => {
    const store = await openTrajectoryStore();
    const error = await rejection(store.insertTrajectory(doc as AtifTrajectory));
    expect(error.code).toBe('validation');
    for (const [path, message] of expected) {
      expect(error.issues, `issue at ${path}`).toContainEqual({ path, message: expect.stringMatching(message) });
    }
    // Nothing was stored.
    expect((await store.info()).trajectoryCount).toBe(0);
  });

  test('a document that cannot be JSON (a cycle, NaN) is refused, at the path of the value', async () => {
    const { core } = await openCore();
    const doc = atifRun('cyclic') as AtifTrajectory & { extra: Record<string, unknown> };
    doc.extra = {};
    doc.extra.self = doc.extra;
    expect(() => core.insertTrajectory(doc)).toThrow(
      expect.objectContaining({
        code: 'validation',
        issues: [{ path: 'extra.self', message: expect.stringMatching(/cycle/) }],
      }),
    );
    const nan = atifRun('nan');
    nan.steps[1]!.metrics!.logprobs = [-0.5, Number.NaN];
    expect(() => core.insertTrajectory(nan)).toThrow(
      expect.objectContaining({
        issues: [{ path: 'steps[1].metrics.logprobs[1]', message: expect.stringMatching(/NaN/) }],
      }),
    );
  });
});
