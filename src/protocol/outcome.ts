/**
 * A call's result or error as plain data, for the page-worker and
 * worker-worker hops. Structured clone keeps only an Error's message, so a
 * TrajectoryStoreError travels as its JSON and is rebuilt on arrival with its
 * `code` and `issues`.
 */
import { isSerializedStoreError, toStoreError, TrajectoryStoreError, type SerializedStoreError } from '../errors.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: SerializedStoreError };

export function success<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function failure(error: unknown, context: string): Outcome<never> {
  return { ok: false, error: toStoreError(error, context).toJSON() };
}

/** Runs `work`; its return value or thrown error, as an Outcome. */
export async function outcomeOf<T>(work: () => T | Promise<T>, context: string): Promise<Outcome<T>> {
  try {
    return success(await work());
  } catch (error) {
    return failure(error, context);
  }
}

export function errorFrom(serialized: unknown): TrajectoryStoreError {
  if (isSerializedStoreError(serialized)) return TrajectoryStoreError.fromJSON(serialized);
  return new TrajectoryStoreError(
    'storage',
    `The store worker failed: ${String((serialized as { message?: unknown })?.message ?? serialized)}`,
  );
}

/** The value, or the error thrown as a real TrajectoryStoreError. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw errorFrom(outcome.error);
}
