/**
 * Reconnection delays: exponential, capped, with jitter so that many HUD
 * pages do not hammer a restarted server in lock-step.
 */
export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  /** No delay is longer than this. */
  maxMs: number;
  /** Each further attempt waits this many times longer. */
  factor: number;
  /** 0..1: the delay is spread over ±this share of itself. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.25 };

/** The wait before retry number `attempt` (1 for the first retry). `random` is in [0, 1). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const n = Math.max(1, Math.floor(attempt));
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** (n - 1));
  const spread = base * Math.min(1, Math.max(0, options.jitter));
  const delay = base - spread + random() * 2 * spread;
  return Math.round(Math.min(options.maxMs, Math.max(0, delay)));
}
