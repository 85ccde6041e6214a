/**
 * The page's side of failover: a call that failed with `busy` (the tab that
 * held the database went while the call was in flight, or SQLite was busy) is
 * tried again, with a growing pause, while a new holder takes over, but only
 * when the call is safe to repeat (isRepeatSafe says which are, and why).
 */
import { isRepeatSafe } from '../contract/methods.js';
import { TrajectoryStoreError } from '../errors.js';
import type { StoreCall } from '../protocol/calls.js';
import { retry } from '../util/retry.js';

export function repeatWhileBusy<T>(call: StoreCall, attempt: () => Promise<T>): Promise<T> {
  return retry(attempt, {
    retryable: (error) =>
      error instanceof TrajectoryStoreError && error.code === 'busy' && isRepeatSafe(call.method, call.args),
    // Long enough for a new tab to be elected, load SQLite and open the database.
    withinMs: 30_000,
    firstPauseMs: 25,
    longestPauseMs: 1_000,
  });
}
