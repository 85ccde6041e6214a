/**
 * What every recorded session has, whatever its kind: when it started and
 * last heard from, how it ended, how its saves went. The kinds
 * (recorder-testgen.ts, recorder-atif.ts) add their content and how to save it.
 */
import { TrajectoryStoreError } from '../errors.js';
import type { SaveResult, StoredTrajectory } from '../contract/results.js';
import type { RecordedSessionKind, RecordedSessionStatus, RecordedSessionView } from './types.js';
import type { TrajectoryStore } from '../contract/store.js';

/** How a session ended by its own messages; `running` until then. */
export type SessionOutcome = 'running' | 'complete' | 'failed';

/** The fields of a view that depend on the kind of session. */
export type SessionDetails = Pick<
  RecordedSessionView,
  | 'taskId'
  | 'agentName'
  | 'testCount'
  | 'testsByCategory'
  | 'reflectionCount'
  | 'stepCount'
  | 'phase'
  | 'currentCategory'
  | 'roundNumber'
  | 'score'
  | 'error'
  | 'parentSessionId'
>;

export abstract class SessionRecord {
  abstract readonly kind: RecordedSessionKind;
  startedAt: number;
  lastMessageAt: number;
  /** Ended without its final message: the feed went quiet, or the recorder was flushed. */
  stopped = false;
  /** In the recorder's active set. */
  active = true;
  lastSavedAt: number | null = null;
  lastSaveError: string | null = null;
  /** Whether the last failed save may succeed if tried again (a busy or full store, not a refusal). */
  lastSaveRetryable = true;

  constructor(
    readonly id: string,
    at: number,
  ) {
    this.startedAt = at;
    this.lastMessageAt = at;
  }

  /** What the last successful save wrote, as JSON: a save of the same state again is skipped. */
  private lastSavedJson: string | null = null;
  /**
   * Where this session's saves go. The first save follows the store's identity rule, so that a
   * different trajectory stored under the same id is kept, never overwritten; every later save
   * replaces that row in place, whatever changed (a step renumbered, the task learnt late).
   */
  private savedId: string | null = null;

  abstract get outcome(): SessionOutcome;
  /** The current state as the store takes it. */
  protected abstract snapshot(): unknown;
  /** Writes the session's first snapshot, by the store's identity rule; resolves to where it was stored. */
  protected abstract write(store: TrajectoryStore, snapshot: unknown): Promise<SaveResult>;
  /** A snapshot as an insertMany item: `{trajectory}` or `{testgen}`. */
  protected abstract item(snapshot: unknown): { trajectory: unknown } | { testgen: unknown };
  /** Puts a stored earlier save of this session under what has arrived since. Returns false if it is not one. */
  abstract resume(stored: StoredTrajectory): boolean;
  protected abstract details(): SessionDetails;
  /** Something worth a row: tests, reflections or steps, or how it ended. */
  abstract hasContent(): boolean;

  /** The session was resumed from its earlier save under `id`: later saves go on replacing that row. */
  resumedFrom(id: string): void {
    this.savedId ??= id;
  }

  /** A message arrived: the session runs (again). */
  touch(at: number): void {
    this.lastMessageAt = at;
    this.stopped = false;
  }

  /**
   * Saves the current state unless it is what was last saved (a flush after
   * the final message, an idle end with nothing new) or there is nothing in
   * it yet (no stub rows: a session is stored once it has content). A
   * checkpoint says `running`; only the end says how it ended. Returns
   * whether it wrote.
   */
  async save(store: TrajectoryStore): Promise<boolean> {
    if (!this.hasContent()) return false;
    const snapshot = this.snapshot();
    const json = JSON.stringify(snapshot);
    if (json === this.lastSavedJson) return false;
    if (this.savedId === null) {
      this.savedId = (await this.write(store, snapshot)).id;
    } else {
      const { rejected } = await store.insertMany([{ id: this.savedId, ...this.item(snapshot) }], {
        onConflict: 'replace',
      });
      if (rejected[0]) throw TrajectoryStoreError.validation('recorded session', rejected[0].issues);
    }
    this.lastSavedJson = json;
    return true;
  }

  get status(): RecordedSessionStatus {
    const outcome = this.outcome;
    if (outcome !== 'running') return outcome;
    return this.stopped ? 'incomplete' : 'running';
  }

  /** Keeps the earlier start when a stored save is resumed. */
  protected resumeStart(iso: unknown): void {
    const at = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
    if (Number.isFinite(at) && at < this.startedAt) this.startedAt = at;
  }

  view(): RecordedSessionView {
    return Object.freeze({
      id: this.id,
      kind: this.kind,
      status: this.status,
      active: this.active,
      ...this.details(),
      startedAt: new Date(this.startedAt).toISOString(),
      lastMessageAt: new Date(this.lastMessageAt).toISOString(),
      lastSavedAt: this.lastSavedAt === null ? null : new Date(this.lastSavedAt).toISOString(),
      lastSaveError: this.lastSaveError,
    });
  }
}
