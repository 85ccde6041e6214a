/**
 * Documents the browser tests save, built the same way in the page (bundled
 * into the test page) and in Node (to compare with what comes back): the unit
 * tests' builders (test/documents.ts), with a word of the test's choosing.
 */
import type { AtifTrajectory, TestGenData } from '../../src/public-types.js';
import { atifRun, testgenSession } from '../../test/documents.js';

/** An ATIF run whose text holds `word`, so that a search can find exactly it. */
export function atifDocument(id: string, word = `word${id.replace(/[^A-Za-z0-9]/g, '')}`, steps = 3): AtifTrajectory {
  return atifRun(id, { steps, text: `Fix the ${word} bug, café naïve 日本語のテキスト` });
}

/** A test-generation session with the seed's fields. */
export function testgenDocument(sessionId: string): TestGenData {
  return testgenSession(sessionId);
}

/** `count` ATIF runs with ids `${prefix}-0` ... */
export function atifBatch(prefix: string, count: number, steps = 3): AtifTrajectory[] {
  return Array.from({ length: count }, (_, i) => atifDocument(`${prefix}-${i}`, undefined, steps));
}
