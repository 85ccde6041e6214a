/**
 * A demo cycle: several test-generation sessions and agent runs interleaved
 * on one timeline, as a HUD socket carries them, with the other traffic a
 * recorder must ignore (`map_*` messages of an optimizer loop, an unknown
 * type, malformed frames). The same seed and cycle give the same cycle, so a
 * test can regenerate what a feed sent and check what was recorded.
 */
import type { HudMessage } from '../src/schema/hud.js';
import { demoAtifRun } from './demo-atif.js';
import { DEMO_AGENT_MODELS, DEMO_TASKS, type DemoTask } from './demo-content.js';
import { demoTestGenSession, type DemoOutcome, type TimedMessage } from './demo-testgen.js';
import { createRandom, deriveSeed, type Random } from './random.js';

/** One frame on the timeline. `hud`: a message a recorder records; `noise`: a well-formed message of another family; `malformed`: a broken frame. */
export interface FeedEvent {
  atMs: number;
  frame: string;
  kind: 'hud' | 'noise' | 'malformed';
}

export interface DemoSessionPlan {
  sessionId: string;
  kind: 'testgen' | 'atif';
  outcome: DemoOutcome;
  parentSessionId?: string;
  /** Every message of the session, in the order sent. */
  messages: HudMessage[];
}

export interface DemoCycle {
  events: FeedEvent[];
  sessions: DemoSessionPlan[];
  /** Time of the last frame, from the cycle's start. */
  durationMs: number;
}

export interface DemoCycleOptions {
  seed: number;
  /** Cycles of one seed differ (fresh session ids, other tasks). */
  cycle: number;
  /** Epoch milliseconds the cycle starts at: message timestamps count from it. */
  startAt: number;
  /** Add `map_*`, unknown and malformed frames. Default true. */
  noise?: boolean;
}

interface SessionSpec {
  offsetMs: number;
  plan: DemoSessionPlan;
  timed: Array<TimedMessage<HudMessage>>;
}

export function demoCycle(options: DemoCycleOptions): DemoCycle {
  const rng = createRandom(deriveSeed(options.seed, options.cycle));
  const tag = `${options.seed.toString(36)}-${options.cycle.toString(36)}`;
  const tasks = rng.shuffle(DEMO_TASKS);
  const task = (i: number): DemoTask => tasks[i % tasks.length] as DemoTask;
  const specs: SessionSpec[] = [];

  const testgen = (offsetMs: number, outcome: DemoOutcome, t: DemoTask) => {
    const sessionId = `testgen-${tag}-${rng.id(6)}`;
    const timed = demoTestGenSession(rng, { sessionId, task: t, outcome });
    specs.push({
      offsetMs,
      timed,
      plan: { sessionId, kind: 'testgen', outcome, messages: timed.map((m) => m.message) },
    });
  };

  const atif = (offsetMs: number, outcome: 'complete' | 'stalled', t: DemoTask, withSubagent: boolean) => {
    const sessionId = `atif-${tag}-${rng.id(6)}`;
    const runId = `run-${tag}-${rng.id(8)}`;
    const subagent = withSubagent
      ? {
          sessionId: `atif-${tag}-${rng.id(6)}`,
          subtaskId: `subtask-${rng.id(4)}`,
          agentName: 'verifier',
          agentType: 'claude-code',
          task: t,
        }
      : undefined;
    const timed = demoAtifRun(rng, {
      sessionId,
      runId,
      agentName: withSubagent ? 'orchestrator' : 'mechacoder',
      agentType: withSubagent ? 'orchestrator' : 'fm',
      model: rng.pick(DEMO_AGENT_MODELS),
      task: t,
      startAt: options.startAt + offsetMs,
      outcome,
      ...(subagent ? { subagent } : {}),
    });
    const own = (id: string) => timed.filter((m) => sessionOf(m.message) === id).map((m) => m.message);
    specs.push({ offsetMs, timed, plan: { sessionId, kind: 'atif', outcome, messages: own(sessionId) } });
    if (subagent) {
      // The child's messages are on the parent's timeline already; its plan lists them for checking.
      specs.push({
        offsetMs,
        timed: [],
        plan: {
          sessionId: subagent.sessionId,
          kind: 'atif',
          outcome: 'complete',
          parentSessionId: sessionId,
          messages: own(subagent.sessionId),
        },
      });
    }
  };

  testgen(0, 'complete', task(0));
  atif(1_500, 'complete', task(1), true);
  testgen(5_000, 'complete', task(2));
  testgen(9_000, 'failed', task(3));
  testgen(13_000, 'stalled', task(1));
  atif(18_000, options.cycle % 2 === 1 ? 'stalled' : 'complete', task(0), false);

  const events: FeedEvent[] = specs.flatMap(({ offsetMs, timed }) =>
    timed.map(({ atMs, message }) => ({ atMs: offsetMs + atMs, frame: JSON.stringify(message), kind: 'hud' as const })),
  );
  const durationMs = Math.max(...events.map((e) => e.atMs));
  if (options.noise !== false) events.push(...noise(rng, tag, durationMs));
  events.sort((a, b) => a.atMs - b.atMs);
  return { events, sessions: specs.map((s) => s.plan), durationMs: Math.max(...events.map((e) => e.atMs)) };
}

/** The session a message belongs to (a spawn belongs to its parent). */
function sessionOf(message: HudMessage): string {
  return message.type === 'atif_subagent_spawned' ? message.parentSessionId : message.sessionId;
}

/** Other traffic of the same socket: an optimizer loop's `map_*` messages, a heartbeat, and a few broken frames. */
function noise(rng: Random, tag: string, durationMs: number): FeedEvent[] {
  const events: FeedEvent[] = [];
  const runId = `map-${tag}`;
  let best = 0;
  for (let at = rng.int(500, 2000), iteration = 1; at < durationMs; at += rng.int(2500, 6000), iteration++) {
    const score = Math.round(rng.next() * 1000) / 1000;
    events.push({
      atMs: at,
      kind: 'noise',
      frame: JSON.stringify({
        type: 'map_iteration_start',
        runId,
        iteration,
        config: { temperature: 0.2 + rng.int(0, 6) / 10, maxTurns: rng.int(10, 40) },
      }),
    });
    events.push({
      atMs: at + 400,
      kind: 'noise',
      frame: JSON.stringify({
        type: 'map_candidate_scored',
        runId,
        iteration,
        candidateId: `cand-${rng.id(5)}`,
        score,
        passRate: score,
      }),
    });
    if (score > best) {
      best = score;
      events.push({
        atMs: at + 450,
        kind: 'noise',
        frame: JSON.stringify({ type: 'map_best_updated', runId, iteration, bestScore: best }),
      });
    }
  }
  for (let at = 10_000, seq = 1; at < durationMs; at += 10_000, seq++) {
    events.push({ atMs: at, kind: 'noise', frame: JSON.stringify({ type: 'heartbeat', seq }) });
  }
  const broken = [
    // A frame cut in the middle.
    '{"type":"testgen_test","sessionId":"testgen-cut","test":{"id":"x","categ',
    // Right type, wrong field types.
    JSON.stringify({
      type: 'testgen_progress',
      sessionId: `testgen-${tag}-bad`,
      phase: 'category_generation',
      roundNumber: 'three',
      status: 1,
    }),
    // Not a message at all.
    '[1,2,3]',
    JSON.stringify({ sessionId: 'no-type' }),
  ];
  for (const frame of broken) events.push({ atMs: rng.int(0, durationMs), kind: 'malformed', frame });
  return events;
}
