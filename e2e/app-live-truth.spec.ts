/**
 * Live state tells the truth in every tab: a session being recorded shows as
 * running (never incomplete) with its current counts in the list and the
 * detail of another tab, which reads it from the store as it grows; it
 * becomes complete or failed only when the feed says so.
 */
import { expect, test } from '@playwright/test';
import { keepScreenshot, listRows, liveSession, openApp } from './app-support/app-page.js';
import { appUrlFor, cycleSent, freePort, startTestFeed } from './app-support/feed.js';

test.use({ viewport: { width: 1400, height: 1000 } });

test('a session being recorded is running, with its current counts, in the list and detail of another tab', async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(240_000);
  // The feed's real pace: the session runs long enough to be watched from another tab.
  const { feed, sessions, appUrl } = await startTestFeed({ seed: 7_011, speed: 1 });
  try {
    // This tab records the feed; the other one only reads the store (its own feed address has nothing on it).
    await openApp(page, appUrl);
    const first = sessions.find((s) => s.kind === 'testgen')!;
    const card = liveSession(page, first.sessionId);
    await expect(card).toContainText('Running');
    const liveTests = async () => Number((await card.locator('.tests').textContent())?.match(/\d+/)?.[0] ?? 0);
    await expect.poll(liveTests).toBeGreaterThan(1);

    const other = await context.newPage();
    await openApp(other, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
    const row = other.locator(`trajectory-list [role=option][data-id="${first.sessionId}"]`);
    await expect(row).toContainText('Running');
    await row.click();
    const detail = other.locator('trajectory-detail');
    await expect(detail.locator('.title-row')).toContainText('Running');
    await expect(detail.locator('testgen-report')).toContainText('This session is being recorded');
    await expect(detail).not.toContainText(/incomplete/i);
    const detailTests = async () =>
      Number((await detail.locator('testgen-report #tests .muted').textContent())?.match(/\d+/)?.[0] ?? 0);
    // The detail keeps up with the live panel of the recording tab (a checkpoint a second, shown at once).
    const seen = await liveTests();
    await expect.poll(detailTests, { timeout: 10_000 }).toBeGreaterThanOrEqual(seen);
    // The list's header counts what its rows show.
    const headerAgrees = async () => {
      const head = Number((await other.locator('trajectory-browser .list-head').textContent())?.match(/\d+/)?.[0]);
      return head === (await listRows(other).count());
    };
    await expect.poll(headerAgrees, { timeout: 10_000 }).toBe(true);
    await keepScreenshot(other, testInfo, 'live-in-another-tab');

    // The end is what the feed said, in both tabs.
    await cycleSent(feed, 180_000);
    const ending = first.outcome === 'failed' ? 'Failed' : first.outcome === 'complete' ? 'Complete' : 'Incomplete';
    await expect(card).toContainText(ending, { timeout: 20_000 });
    await expect(row).toContainText(ending, { timeout: 20_000 });
    await expect(detail.locator('.title-row')).toContainText(ending);
    await expect(detail.locator('testgen-report')).not.toContainText('This session is being recorded');
  } finally {
    await feed.close();
  }
});

test('no running rows are left behind, and no empty rows are made, when the feed stops', async ({ page }) => {
  const { feed, sessions, appUrl } = await startTestFeed({ seed: 7_012 });
  try {
    await openApp(page, appUrl);
    await cycleSent(feed);
  } finally {
    await feed.close();
  }
  for (const session of sessions)
    await expect(liveSession(page, session.sessionId)).toContainText(/Complete|Failed|Incomplete/, { timeout: 20_000 });
  await page.getByRole('combobox', { name: 'Status' }).selectOption('running');
  await expect(page.locator('trajectory-list')).toContainText('No trajectory matches these filters.');
  const stored = await page.evaluate(
    async () => (await window.trajectoryApp!.store.listTrajectories({ limit: 1000 })).items,
  );
  expect(stored.filter((s) => s.kind === 'testgen' && s.totalTests === 0 && s.status !== 'failed')).toEqual([]);
});
