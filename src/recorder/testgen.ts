/**
 * One test-generation session assembled from its `testgen_*` messages, saved
 * with `insertTestGenTrajectory`. Until `testgen_complete` gives the final
 * figures, they are derived from what has arrived (tests so far, rounds seen).
 */
import type { TestGenCompleteMessage, TestGenMessage } from '../schema/hud.js';
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
  private progress: Progress | null = null;
  /** Highest round seen per category during category generation, and in global refinement. */
  private categoryRounds: Record<string, number> = {};
  private globalRounds = 0;
  /** At least this many rounds: what a resumed save had recorded. */
  private resumedRounds = 0;
  private completion: Completion | null = null;
  private error: string | null = null;
  private ending: SessionOutcome = 'running';

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
          const seen = this.categoryRounds[message.currentCategory] ?? 0;
          this.categoryRounds[message.currentCategory] = Math.max(seen, message.roundNumber);
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
        this.error = message.error;
        this.ending = 'failed';
        break;
    }
  }

  resume(stored: StoredTrajectory): boolean {
    if (stored.summary.kind !== 'testgen') return false;
    const parsed = TestGenDataSchema.safeParse(stored.testgen);
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
    for (const reflection of [...data.reflections, ...liveReflections]) this.addReflection(reflection);
    for (const [category, rounds] of Object.entries(data.categoryRounds)) {
      this.categoryRounds[category] = Math.max(this.categoryRounds[category] ?? 0, rounds);
    }
    this.resumedRounds = data.totalRounds;
    if (this.ending === 'running' && data.status === 'complete') {
      this.completion = completionOf(data);
      this.ending = 'complete';
    } else if (this.ending === 'running' && data.status === 'failed') {
      this.error = data.error ?? 'failed';
      this.ending = 'failed';
    }
    this.resumeStart(data.startedAt);
    return true;
  }

  /** The session as `insertTestGenTrajectory` takes it. */
  data(): TestGenData {
    const c = this.completion;
    const roundsSeen = Object.values(this.categoryRounds).reduce((sum, n) => sum + n, 0) + this.globalRounds;
    return {
      sessionId: this.id,
      taskId: this.task?.taskId ?? UNKNOWN_TASK_ID,
      taskDescription: this.task?.taskDescription ?? '',
      totalTests: c?.totalTests ?? this.tests.length,
      totalRounds: c?.totalRounds ?? Math.max(roundsSeen, this.resumedRounds),
      categoryRounds: c?.categoryRounds ?? { ...this.categoryRounds },
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
      ...(this.ending === 'running' ? {} : { completedAt: new Date(this.lastMessageAt).toISOString() }),
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
    const testsByCategory: Record<string, number> = {};
    for (const test of this.tests) testsByCategory[test.category] = (testsByCategory[test.category] ?? 0) + 1;
    return {
      taskId: this.task?.taskId ?? null,
      agentName: null,
      testCount: this.tests.length,
      testsByCategory: Object.freeze(testsByCategory),
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
    if (this.reflections.some((r) => JSON.stringify(r) === text)) return;
    this.reflections.push(reflection);
  }
}
