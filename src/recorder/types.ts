/** The public shapes of createHudRecorder: its options, its live view of sessions, its counters. */
import type { TrajectoryStatus } from '../schema/status.js';

export type RecordedSessionKind = 'testgen' | 'atif';

/**
 * The store's status vocabulary (schema/status.ts), which the saves record too:
 * `running` while messages arrive; `complete` after `testgen_complete` /
 * `atif_trajectory_complete`; `failed` after `testgen_error`; `incomplete`
 * when the feed stopped (idle timeout, or `flush()` while it ran).
 */
export type RecordedSessionStatus = TrajectoryStatus;

/** A read-only snapshot of one session as the recorder sees it, for a live UI. */
export interface RecordedSessionView {
  id: string;
  kind: RecordedSessionKind;
  status: RecordedSessionStatus;
  /** False once the session has ended and its last save has settled (it left `activeSessions()`). */
  active: boolean;
  /** testgen: the task; null until `testgen_start` is seen. */
  taskId: string | null;
  /** ATIF: the agent; null until `atif_trajectory_start` is seen. */
  agentName: string | null;
  testCount: number;
  /** testgen: tests per category, in the order categories first appeared. */
  testsByCategory: Readonly<Record<string, number>>;
  reflectionCount: number;
  /** ATIF: steps assembled so far (or announced by `atif_step_recorded`, whichever is more). */
  stepCount: number;
  phase: string | null;
  currentCategory: string | null;
  roundNumber: number | null;
  /** testgen: the comprehensiveness score, once `testgen_complete` gives it. */
  score: number | null;
  error: string | null;
  parentSessionId: string | null;
  startedAt: string;
  lastMessageAt: string;
  lastSavedAt: string | null;
  /** The message of the last save that failed, cleared by the next save that succeeds. */
  lastSaveError: string | null;
}

export interface RecorderErrorContext {
  /**
   * `checkpoint`: a save while the session ran; `final`: its last save;
   * `resume`: reading its earlier save; `handle`: an unexpected failure
   * while applying a message (a bug: the message is counted as malformed).
   */
  operation: 'checkpoint' | 'final' | 'resume' | 'handle';
  /** null for `handle`. */
  sessionId: string | null;
  kind: RecordedSessionKind | null;
}

export interface HudRecorderOptions {
  /** A session with no message for this long is saved as `incomplete` and leaves the active set. Default 120 000. */
  idleTimeoutMs?: number;
  /** A running session is re-saved at most this often (so a closed tab loses at most this much). Default 3 000. */
  checkpointIntervalMs?: number;
  /**
   * When a session's first message is not its start message (this tab joined
   * mid-stream, or the session was ended by an idle timeout and then went on),
   * continue from the stored checkpoint rather than overwrite it; and settle
   * the rows other recorders left `running` when they went. Default true.
   */
  resumeFromStore?: boolean;
  /** Told of every failed save (and failed resume); the recorder carries on. */
  onError?: (error: unknown, context: RecorderErrorContext) => void;
  /** Told of every change to a session: a message applied, a save settled, the session ended. */
  onSessionUpdate?: (session: RecordedSessionView) => void;
}

export interface RecorderStats {
  /** Messages applied to a session. */
  handled: number;
  ignored: {
    /** Well-formed messages of types the recorder does not record (`map_*`, ...). */
    unknown: number;
    /** Frames that are not JSON, lack a string `type`, or have fields of the wrong type. */
    malformed: number;
  };
  /** Saves (checkpoints and final saves) the store accepted. */
  saved: number;
  failedSaves: number;
}

/** What `handle` did with a frame. */
export type HandleOutcome = 'handled' | 'unknown' | 'malformed';

export interface HudRecorder {
  /** Takes one HUD message: a parsed object, or a raw frame (JSON text or UTF-8 bytes). Never throws. */
  handle(message: unknown): HandleOutcome;
  /**
   * Saves every active session now (a running one as `incomplete`) and
   * resolves when all saves have settled. Call it when the socket closes or
   * the page is hidden. Never rejects. A session that goes on afterwards is
   * resumed.
   */
  flush(): Promise<void>;
  /** The sessions being recorded, oldest first. */
  activeSessions(): RecordedSessionView[];
  /**
   * Resolves once the rows that recorders now gone left `running` have been settled as `incomplete` (the
   * recorder starts on them when it is made; with `resumeFromStore: false` it leaves them). A page that
   * shows the store can wait for it, so that it never shows such a row as running. Never rejects.
   */
  settled(): Promise<void>;
  stats(): RecorderStats;
}
