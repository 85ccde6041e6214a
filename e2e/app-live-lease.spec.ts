/**
 * A session is live only while a recorder is receiving its feed, and every
 * tab knows it at once: after a reload, or when the tab recording it closes,
 * a session whose feed stopped reads "Incomplete" right away (not "Running"
 * for the recorder's two-minute idle timeout), in the list, the detail and
 * the status filter; it runs again the moment its feed goes on. And a running
 * row keeps pace with its live card, message by message.
 *
 * The feed is a real WebSocket server the test drives message by message
 * (held-feed.ts): it stays open and quiet between messages, so the session is
 * left mid-stream.
 */
import { expect, test, type Page } from '@playwright/test';
import { keepScreenshot, liveSession, openApp } from './app-support/app-page.js';
import { appUrlFor, freePort } from './app-support/feed.js';
import { demoTestGenSession, firstTests, startHeldFeed } from './app-support/held-feed.js';

test.use({ viewport: { width: 1400, height: 1000 } });

function listRow(page: Page, id: string) {
  return page.locator(`trajectory-list [role=option][data-id="${id}"]`);
}

async function filterStatus(page: Page, status: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Status' }).selectOption(status);
}

test('after a reload, a session whose feed stopped is incomplete at once, and runs again when its feed goes on', async ({
  page,
}, testInfo) => {
  const feed = await startHeldFeed();
  const session = demoTestGenSession(11_001);
  try {
    await openApp(page, feed.appUrl);
    await feed.connected();
    const started = firstTests(session, 3);
    await feed.send(started);
    const row = listRow(page, session.sessionId);
    await expect(row).toContainText('Running');
    await expect(row).toContainText('3 tests');

    // The page goes; the feed stays open but has nothing more for the new page.
    await page.reload();
    await expect(page.locator('#store-status')).toHaveAttribute('data-storage', 'opfs', { timeout: 30_000 });
    await expect(row).toBeVisible();
    // The first thing the list shows is the truth: no recorder holds the session now.
    expect(await row.locator('.badge').allTextContents()).toContain('Incomplete');
    await row.click();
    const detail = page.locator('trajectory-detail');
    await expect(detail.locator('.title-row')).toContainText('Incomplete');
    await expect(detail.locator('testgen-report')).not.toContainText('This session is being recorded');
    await filterStatus(page, 'running');
    await expect(page.locator('trajectory-list')).toContainText('No trajectory matches these filters.');
    await filterStatus(page, 'incomplete');
    await expect(row).toBeVisible();
    await keepScreenshot(page, testInfo, 'incomplete-after-reload');

    // The feed goes on: the session is resumed from its save and is live again, everywhere.
    await feed.connected();
    const next = session.messages
      .slice(started.length)
      .filter((m) => m.type === 'testgen_test')
      .slice(0, 1);
    await feed.send(next);
    await filterStatus(page, 'running');
    await expect(row).toContainText('Running');
    await expect(row).toContainText('4 tests');
    await expect(detail.locator('.title-row')).toContainText('Running');
    await expect(liveSession(page, session.sessionId)).toContainText('Running');
  } finally {
    await feed.close();
  }
});

test('when the tab recording a session closes, another tab shows it incomplete at once', async ({
  context,
}, testInfo) => {
  const feed = await startHeldFeed();
  const session = demoTestGenSession(11_002);
  try {
    const recording = await context.newPage();
    await openApp(recording, feed.appUrl);
    await feed.connected();
    await feed.send(firstTests(session, 2));
    await expect(liveSession(recording, session.sessionId)).toContainText('2 tests');

    // Another tab reads the store; its own feed address has nothing on it.
    const other = await context.newPage();
    await openApp(other, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
    const row = listRow(other, session.sessionId);
    await expect(row).toContainText('Running');
    await row.click();
    const detail = other.locator('trajectory-detail');
    await expect(detail.locator('.title-row')).toContainText('Running');
    await expect(detail.locator('testgen-report')).toContainText('This session is being recorded');

    // The recording tab closes while the feed is still open: its recorder is gone, the session's feed with it.
    await recording.close();
    await expect(row).toContainText('Incomplete');
    await expect(detail.locator('.title-row')).toContainText('Incomplete');
    await expect(detail.locator('testgen-report')).not.toContainText('This session is being recorded');
    await filterStatus(other, 'running');
    await expect(other.locator('trajectory-list')).toContainText('No trajectory matches these filters.');
    await keepScreenshot(other, testInfo, 'incomplete-after-tab-closed');
  } finally {
    await feed.close();
  }
});

test('a running row and the detail keep pace with the live card, message by message', async ({ page }) => {
  const feed = await startHeldFeed();
  const session = demoTestGenSession(11_003);
  try {
    await openApp(page, feed.appUrl);
    await feed.connected();
    const messages = firstTests(session, 8);
    const card = liveSession(page, session.sessionId);
    const row = listRow(page, session.sessionId);
    const detail = page.locator('trajectory-detail');
    let tests = 0;
    for (const message of messages) {
      await feed.send([message]);
      if (message.type !== 'testgen_test') continue;
      tests++;
      const shown = `${tests} ${tests === 1 ? 'test' : 'tests'}`;
      await expect(card.locator('.tests')).toHaveText(shown);
      // The row says what the card says before the next message comes.
      await expect(row.locator('.figures')).toContainText(shown);
      if (tests === 1) await row.click();
      await expect(detail.locator('testgen-report #tests .muted')).toContainText(String(tests));
    }
    await expect(row).toContainText('Running');
  } finally {
    await feed.close();
  }
});
