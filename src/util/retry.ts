/** Trying again while a failure is expected to pass, for a bounded time. */
export interface RetryOptions {
  /** Whether a failure may pass if tried again. */
  retryable(error: unknown): boolean;
  /** Once this long has passed, the next failure is thrown. */
  withinMs: number;
  /** The pause after the first failure; it doubles after each one, up to `longestPauseMs`. */
  firstPauseMs: number;
  longestPauseMs: number;
  /** A pause the failure itself asks for (an HTTP Retry-After), instead of the doubling one. */
  pauseAfter?(error: unknown): number | undefined;
  /** Told of each failure that will be tried again, and how long until then. */
  onRetry?(error: unknown, pauseMs: number): void;
}

/** Runs `attempt` until it succeeds, fails in a way `retryable` refuses, or time is up. */
export async function retry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const deadline = Date.now() + options.withinMs;
  for (let pause = options.firstPauseMs; ; pause = Math.min(pause * 2, options.longestPauseMs)) {
    try {
      return await attempt();
    } catch (error) {
      if (!options.retryable(error) || Date.now() >= deadline) throw error;
      const wait = options.pauseAfter?.(error) ?? pause;
      options.onRetry?.(error, wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
