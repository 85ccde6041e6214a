/**
 * createHudRecorder: keeps every session that streams over a HUD socket in
 * the store, whatever happens to the tab afterwards.
 *
 * Per session (keyed by kind and `sessionId`, since sessions interleave on one
 * socket) it keeps the assembled state, a saver that checkpoints it (re-saving
 * the same id, at most one save in flight, the last state winning) and an idle
 * timer. A session ends with its final message (`complete` / `failed`), or
 * when the feed goes quiet or `flush()` is called (`incomplete`); its final
 * save starts at once, and it leaves the active set once that save succeeds.
 * A final save that fails (the store busy during a failover, say) is tried
 * again, later and on the next `flush()`, until it is stored; one refused for
 * good (`validation`, `closed`) ends the session all the same.
 * A session seen again later, or first seen mid-stream, first reads its
 * earlier save from the store and continues from it, so nothing already
 * saved is overwritten by less.
 *
 * In a browser each session's lease (leases.ts) is held while it is recorded,
 * and rows left `running` whose lease nobody holds (their tab closed,
 * reloaded or crashed) are settled as `incomplete`: at start, and the moment
 * the last tab recording one goes.
 */
import { TrajectoryStoreError, type ErrorCode } from '../errors.js';
import { isTestGenMessage, type AtifSubagentSpawnedMessage, type HudMessage } from '../schema/hud.js';
import { AtifSessionRecord } from './atif.js';
import { readHudFrame } from './frames.js';
import { leaseKey, webLockLeases, type RecordingLeases } from './leases.js';
import { CoalescingSaver } from './saver.js';
import type { SessionRecord } from './session.js';
import { TestGenSessionRecord } from './testgen.js';
import type {
  HandleOutcome,
  HudRecorder,
  HudRecorderOptions,
  RecordedSessionView,
  RecorderErrorContext,
  RecorderStats,
} from './types.js';
import type { TrajectoryStore } from '../contract/store.js';
import type { StoreChange, TrajectorySummary } from '../contract/results.js';

export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 3_000;
/** Failures that the same save would meet again. */
const NOT_RETRYABLE: ReadonlySet<ErrorCode> = new Set(['validation', 'closed']);
/** Child links announced before the child's first message; bounded so that a feed of orphans cannot grow it forever. */
const MAX_PENDING_LINKS = 1_000;
/** Running rows looked at in one pass of settling (the store's largest page). */
const MAX_RUNNING_ROWS = 1_000;
/** How long after another tab's save this one looks for rows it should watch. */
const DISCOVER_DELAY_MS = 300;
/** An entry's `release` once the session has left: a lease granted after that is let go at once. */
const LEASE_GONE = () => {};

interface Entry<S extends SessionRecord> {
  session: S;
  saver: CoalescingSaver;
  /** Settles once the session's lease is held and its earlier save (if any) read and merged: saves wait for it. */
  ready: Promise<void>;
  /** Lets the session's lease go (a no-op until it is held, and without leases). */
  release: () => void;
  /** The idle timeout of a running session; the next attempt of an ended one whose final save failed. */
  idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Settles when the session has ended and its final save was tried (or it went on again). */
  ending: Promise<void> | undefined;
  /** How long to wait before the next attempt of a failed final save; doubles up to idleTimeoutMs. */
  retryDelayMs: number;
}

export function createHudRecorder(store: TrajectoryStore, options: HudRecorderOptions = {}): HudRecorder {
  const recorder = new Recorder(store, options);
  return {
    handle: (message) => recorder.handle(message),
    flush: () => recorder.flush(),
    activeSessions: () => recorder.activeSessions(),
    stats: () => recorder.stats(),
    settled: () => recorder.settled,
  };
}

class Recorder {
  private readonly idleTimeoutMs: number;
  private readonly checkpointIntervalMs: number;
  private readonly testgen = new Map<string, Entry<TestGenSessionRecord>>();
  private readonly atif = new Map<string, Entry<AtifSessionRecord>>();
  private readonly pendingLinks = new Map<string, AtifSubagentSpawnedMessage>();
  private readonly leases: RecordingLeases | null = webLockLeases();
  /** Running rows of other recorders, by lease key: settled when their lease is let go. */
  private readonly watched = new Map<string, AbortController>();
  private discoverTimer: ReturnType<typeof setTimeout> | undefined;
  /** Settles once the rows found running at start have been settled or are watched. */
  readonly settled: Promise<void>;
  private readonly counters: RecorderStats = {
    handled: 0,
    ignored: { unknown: 0, malformed: 0 },
    saved: 0,
    failedSaves: 0,
  };

  constructor(
    private readonly store: TrajectoryStore,
    private readonly options: HudRecorderOptions,
  ) {
    this.idleTimeoutMs = positive(options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS);
    this.checkpointIntervalMs = positive(options.checkpointIntervalMs, DEFAULT_CHECKPOINT_INTERVAL_MS);
    const settling = options.resumeFromStore !== false;
    this.settled = settling ? this.settleAbandoned() : Promise.resolve();
    // Rows another tab starts recording later are watched too, so that its closing settles them at once.
    if (settling && this.leases) store.subscribe((change) => this.discover(change));
  }

  /**
   * Rows left `running` by a recorder that is gone (its tab closed, reloaded or crashed before its last
   * save) lost their feed: they are saved again as `incomplete`, as that recorder would have done. With
   * leases, a row is abandoned when nobody holds its lease, which is known at once; rows another tab
   * records are watched and settled the moment it lets them go. Without leases (Node), a row nobody has
   * saved for `idleTimeoutMs` is taken as abandoned. A session that goes on later is resumed as usual.
   */
  private async settleAbandoned(): Promise<void> {
    try {
      const { items } = await this.store.listTrajectories({
        status: 'running',
        orderBy: 'updatedAt',
        order: 'asc',
        limit: MAX_RUNNING_ROWS,
      });
      const cutoff = Date.now() - this.idleTimeoutMs;
      for (const summary of items) {
        const kind = summary.kind === 'testgen' ? 'testgen' : 'atif';
        const sessionId = summary.sessionId ?? summary.id;
        if (this.sessions(kind).has(sessionId)) continue;
        const key = leaseKey(kind, sessionId);
        if (!this.leases) {
          if (Date.parse(summary.updatedAt) <= cutoff) await this.settleRow(summary);
          continue;
        }
        if (this.watched.has(key)) continue;
        const settle = () => this.settleRow(summary);
        if (!(await this.leases.settleWhenAbandoned(key, settle, { wait: false }))) this.watch(key, settle);
      }
    } catch (error) {
      this.report(error, { operation: 'resume', sessionId: null, kind: null });
    }
  }

  /** Settles the row once the last recorder of its session lets the lease go (unless this one records it first). */
  private watch(key: string, settle: () => Promise<void>): void {
    const stop = new AbortController();
    this.watched.set(key, stop);
    this.leases
      ?.settleWhenAbandoned(key, settle, { wait: true, signal: stop.signal })
      .catch((error: unknown) => this.report(error, { operation: 'resume', sessionId: null, kind: null }))
      .finally(() => {
        if (this.watched.get(key) === stop) this.watched.delete(key);
      });
  }

  /** Another recorder saved something: look for running rows to watch, once its saves pause. */
  private discover(change: StoreChange): void {
    if (change.type !== 'saved' && change.type !== 'imported') return;
    if (change.type === 'saved' && change.ids.every((id) => this.testgen.has(id) || this.atif.has(id))) return;
    clearTimeout(this.discoverTimer);
    this.discoverTimer = setTimeout(() => void this.settleAbandoned(), DISCOVER_DELAY_MS);
  }

  /** Saves a row left running as `incomplete`, in place, if it still is running. */
  private async settleRow(summary: TrajectorySummary): Promise<void> {
    const stored = await this.store.getTrajectory(summary.id);
    if (stored?.summary.status !== 'running') return;
    const lastHeard = Date.parse(stored.summary.updatedAt);
    const session: SessionRecord =
      summary.kind === 'testgen'
        ? new TestGenSessionRecord(summary.sessionId ?? summary.id, lastHeard)
        : new AtifSessionRecord(summary.sessionId ?? summary.id, lastHeard);
    if (!session.resume(stored)) return;
    session.resumedFrom(summary.id);
    session.stopped = true;
    await session.save(this.store);
  }

  handle(frame: unknown): HandleOutcome {
    try {
      const reading = readHudFrame(frame);
      if (reading.kind === 'unknown') {
        this.counters.ignored.unknown++;
        return 'unknown';
      }
      if (reading.kind === 'malformed') {
        this.counters.ignored.malformed++;
        return 'malformed';
      }
      this.apply(reading.message);
      this.counters.handled++;
      return 'handled';
    } catch (error) {
      // Only a bug gets here; the HUD's socket handler must not pay for it.
      this.counters.ignored.malformed++;
      this.report(error, { operation: 'handle', sessionId: null, kind: null });
      return 'malformed';
    }
  }

  async flush(): Promise<void> {
    try {
      const entries = [...this.testgen.values(), ...this.atif.values()];
      for (const entry of entries) if (!entry.ending) this.end(entry, true);
      await Promise.all(entries.map((entry) => entry.ending));
    } catch (error) {
      this.report(error, { operation: 'handle', sessionId: null, kind: null });
    }
  }

  activeSessions(): RecordedSessionView[] {
    return [...this.testgen.values(), ...this.atif.values()]
      .map((entry) => entry.session)
      .sort((a, b) => a.startedAt - b.startedAt)
      .map((session) => session.view());
  }

  stats(): RecorderStats {
    return { ...this.counters, ignored: { ...this.counters.ignored } };
  }

  private apply(message: HudMessage): void {
    const now = Date.now();
    if (isTestGenMessage(message)) {
      const entry = this.entry(this.testgen, message.sessionId, (id) => new TestGenSessionRecord(id, now));
      entry.session.touch(now);
      entry.session.apply(message);
      this.changed(entry);
      return;
    }
    const sessionId = message.type === 'atif_subagent_spawned' ? message.parentSessionId : message.sessionId;
    const entry = this.entry(this.atif, sessionId, (id) => this.newAtifSession(id, now));
    entry.session.touch(now);
    entry.session.apply(message);
    this.changed(entry);
    if (message.type === 'atif_subagent_spawned') this.linkChild(message);
  }

  private newAtifSession(id: string, now: number): AtifSessionRecord {
    const session = new AtifSessionRecord(id, now);
    const link = this.pendingLinks.get(id);
    if (link) {
      session.linkParent(link);
      this.pendingLinks.delete(id);
    }
    return session;
  }

  /** The child run may already be recording, or may start later. */
  private linkChild(message: AtifSubagentSpawnedMessage): void {
    const child = this.atif.get(message.childSessionId);
    if (child) {
      child.session.linkParent(message);
      this.changed(child);
      return;
    }
    this.pendingLinks.set(message.childSessionId, message);
    if (this.pendingLinks.size > MAX_PENDING_LINKS) {
      const oldest = this.pendingLinks.keys().next().value;
      if (oldest !== undefined) this.pendingLinks.delete(oldest);
    }
  }

  private entry<S extends SessionRecord>(
    sessions: Map<string, Entry<S>>,
    id: string,
    create: (id: string) => S,
  ): Entry<S> {
    const existing = sessions.get(id);
    if (existing) return existing;
    const session = create(id);
    const entry: Entry<S> = {
      session,
      saver: new CoalescingSaver(() => this.save(entry), this.checkpointIntervalMs),
      ready: Promise.resolve(),
      release: () => {},
      idleTimer: undefined,
      ending: undefined,
      retryDelayMs: this.checkpointIntervalMs,
    };
    entry.ready = this.prepare(entry);
    sessions.set(id, entry);
    return entry;
  }

  /** Before the session's first save: holds its lease (this tab records it now), then reads its earlier save. */
  private async prepare(entry: Entry<SessionRecord>): Promise<void> {
    const { session } = entry;
    if (this.leases) {
      const key = leaseKey(session.kind, session.id);
      // This tab records it from now on: its own watch of the row would stand in the way of its lease.
      this.watched.get(key)?.abort();
      try {
        const release = await this.leases.hold(key);
        if (entry.release === LEASE_GONE) release();
        else entry.release = release;
      } catch (error) {
        this.report(error, { operation: 'resume', sessionId: session.id, kind: session.kind });
      }
    }
    if (this.options.resumeFromStore !== false) await this.resume(entry);
  }

  private sessions(kind: SessionRecord['kind']): Map<string, Entry<SessionRecord>> {
    return kind === 'testgen' ? this.testgen : this.atif;
  }

  /** After a message: checkpoint a running session, end one whose final message came. */
  private changed(entry: Entry<SessionRecord>): void {
    if (entry.session.outcome !== 'running') {
      this.end(entry, false);
    } else {
      entry.ending = undefined;
      // Nothing to store yet: no save (which would also hold the first real checkpoint back an interval).
      if (entry.session.hasContent()) entry.saver.changed();
      clearTimeout(entry.idleTimer);
      entry.idleTimer = setTimeout(() => this.end(entry, true), this.idleTimeoutMs);
    }
    this.notify(entry.session);
  }

  /** Saves the session now and, once that has settled, drops it from the active set unless it went on meanwhile. */
  private end(entry: Entry<SessionRecord>, stopped: boolean): void {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    const { session } = entry;
    if (stopped) session.stopped = true;
    const ending = entry.saver.saveNow().then(() => {
      if (entry.ending !== ending) return; // a message came meanwhile and the session runs again
      if (session.lastSaveError !== null && session.lastSaveRetryable) {
        this.retryFinalSave(entry);
        return;
      }
      const sessions = this.sessions(session.kind);
      if (sessions.get(session.id) === entry) sessions.delete(session.id);
      entry.release();
      entry.release = LEASE_GONE;
      session.active = false;
      this.notify(session);
    });
    entry.ending = ending;
    if (stopped) this.notify(session);
  }

  /**
   * The final save failed: the session stays in the active set (its view says why) and is saved again
   * later, or at once by `flush()`. (A refusal that no retry can cure, `validation` or `closed`, ends it as
   * a success does; onError has been told.)
   */
  private retryFinalSave(entry: Entry<SessionRecord>): void {
    entry.ending = undefined;
    const delay = entry.retryDelayMs;
    entry.retryDelayMs = Math.min(delay * 2, this.idleTimeoutMs);
    entry.idleTimer = setTimeout(() => this.end(entry, entry.session.stopped), delay);
  }

  /** One save of the session's current state; never rejects. */
  private async save(entry: Entry<SessionRecord>): Promise<void> {
    await entry.ready;
    const { session } = entry;
    const final = session.outcome !== 'running' || session.stopped;
    try {
      // Through a promise, so that a store that throws synchronously is handled like one that rejects.
      const wrote = await Promise.resolve().then(() => session.save(this.store));
      session.lastSaveError = null;
      if (!wrote) return;
      this.counters.saved++;
      session.lastSavedAt = Date.now();
    } catch (error) {
      this.counters.failedSaves++;
      session.lastSaveError = error instanceof Error ? error.message : String(error);
      session.lastSaveRetryable = !(error instanceof TrajectoryStoreError && NOT_RETRYABLE.has(error.code));
      this.report(error, { operation: final ? 'final' : 'checkpoint', sessionId: session.id, kind: session.kind });
    }
    this.notify(session);
  }

  /** Reads the session's earlier save, if any, and merges it under what has arrived since. */
  private async resume(entry: Entry<SessionRecord>): Promise<void> {
    const { session } = entry;
    try {
      const stored = await Promise.resolve().then(() => this.store.getTrajectory(session.id));
      if (stored && session.resume(stored)) {
        session.resumedFrom(stored.summary.id);
        this.notify(session);
      }
    } catch (error) {
      this.report(error, { operation: 'resume', sessionId: session.id, kind: session.kind });
    }
  }

  private notify(session: SessionRecord): void {
    const listener = this.options.onSessionUpdate;
    if (!listener) return;
    try {
      listener(session.view());
    } catch {
      // A listener's failure is its own; recording goes on.
    }
  }

  private report(error: unknown, context: RecorderErrorContext): void {
    try {
      this.options.onError?.(error, context);
    } catch {
      // Same: the caller's flow never breaks.
    }
  }
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
