/**
 * compareTrajectories and compareBatches in Node, in memory (npm run bench:compare):
 * two 10,000-step runs aligned, and two batches of 10,000 trajectories paired by task.
 * The store core is the same code the worker runs. Prints figures, saves JSON; asserts nothing about time.
 */
import { test } from 'vitest';
import { comparableRuns, openCore, testgenSession } from '../test/fixtures.js';
import { medianCpuMs, medianMs, saveReport, type Figure } from './report.js';

const STEPS = 10_000;
const BATCH = 10_000;

test('compare in Node (memory)', async () => {
  const { core } = await openCore();
  const figures: Figure[] = [];
  /** Wall time and CPU time of the same work: on a busy shared machine the two differ a lot. */
  const time = (name: string, work: () => unknown, note = () => '') => {
    figures.push({ name, value: medianMs(5, work), unit: 'ms', note: note() });
    figures.push({ name: `${name} (CPU)`, value: medianCpuMs(5, work), unit: 'ms' });
  };
  const [a, b] = comparableRuns('run-a', 'run-b', STEPS);
  core.insertMany([a, b]);
  let counts = '';
  time(
    `compareTrajectories, two ${STEPS}-step runs`,
    () => {
      const c = core.compareTrajectories('run-a', 'run-b');
      if (c.kind === 'atif') counts = JSON.stringify(c.summary.counts);
    },
    () => counts,
  );
  time(`compareTrajectories, a ${STEPS}-step run with itself`, () => core.compareTrajectories('run-a', 'run-a'));
  time(`getTrajectory of both ${STEPS}-step runs (part of the above)`, () => {
    core.getTrajectory('run-a');
    core.getTrajectory('run-b');
  });
  const [c, d] = comparableRuns('other-a', 'other-b', STEPS);
  // Nothing in common but the kind of each step: every message and argument differs.
  for (const step of d.steps) {
    step.message = `reworded ${step.step_id}`;
    for (const call of step.tool_calls ?? []) call.arguments = { other: step.step_id };
  }
  core.insertMany([c, d]);
  time(`compareTrajectories, two ${STEPS}-step runs sharing no step`, () =>
    core.compareTrajectories('other-a', 'other-b'),
  );

  const sessions = [];
  for (let i = 0; i < BATCH; i++) {
    for (const model of ['old', 'new']) {
      if ((model === 'old' && i % 50 === 0) || (model === 'new' && i % 70 === 0)) continue; // unpaired tasks
      sessions.push({
        testgen: testgenSession(`${model}-${i}`, {
          taskId: `task-${i}`,
          modelName: model,
          status: (i * (model === 'old' ? 7 : 11)) % 10 === 0 ? 'failed' : 'complete',
          comprehensivenessScore: 1 + ((i * (model === 'old' ? 3 : 5)) % 10),
        }),
      });
    }
  }
  core.insertMany(sessions);
  let pairs = 0;
  time(
    `compareBatches, ${BATCH} a side by taskId`,
    () => {
      pairs = core.compareBatches({ modelName: 'old' }, { modelName: 'new' }, { by: 'taskId' }).pairs.length;
    },
    () => `${pairs} keys`,
  );
  saveReport('compare-node', figures);
});
