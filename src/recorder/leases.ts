/**
 * Who is recording which session, across every tab of the origin, as the
 * browser's lock manager (Web Locks) knows it: a recorder holds a session's
 * lease, a shared lock (every tab recording the same feed may hold it), from
 * the session's first message until its last save has settled. The lock
 * manager drops a tab's leases the moment the tab closes, reloads or crashes,
 * so a row left `running` whose lease nobody holds is known at once to have
 * lost its feed, with no timeout to wait for. Where Web Locks are missing
 * (Node), there are no leases.
 */

const LEASE_PREFIX = 'trajectory-store:recording:';

export interface RecordingLeases {
  /** Holds the lease of `key`; resolves once it is held, to the function that lets it go. */
  hold(key: string): Promise<() => void>;
  /**
   * Runs `settle` holding the lease of `key` alone (no recorder can take it meanwhile) once nobody
   * records the session and no recorder waits to: at once if nobody holds it, else (with `wait`) when its
   * last recorder lets it go. Resolves to whether `settle` ran; abort `signal` to stop waiting.
   */
  settleWhenAbandoned(
    key: string,
    settle: () => Promise<void>,
    options: { wait: boolean; signal?: AbortSignal },
  ): Promise<boolean>;
}

/** The lease of one recorded session: by kind and session id, as the recorder keys its sessions. */
export function leaseKey(kind: 'testgen' | 'atif', sessionId: string): string {
  return `${kind}:${sessionId}`;
}

/** The leases of this browser's lock manager, or null where there is none (Node, an insecure context). */
export function webLockLeases(): RecordingLeases | null {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (typeof locks?.request !== 'function') return null;
  return {
    hold: (key) =>
      new Promise((resolveHeld, rejectHeld) => {
        locks
          .request(LEASE_PREFIX + key, { mode: 'shared' }, () => new Promise<void>((release) => resolveHeld(release)))
          .catch(rejectHeld);
      }),
    async settleWhenAbandoned(key, settle, { wait, signal }) {
      const name = LEASE_PREFIX + key;
      const request: LockOptions = wait ? { mode: 'exclusive', ...(signal ? { signal } : {}) } : { ifAvailable: true };
      try {
        return await locks.request(name, request, async (lock) => {
          if (!lock) return false;
          // A recorder that asked for the lease while this one waited records the session: it lives on.
          const { pending = [] } = await locks.query();
          if (pending.some((other) => other.name === name && other.mode === 'shared')) return false;
          await settle();
          return true;
        });
      } catch (error) {
        if (signal?.aborted) return false;
        throw error;
      }
    },
  };
}
