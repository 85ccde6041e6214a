/**
 * Runs `fn` once calls have paused for `waitMs`, but at least every
 * `maxWaitMs` while they keep coming (a busy live feed must still refresh).
 */
export interface Debounced {
  (): void;
  cancel(): void;
}

export function debounce(fn: () => void, waitMs: number, maxWaitMs = Number.POSITIVE_INFINITY): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstCallAt: number | undefined;
  const run = () => {
    timer = undefined;
    firstCallAt = undefined;
    fn();
  };
  const debounced = () => {
    const now = Date.now();
    firstCallAt ??= now;
    clearTimeout(timer);
    const wait = Math.max(0, Math.min(waitMs, firstCallAt + maxWaitMs - now));
    timer = setTimeout(run, wait);
  };
  debounced.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
    firstCallAt = undefined;
  };
  return debounced;
}
