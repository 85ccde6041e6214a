/**
 * The trial of issue 10, item 3 (npm run bench:browser:transport): the tab-to-tab transport the store uses (calls
 * over BroadcastChannel inboxes, results in 1 MiB chunks, progress as messages) beside the candidate (Comlink over a
 * MessagePort that the holding tab's worker makes and a SharedWorker broker hands to another tab, buffers
 * transferred), between two tabs of one headless Chromium. It measures the port's hand-over, a small call, results
 * of several sizes with progress, and what each transport tells a tab whose holding tab closes during a call.
 * Prints the figures and saves them under bench/results/; asserts only what the decision in ARCHITECTURE.md rests on.
 */
import { expect, test } from '@playwright/test';
import { saveReport, type Figure } from './report.js';

const SIZES_MIB = [1, 16, 64];
/** Up to this size, also the chunks as leader.ts sent them before this trial (views of the whole buffer). */
const VIEW_CHUNKS_UP_TO_MIB = 16;
/** How long a tab waits, after the holding tab closed, for its calls in flight to settle by themselves. */
const WAIT_AFTER_CLOSE_MS = 5_000;

test('tab-to-tab transport trial', async ({ browser }) => {
  test.setTimeout(5 * 60_000);
  const context = await browser.newContext();
  const url = '/bench/pages/transport-trial.html';
  const holder = await context.newPage();
  await holder.goto(url);
  await holder.evaluate(() => window.trial.hold());
  const other = await context.newPage();
  await other.goto(url);

  const handOverMs = await other.evaluate(() => window.trial.connect());
  const measured = await other.evaluate(([sizes, upTo]) => window.trial.measure(sizes!, upTo!), [
    SIZES_MIB,
    VIEW_CHUNKS_UP_TO_MIB,
  ] as const);

  await other.evaluate(() => window.trial.startHangingCalls());
  await holder.close();
  await other.waitForTimeout(WAIT_AFTER_CLOSE_MS);
  const state = await other.evaluate(() => window.trial.hangingState());
  await context.close();

  const figures: Figure[] = [
    { name: 'port hand-over through the SharedWorker broker', value: handOverMs, unit: 'ms' },
    { name: 'small call, BroadcastChannel (median of 200)', value: measured.smallCallBroadcastMs!, unit: 'ms' },
    { name: 'small call, Comlink over a MessagePort (median of 200)', value: measured.smallCallPortMs!, unit: 'ms' },
  ];
  for (const mib of SIZES_MIB) {
    if (mib <= VIEW_CHUNKS_UP_TO_MIB) {
      figures.push({
        name: `${mib} MiB result, BroadcastChannel, chunks as views of the whole buffer (one run)`,
        value: measured[`bytes${mib}BroadcastViewsMs`]!,
        unit: 'ms',
      });
    }
    figures.push(
      {
        name: `${mib} MiB result, BroadcastChannel in 1 MiB chunks copied (median of 3; one run at 64 MiB)`,
        value: measured[`bytes${mib}BroadcastMs`]!,
        unit: 'ms',
      },
      {
        name: `${mib} MiB result, BroadcastChannel, one Blob (median of 3; one run at 64 MiB)`,
        value: measured[`bytes${mib}BroadcastBlobMs`]!,
        unit: 'ms',
      },
      {
        name: `${mib} MiB result, MessagePort, transferred (median of 3; one run at 64 MiB)`,
        value: measured[`bytes${mib}PortMs`]!,
        unit: 'ms',
      },
    );
  }
  const settled = (at: number | null | undefined) => (at === null || at === undefined ? 0 : 1);
  figures.push(
    {
      name: 'call in flight when the holding tab closed: settled by itself, BroadcastChannel',
      value: settled(state.broadcastSettledAt),
      unit: '(1 yes, 0 no)',
      note: `within ${WAIT_AFTER_CLOSE_MS} ms`,
    },
    {
      name: 'call in flight when the holding tab closed: settled by itself, Comlink port',
      value: settled(state.portSettledAt),
      unit: '(1 yes, 0 no)',
      note: `within ${WAIT_AFTER_CLOSE_MS} ms`,
    },
    {
      name: "the port's close event fired",
      value: settled(state.portClosedAt),
      unit: '(1 yes, 0 no)',
      note: `within ${WAIT_AFTER_CLOSE_MS} ms`,
    },
  );
  saveReport('transport-trial', figures);
  // What the decision rests on: neither transport settles a call whose holder went (the lock manager must).
  expect(state.broadcastSettledAt).toBeNull();
  expect(state.portSettledAt).toBeNull();
});
