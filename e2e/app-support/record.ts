/** Recording one whole demo cycle through the app, as the starting point of tests about what was recorded. */
import { expect, type Page } from '@playwright/test';
import { liveSession, openApp } from './app-page.js';
import { cycleSent, startTestFeed } from './feed.js';
import type { DemoSessionPlan } from '../../demo/demo-sessions.js';

/**
 * Opens the app on a fresh feed (no pauses), waits until the feed has sent
 * its cycle and every session has ended in the live panel (saved), then
 * stops the feed. Returns what the feed sent.
 */
export async function recordDemoCycle(page: Page, seed: number): Promise<DemoSessionPlan[]> {
  const { feed, sessions, appUrl } = await startTestFeed({ seed });
  try {
    await openApp(page, appUrl);
    await cycleSent(feed);
    for (const session of sessions) {
      await expect(liveSession(page, session.sessionId), session.sessionId).toContainText(
        /Complete|Failed|Incomplete/,
        { timeout: 20_000 },
      );
    }
  } finally {
    await feed.close();
  }
  await expect(page.locator('trajectory-browser .list-head')).toHaveText(`${sessions.length} trajectories`, {
    timeout: 10_000,
  });
  return sessions;
}

/** Words (as the search index cuts them) of a value's text. */
export function wordsOf(value: unknown): Set<string> {
  return new Set(
    (
      JSON.stringify(value)
        .toLowerCase()
        .match(/[\p{L}\p{N}]+/gu) ?? []
    ).filter((w) => !/^\d+$/.test(w)),
  );
}

/** A word of `session`'s test inputs that no other session's messages contain. */
export function wordOnlyIn(session: DemoSessionPlan, others: DemoSessionPlan[]): string {
  const elsewhere = new Set(others.flatMap((s) => [...wordsOf(s.messages)]));
  const inputs = session.messages.flatMap((m) =>
    m.type === 'testgen_test' ? [m.test.input, m.test.reasoning ?? ''] : [],
  );
  const word = [...wordsOf(inputs)].find((w) => w.length >= 5 && /^\p{L}+$/u.test(w) && !elsewhere.has(w));
  if (!word) throw new Error(`no word only in ${session.sessionId}`);
  return word;
}
