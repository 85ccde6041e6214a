/**
 * The page's side of failover: a call that failed with `busy` (the tab that
 * held the database went while the call was in flight, or SQLite was busy) is
 * tried again, with a growing pause, while a new holder takes over, but only
 * when the call is safe to repeat (isRepeatSafe says which are, and why).
 */
import { isRepeatSafe } from '../contract/methods.js';
import { TrajectoryStoreError } from '../errors.js';
import type { StoreCall } from '../protocol/calls.js';

/** Long enough for a new tab to be elected, load SQLite and open the database. */
const BUSY_RETRY_MS = 30_000;
const FIRST_PAUSE_MS = 25;
const LONGEST_PAUSE_MS = 1_000;

export async function repeatWhileBusy<T>(call: StoreCall, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + BUSY_RETRY_MS;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      return await attempt();
    } catch (error) {
      const retry =
        error instanceof TrajectoryStoreError &&
        error.code === 'busy' &&
        isRepeatSafe(call.method, call.args) &&
        Date.now() < deadline;
      if (!retry) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
