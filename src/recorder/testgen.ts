/**
 * One test-generation session assembled from its `testgen_*` messages, saved
 * with `insertTestGenTrajectory`. Until `testgen_complete` gives the final
 * figures, they are derived from what has arrived (tests so far, rounds seen).
 */
import type { TestGenCompleteMessage, TestGenMessage } from '../schema/hud.js';
import { check } from '../schema/issues.js';
import { TestGenDataSchema, type TestGenData, type TestGenReflection, type TestGenTest } from '../schema/testgen.js';
import type { SaveResult, StoredTrajectory } from '../contract/results.js';
import { SessionRecord, type SessionDetails, type SessionOutcome } from './session.js';
import type { TrajectoryStore } from '../contract/store.js';

/** The store needs a task id; a session seen only from its middle (no `testgen_start`, nothing stored) gets this one. */
export const UNKNOWN_TASK_ID = 'unknown';

type Completion = Pick<
  TestGenCompleteMessage,
  | 'totalTests'
  | 'totalRounds'
  | 'categoryRounds'
  | 'comprehensivenessScore'
  | 'totalTokensUsed'
  | 'durationMs'
  | 'uncertainties'
>;

/** The completion fields of a `testgen_complete` message, or of a stored session being resumed. */
function completionOf(source: Completion): Completion {
  const {
    totalTests,
    totalRounds,
    categoryRounds,
    comprehensivenessScore,
    totalTokensUsed,
    durationMs,
    uncertainties,
  } = source;
  return {
    totalTests,
    totalRounds,
    categoryRounds,
    comprehensivenessScore,
    totalTokensUsed,
    durationMs,
    uncertainties,
  };
}

interface Task {
  taskId: string;
  taskDescription: string;
  environment?: TestGenData['environment'];
}

interface Progress {
  phase: string;
  currentCategory: string | null;
  roundNumber: number;
}

export class TestGenSessionRecord extends SessionRecord {
  readonly kind = 'testgen' as const;
  private task: Task | null = null;
  private tests: TestGenTest[] = [];
  /** Position of each test that has an id: a test sent again (refined) replaces the earlier one. */
  private testIndex = new Map<string, number>();
  private reflections: TestGenReflection[] = [];
  /** Each kept reflection as JSON: a reflection sent again is found in constant time. */
  private reflectionTexts = new Set<string>();
  private progress: Progress | null = null;
  /**
   * Highest round seen per category during category generation, and in global refinement. A Map: a
   * category is any text, `constructor` and `__proto__` included, never an Object.prototype member.
   */
  private categoryRounds = new Map<string, number>();
  private globalRounds = 0;
  /** At least this many rounds: what a resumed save had recorded. */
  private resumedRounds = 0;
  private completion: Completion | null = null;
  private error: string | null = null;
  private ending: SessionOutcome = 'running';
  /** When a resumed save ended: a save of the same outcome keeps it. */
  private endedAt: string | null = null;

  get outcome(): SessionOutcome {
    return this.ending;
  }

  apply(message: TestGenMessage): void {
    switch (message.type) {
      case 'testgen_start':
        this.task = {
          taskId: message.taskId,
          taskDescription: message.taskDescription,
          ...(message.environment === undefined ? {} : { environment: message.environment }),
        };
        break;
      case 'testgen_test':
        this.addTest(message.test);
        break;
      case 'testgen_progress':
        this.progress = {
          phase: message.phase,
          currentCategory: message.currentCategory ?? null,
          roundNumber: message.roundNumber,
        };
        if (message.phase === 'global_refinement') {
          this.globalRounds = Math.max(this.globalRounds, message.roundNumber);
        } else if (message.currentCategory) {
          this.addRounds(message.currentCategory, message.roundNumber);
        }
        break;
      case 'testgen_reflection': {
        const { type: _type, sessionId: _sessionId, ...reflection } = message;
        this.addReflection(reflection);
        break;
      }
      case 'testgen_complete': {
        this.completion = completionOf(message);
        this.ending = 'complete';
        this.error = null;
        break;
      }
      case 'testgen_error':
        // A completed session stays complete: an error after the end (a HUD's late teardown) changes nothing.
        if (this.ending === 'complete') break;
        this.error = message.error;
        this.ending = 'failed';
        break;
    }
  }

  resume(stored: StoredTrajectory): boolean {
    if (stored.summary.kind !== 'testgen') return false;
    const parsed = check(TestGenDataSchema, stored.testgen);
    if (!parsed.success) return false;
    const data = parsed.data;
    this.task ??= {
      taskId: data.taskId,
      taskDescription: data.taskDescription,
      ...(data.environment === undefined ? {} : { environment: data.environment }),
    };
    // Stored tests first, in their order; a test that arrived live since replaces its stored version.
    const live = this.tests;
    const liveIds = new Set(live.map((t) => t.id).filter((id) => id !== undefined));
    this.tests = [];
    this.testIndex.clear();
    for (const test of data.tests) if (test.id === undefined || !liveIds.has(test.id)) this.addTest(test);
    for (const test of live) this.addTest(test);
    const liveReflections = this.reflections;
    this.reflections = [];
    this.reflectionTexts.clear();
    for (const reflection of [...data.reflections, ...liveReflections]) this.addReflection(reflection);
    for (const [category, rounds] of Object.entries(data.categoryRounds)) this.addRounds(category, rounds);
    this.resumedRounds = data.totalRounds;
    // A stored completion stands, whatever arrived since (an error after the end included); a stored failure
    // stands unless the session completed live.
    if (data.status === 'complete' && this.ending !== 'complete') {
      this.completion = completionOf(data);
      this.error = null;
      this.ending = 'complete';
      this.endedAt = data.completedAt ?? null;
    } else if (this.ending === 'running' && data.status === 'failed') {
      this.error = data.error ?? 'failed';
      this.ending = 'failed';
      this.endedAt = data.completedAt ?? null;
    }
    this.resumeStart(data.startedAt);
    return true;
  }

  /** The session as `insertTestGenTrajectory` takes it. */
  data(): TestGenData {
    const c = this.completion;
    let roundsSeen = this.globalRounds;
    for (const rounds of this.categoryRounds.values()) roundsSeen += rounds;
    return {
      sessionId: this.id,
      taskId: this.task?.taskId ?? UNKNOWN_TASK_ID,
      taskDescription: this.task?.taskDescription ?? '',
      totalTests: c?.totalTests ?? this.tests.length,
      totalRounds: c?.totalRounds ?? Math.max(roundsSeen, this.resumedRounds),
      categoryRounds: c?.categoryRounds ?? Object.fromEntries(this.categoryRounds),
      comprehensivenessScore: c?.comprehensivenessScore ?? null,
      totalTokensUsed: c?.totalTokensUsed ?? 0,
      durationMs: c?.durationMs ?? this.lastMessageAt - this.startedAt,
      tests: [...this.tests],
      reflections: [...this.reflections],
      ...(this.task?.environment === undefined ? {} : { environment: this.task.environment }),
      uncertainties: c?.uncertainties ?? [],
      status: this.status,
      ...(this.error === null ? {} : { error: this.error }),
      startedAt: new Date(this.startedAt).toISOString(),
      ...(this.ending === 'running' ? {} : { completedAt: this.endedAt ?? new Date(this.lastMessageAt).toISOString() }),
    };
  }

  protected snapshot(): TestGenData {
    return this.data();
  }

  protected write(store: TrajectoryStore, data: TestGenData): Promise<SaveResult> {
    return store.insertTestGenTrajectory(data);
  }

  protected item(testgen: TestGenData): { testgen: TestGenData } {
    return { testgen };
  }

  hasContent(): boolean {
    return this.tests.length > 0 || this.reflections.length > 0 || this.ending !== 'running';
  }

  protected details(): SessionDetails {
    const testsByCategory = new Map<string, number>();
    for (const { category } of this.tests) testsByCategory.set(category, (testsByCategory.get(category) ?? 0) + 1);
    return {
      taskId: this.task?.taskId ?? null,
      agentName: null,
      testCount: this.tests.length,
      testsByCategory: Object.freeze(Object.fromEntries(testsByCategory)),
      reflectionCount: this.reflections.length,
      stepCount: 0,
      phase: this.progress?.phase ?? null,
      currentCategory: this.progress?.currentCategory ?? null,
      roundNumber: this.progress?.roundNumber ?? null,
      score: this.completion?.comprehensivenessScore ?? null,
      error: this.error,
      parentSessionId: null,
    };
  }

  private addTest(test: TestGenTest): void {
    const at = test.id === undefined ? undefined : this.testIndex.get(test.id);
    if (at !== undefined) {
      this.tests[at] = test;
      return;
    }
    if (test.id !== undefined) this.testIndex.set(test.id, this.tests.length);
    this.tests.push(test);
  }

  /** A reflection identical to one already kept is the same reflection sent again (a HUD's replay, a resume). */
  private addReflection(reflection: TestGenReflection): void {
    const text = JSON.stringify(reflection);
    if (this.reflectionTexts.has(text)) return;
    this.reflectionTexts.add(text);
    this.reflections.push(reflection);
  }

  private addRounds(category: string, rounds: number): void {
    this.categoryRounds.set(category, Math.max(this.categoryRounds.get(category) ?? 0, rounds));
  }
}
