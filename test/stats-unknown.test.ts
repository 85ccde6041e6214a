/**
 * Unknown tokens and cost stay unknown: a group none of whose trajectories reports a figure sums to null, not 0;
 * one where only some do says how many its sum covers; from the rollup (migrations/011) and from the rows alike,
 * after saves, replacements and deletes; and an unfinished testgen session's "0 tokens" is read as unknown.
 */
import { describe, expect, test } from 'vitest';
import { CSV_COLUMNS } from '../src/store/export.js';
import { atifRun, openCore, testgenSession } from './fixtures.js';

const EPOCH = '1970-01-01T00:00:00.000Z';
const day = (d: number) => `2025-03-${String(d).padStart(2, '0')}T10:00:00.000Z`;

describe('unknown figures in getStats', () => {
  test('null when nothing is known, the known part with its count when some is, alike from rollup and rows', async () => {
    const { core } = await openCore();
    core.insertMany([
      atifRun('priced', { agent: 'codex', start: day(1), steps: 3 }), // metrics on its agent steps
      atifRun('bare', { agent: 'codex', start: day(1), steps: 1 }), // one user step: no tokens, no cost
      atifRun('bare-2', { agent: 'aider', start: day(2), steps: 1 }),
      { testgen: testgenSession('tg', { startedAt: day(1) }) }, // tokens known, cost never (testgen has none)
    ]);
    for (const filter of [{}, { createdFrom: EPOCH }]) {
      const stats = core.getStats(filter);
      const priced = core.getTrajectory('priced')!.summary;
      expect(stats.totals).toMatchObject({
        count: 4,
        totalTokens: priced.totalTokens! + 12_345,
        countWithTokens: 2,
        totalCostUsd: priced.totalCostUsd,
        countWithCost: 1,
      });
      const agent = (name: string) => stats.byAgent.find((g) => g.agentName === name)!;
      expect(agent('aider')).toMatchObject({ count: 1, totalTokens: null, totalCostUsd: null, countWithTokens: 0 });
      expect(agent('testgen')).toMatchObject({ totalTokens: 12_345, totalCostUsd: null, countWithCost: 0 });
      expect(agent('codex')).toMatchObject({ count: 2, countWithTokens: 1, countWithCost: 1 });
      expect(stats.byDay.find((d) => d.day === '2025-03-02')).toMatchObject({ totalCostUsd: null });
    }

    // A run that reports a cost replaces the bare one: its group becomes known; deleted, unknown again.
    core.insertTrajectory(atifRun('bare-2', { agent: 'aider', start: day(2), steps: 2 }), { onConflict: 'replace' });
    expect(core.getStats({ agentName: 'aider' }).totals).toMatchObject({ countWithCost: 1 });
    expect(core.getStats({ agentName: 'aider' }).totals.totalCostUsd).toBeGreaterThan(0);
    core.deleteTrajectory('bare-2');
    core.insertTrajectory(atifRun('bare-3', { agent: 'aider', start: day(2), steps: 1 }));
    expect(core.getStats({ agentName: 'aider' }).totals).toMatchObject({ totalCostUsd: null, countWithCost: 0 });
  });

  test('a testgen session that has not completed reports its 0 tokens as unknown; a complete one as 0', async () => {
    const { core } = await openCore();
    core.insertTestGenTrajectory(testgenSession('running', { status: 'running', totalTokensUsed: 0 }));
    core.insertTestGenTrajectory(testgenSession('done', { totalTokensUsed: 0 }));
    expect(core.getTrajectory('running')!.summary.totalTokens).toBeNull();
    expect(core.getTrajectory('done')!.summary.totalTokens).toBe(0);
    expect(core.getStats().totals).toMatchObject({ totalTokens: 0, countWithTokens: 1 });
  });

  test('the CSV leaves unknown figures empty, never 0', async () => {
    const { core } = await openCore();
    core.insertTrajectory(atifRun('bare', { steps: 1 }));
    const row = core.exportTrajectories({ format: 'csv' }).split('\r\n')[1]!.split(',');
    expect(row[CSV_COLUMNS.indexOf('totalCostUsd')]).toBe('');
    expect(row[CSV_COLUMNS.indexOf('totalTokens')]).toBe('');
  });
});
