/**
 * A store call as data: what a page asks its worker, and what a follower's worker forwards to the leader's.
 * One type drives both hops, so a call is typed from the page to the StoreCore that runs it.
 *
 * Functions cannot cross a worker boundary, so an `onProgress` listener is taken out of the call's options
 * (the method table says which argument holds them) and travels beside the call.
 */
import { type MethodArgs, STORE_METHODS, type StoreMethod } from '../contract/methods.js';
import type { ProgressListener } from '../schema/query.js';

type WithoutProgress<T> = T extends { onProgress?: unknown } ? Omit<T, 'onProgress'> : T;

export type CallArgs<M extends StoreMethod> = { [K in keyof MethodArgs<M>]: WithoutProgress<MethodArgs<M>[K]> };

export type StoreCall = { [M in StoreMethod]: { method: M; args: CallArgs<M> } }[StoreMethod];

/** A call of `method` with the arguments its caller gave, and the progress listener taken out of them. */
export function callOf(
  method: StoreMethod,
  args: readonly unknown[],
): { call: StoreCall; onProgress: ProgressListener | undefined } {
  const at = STORE_METHODS[method].progress;
  const options = at === undefined ? undefined : (args[at] as { onProgress?: ProgressListener } | undefined);
  if (at === undefined || typeof options !== 'object' || options === null) {
    return { call: { method, args } as StoreCall, onProgress: undefined };
  }
  const { onProgress, ...rest } = options;
  const wireArgs = [...args];
  wireArgs[at] = rest;
  return { call: { method, args: wireArgs } as StoreCall, onProgress };
}

/** The arguments to run a call with, the progress listener put back into its options. */
export function argsOf(call: StoreCall, onProgress: ProgressListener | undefined): unknown[] {
  const args: unknown[] = [...call.args];
  const at = STORE_METHODS[call.method].progress;
  if (at !== undefined && onProgress) args[at] = { ...(args[at] as object | undefined), onProgress };
  return args;
}
