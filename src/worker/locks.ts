/** Web Locks as promises: a held lock is a release function, a lock held by someone else is a future. */

/** Resolves once `name` is held by this context; the lock is kept until the returned function is called. */
export function acquireLock(name: string, signal?: AbortSignal): Promise<() => void> {
  return new Promise((resolveHeld, rejectHeld) => {
    navigator.locks
      .request(name, signal ? { signal } : {}, () => new Promise<void>((release) => resolveHeld(release)))
      .catch(rejectHeld);
  });
}

/**
 * Calls `onReleased` once nobody holds `name` any longer (its holder released
 * it, or closed, or crashed). Abort `signal` to stop waiting.
 */
export function whenReleased(name: string, signal: AbortSignal, onReleased: () => void): void {
  navigator.locks
    .request(name, { signal }, () => onReleased())
    .catch(() => {
      // Aborted: the caller no longer cares.
    });
}

/** Takes `name` from whoever holds it (their hold ends there), and lets it go. */
export async function stealLock(name: string): Promise<void> {
  await navigator.locks.request(name, { steal: true }, () => {});
}

/** Whether some context of the origin holds `name` now (the lock manager's answer, not a message's). */
export async function isHeld(name: string): Promise<boolean> {
  const { held = [] } = await navigator.locks.query();
  return held.some((lock) => lock.name === name);
}
