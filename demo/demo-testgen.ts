/**
 * One test-generation session as the HUD streams it: start, then per category
 * a few rounds of progress, tests and a reflection, then global refinement,
 * then `testgen_complete` (or `testgen_error`, or nothing: the feed stops).
 */
import type { TestGenMessage } from '../src/schema/hud.js';
import type { TestGenTest } from '../src/schema/testgen.js';
import {
  DEMO_CATEGORIES,
  DEMO_ERRORS,
  DEMO_GLOBAL_REFLECTIONS,
  DEMO_REFLECTIONS,
  type DemoCategory,
  type DemoTask,
} from './demo-content.js';
import type { Random } from './random.js';

/** A message and when it is sent, in milliseconds from the session's start. */
export interface TimedMessage<M> {
  atMs: number;
  message: M;
}

/** How a demo session ends: as the HUD says (`complete`, `failed`), or not at all (`stalled`). */
export type DemoOutcome = 'complete' | 'failed' | 'stalled';

export interface DemoTestGenOptions {
  sessionId: string;
  task: DemoTask;
  outcome: DemoOutcome;
}

const MAX_ROUNDS = 12;

/** The round plan: rounds per category (1-2), global refinement rounds (1-2), never more than MAX_ROUNDS in all. */
function planRounds(rng: Random): { categoryRounds: Record<DemoCategory, number>; globalRounds: number } {
  const categoryRounds = Object.fromEntries(DEMO_CATEGORIES.map((c) => [c, rng.int(1, 2)])) as Record<
    DemoCategory,
    number
  >;
  const used = Object.values(categoryRounds).reduce((a, b) => a + b, 0);
  return { categoryRounds, globalRounds: Math.min(rng.int(1, 2), MAX_ROUNDS - used) };
}

/** Spreads `total` tests over `slots` rounds, at least one per round. */
function spread(rng: Random, total: number, slots: number): number[] {
  const counts = Array.from({ length: slots }, () => 1);
  for (let left = total - slots; left > 0; left--) {
    const i = rng.int(0, slots - 1);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

export function demoTestGenSession(rng: Random, options: DemoTestGenOptions): Array<TimedMessage<TestGenMessage>> {
  const { sessionId, task } = options;
  const out: Array<TimedMessage<TestGenMessage>> = [];
  let at = 0;
  const send = (gapMs: number, message: TestGenMessage) => {
    at += gapMs;
    out.push({ atMs: at, message });
  };

  send(0, {
    type: 'testgen_start',
    sessionId,
    taskId: task.taskId,
    taskDescription: task.description,
    environment: task.environment,
  });

  const { categoryRounds, globalRounds } = planRounds(rng);
  const categorySlots = DEMO_CATEGORIES.flatMap((c) =>
    Array.from({ length: categoryRounds[c] }, (_, i) => ({ category: c, round: i + 1 })),
  );
  const totalTests = rng.int(Math.max(15, categorySlots.length), 30);
  // Most tests come in category rounds; global refinement adds a few.
  const globalTests = Math.min(rng.int(0, 2), totalTests - categorySlots.length);
  const perSlot = spread(rng, totalTests - globalTests, categorySlots.length);

  const ideaOrder = new Map<DemoCategory, number[]>();
  const uses = new Map<DemoCategory, number>();
  let testNumber = 0;
  const makeTest = (category: DemoCategory, round: number): TestGenTest => {
    const ideas = task.tests[category];
    if (!ideaOrder.has(category)) ideaOrder.set(category, rng.shuffle(ideas.map((_, i) => i)));
    const order = ideaOrder.get(category) ?? [];
    const use = uses.get(category) ?? 0;
    uses.set(category, use + 1);
    const make = ideas[order[use % order.length] ?? 0];
    const idea = make ? make(rng) : { input: `echo ${category}`, expectedOutput: null, reasoning: '' };
    testNumber++;
    const repeat = use >= order.length ? ` (repeated in round ${round} to confirm the behaviour is stable)` : '';
    return {
      id: `${category}_${testNumber}`,
      category,
      input: idea.input,
      expectedOutput: idea.expectedOutput,
      reasoning: idea.reasoning + repeat,
      confidence: Math.round((0.55 + rng.next() * 0.44) * 100) / 100,
    };
  };

  let tokens = 0;
  categorySlots.forEach(({ category, round }, i) => {
    send(rng.int(300, 700), {
      type: 'testgen_progress',
      sessionId,
      phase: 'category_generation',
      currentCategory: category,
      roundNumber: round,
      status: `Generating ${category.replace('_', '-')} tests (round ${round} of ${categoryRounds[category]})`,
    });
    for (let k = 0; k < (perSlot[i] ?? 1); k++)
      send(rng.int(600, 1600), { type: 'testgen_test', sessionId, test: makeTest(category, round) });
    const last = round === categoryRounds[category];
    const texts = DEMO_REFLECTIONS[category];
    send(rng.int(900, 1800), {
      type: 'testgen_reflection',
      sessionId,
      category,
      // The last round of a category reports it covered; earlier ones name the gap they found.
      reflectionText: `Round ${round}: ${(last ? texts[texts.length - 1] : texts[round - 1]) ?? ''}`,
      action: last ? 'complete' : 'refining',
    });
    tokens += rng.int(2500, 6000);
  });
  for (let round = 1; round <= globalRounds; round++) {
    send(rng.int(400, 800), {
      type: 'testgen_progress',
      sessionId,
      phase: 'global_refinement',
      currentCategory: null,
      roundNumber: round,
      status: `Reviewing the whole suite (round ${round} of ${globalRounds})`,
    });
    if (round === 1) {
      for (let k = 0; k < globalTests; k++) {
        send(rng.int(700, 1500), {
          type: 'testgen_test',
          sessionId,
          test: makeTest(rng.pick(DEMO_CATEGORIES), categoryRounds.boundary + round),
        });
      }
    }
    send(rng.int(1000, 2000), {
      type: 'testgen_reflection',
      sessionId,
      reflectionText: `Global round ${round}: ${DEMO_GLOBAL_REFLECTIONS[(round - 1) % DEMO_GLOBAL_REFLECTIONS.length]}`,
      action: 'assessing',
    });
    tokens += rng.int(4000, 9000);
  }

  const complete: TestGenMessage = {
    type: 'testgen_complete',
    sessionId,
    totalTests,
    totalRounds: Object.values(categoryRounds).reduce((a, b) => a + b, 0) + globalRounds,
    categoryRounds,
    comprehensivenessScore: rng.chance(0.15) ? null : rng.int(5, 9) + (rng.chance(0.3) ? 0.5 : 0),
    totalTokensUsed: tokens,
    durationMs: at + 500,
    uncertainties: rng.shuffle(task.uncertainties).slice(0, rng.int(1, task.uncertainties.length)),
  };

  if (options.outcome === 'complete') {
    send(500, complete);
    return out;
  }
  // Cut the session somewhere in its middle: after the start, before the end.
  const cut = Math.max(3, Math.floor(out.length * (0.3 + rng.next() * 0.4)));
  const kept = out.slice(0, cut);
  if (options.outcome === 'failed') {
    const last = kept[kept.length - 1]?.atMs ?? 0;
    kept.push({
      atMs: last + rng.int(800, 2000),
      message: { type: 'testgen_error', sessionId, error: rng.pick(DEMO_ERRORS) },
    });
  }
  return kept;
}
