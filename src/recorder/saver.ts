/**
 * When one session is saved. The rule: at most one save in flight; a change
 * made while a save runs is saved after it (so the last state always wins);
 * checkpoints start at most every `intervalMs`; an urgent save (the session
 * ended) starts as soon as the one in flight settles.
 */
export class CoalescingSaver {
  private inFlight = false;
  private dirty = false;
  private urgent = false;
  private lastStartedAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters: Array<() => void> = [];

  /** `save` reads the session's state when it starts and must never reject. */
  constructor(
    private readonly save: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** The state changed: save it within the checkpoint interval. */
  changed(): void {
    this.dirty = true;
    this.pump();
  }

  /** Save the current state as soon as possible; resolves once nothing is left to save. */
  saveNow(): Promise<void> {
    this.dirty = true;
    this.urgent = true;
    this.pump();
    return this.settled();
  }

  /** Resolves when no save is in flight and no change is waiting. */
  settled(): Promise<void> {
    if (!this.inFlight && !this.dirty) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    if (this.inFlight || !this.dirty) return;
    const wait = this.urgent ? 0 : this.lastStartedAt + this.intervalMs - Date.now();
    if (wait > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty = false;
    this.urgent = false;
    this.inFlight = true;
    this.lastStartedAt = Date.now();
    const done = () => {
      this.inFlight = false;
      this.pump();
      this.release();
    };
    // `save` should not reject; if it does anyway, the session must not stay stuck "in flight".
    void this.save().then(done, done);
  }

  private release(): void {
    if (this.inFlight || this.dirty) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
