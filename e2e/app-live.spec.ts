/**
 * The HUD side of the app, as a person sees it: sessions of a real WebSocket
 * feed (the demo feed of src/feed, on a random port) stream into the live
 * panel, and after a reload every one of them is in the store, the failed
 * and the incomplete one included.
 */
import { expect, test } from '@playwright/test';
import { keepScreenshot, listRows, liveSession, openApp } from './app-support/app-page.js';
import { cycleSent, startTestFeed } from './app-support/feed.js';

const EXPECTED_STATUS = { complete: 'Complete', failed: 'Failed', stalled: 'Incomplete' } as const;

test.use({ viewport: { width: 1400, height: 1000 } });

test('sessions stream in live, and are all there after a reload, the failed and incomplete ones included', async ({
  page,
}, testInfo) => {
  // A pace people could watch, sped up: the whole cycle takes a few seconds.
  const { feed, sessions, appUrl } = await startTestFeed({ seed: 7_001, speed: 8 });
  try {
    await openApp(page, appUrl);
    await expect(page.locator('hud-connection-status #hud-state')).toHaveAttribute('data-status', 'open');
    await expect(page.locator('hud-connection-status')).toContainText('Live');

    // The first test-generation session runs, and its tests appear one by one.
    const first = sessions.find((s) => s.kind === 'testgen')!;
    const card = liveSession(page, first.sessionId);
    await expect(card).toContainText('Running');
    const testsShown = async () => Number((await card.locator('.tests').textContent())?.match(/\d+/)?.[0] ?? 0);
    await expect.poll(testsShown).toBeGreaterThan(0);
    const early = await testsShown();
    await keepScreenshot(page, testInfo, 'live-sessions-streaming');
    await expect.poll(testsShown, { timeout: 30_000 }).toBeGreaterThan(early);

    // The feed sends its cycle and closes: every session ends as the HUD said, the stalled one as incomplete.
    await cycleSent(feed);
    await feed.close();
    for (const session of sessions) {
      const expected =
        session.kind === 'atif' && session.outcome === 'stalled' ? 'Incomplete' : EXPECTED_STATUS[session.outcome];
      await expect(liveSession(page, session.sessionId), `${session.kind} ${session.sessionId}`).toContainText(
        expected,
        { timeout: 20_000 },
      );
    }
    const testgenDone = sessions.find((s) => s.kind === 'testgen' && s.outcome === 'complete')!;
    const planned = testgenDone.messages.filter((m) => m.type === 'testgen_test').length;
    await expect(liveSession(page, testgenDone.sessionId).locator('.tests')).toHaveText(`${planned} tests`);
    // The connection shows the feed gone, and that it retries.
    await expect(page.locator('hud-connection-status')).toContainText(
      /(Lost|Can't reach) ws:\S+: retrying in \d+ s|Connecting/,
    );
    await keepScreenshot(page, testInfo, 'live-sessions-ended');

    // After a reload, with the feed gone, the store has them all.
    await page.reload();
    await expect(page.locator('#store-status')).toHaveAttribute('data-storage', 'opfs');
    await expect(page.locator('trajectory-browser .list-head')).toHaveText(`${sessions.length} trajectories`);
    await expect(listRows(page)).toHaveCount(sessions.length);
    for (const session of sessions) {
      const row = page.locator(`trajectory-list [role=option][data-id="${session.sessionId}"]`);
      await expect(row, session.sessionId).toBeVisible();
      if (session.kind === 'testgen' && session.outcome !== 'complete')
        await expect(row).toContainText(EXPECTED_STATUS[session.outcome]);
    }
    await keepScreenshot(page, testInfo, 'list-after-reload');
  } finally {
    await feed.close();
  }
});
