/**
 * The HUD connection as a person meets it: the state is shown (retrying
 * with a countdown while nothing listens, live once the feed is up), the
 * address can be changed in the settings and is remembered, and a bad
 * address is refused with a reason.
 */
import { expect, test } from '@playwright/test';
import { startDemoFeed } from '../demo/demo-server.js';
import { keepScreenshot, liveSession, openApp } from './app-support/app-page.js';
import { appUrlFor, freePort, startTestFeed } from './app-support/feed.js';

test('retries with a visible countdown until the HUD is up, then records its sessions', async ({ page }, testInfo) => {
  const port = await freePort();
  await openApp(page, appUrlFor(`ws://127.0.0.1:${port}/ws`));
  const state = page.locator('hud-connection-status #hud-state');
  await expect(state).toHaveAttribute('data-status', 'retrying');
  await expect(state.locator('.sentence')).toHaveText(
    new RegExp(`^Can't reach ws://127.0.0.1:${port}/ws: retrying in \\d+ s$`),
  );
  await keepScreenshot(page, testInfo, 'connection-retrying');

  // The feed comes up on that port: the next retry connects and sessions stream in.
  const feed = await startDemoFeed({ port, host: '127.0.0.1', mode: 'replay', speed: 1, cycles: 1, seed: 7_301 });
  try {
    await expect(state).toHaveAttribute('data-status', 'open', { timeout: 40_000 });
    await expect(page.locator('hud-live-sessions li')).not.toHaveCount(0);
  } finally {
    await feed.close();
  }
});

test('the settings connect to another address, remember it, and refuse a bad one', async ({ page }) => {
  // Real-time pace: the connection stays open while the test looks at it.
  const { feed, sessions } = await startTestFeed({ seed: 7_302, speed: 1 });
  try {
    await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
    const status = page.locator('hud-connection-status');
    await status.getByRole('button', { name: 'HUD connection settings' }).click();
    const address = status.getByRole('textbox', { name: 'HUD WebSocket address' });

    await address.fill('http://localhost:8080/ws');
    await status.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(status.getByRole('alert')).toContainText('starts with ws:// or wss://');

    await address.fill(feed.url);
    await status.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(status.locator('#hud-state')).toHaveAttribute('data-status', 'open');
    await expect(liveSession(page, sessions[0]!.sessionId)).toBeVisible();
    // The page's address follows, so that a reload keeps the choice.
    await expect.poll(() => new URL(page.url()).searchParams.get('hud')).toBe(feed.url);

    // Without any parameter, the remembered address is used.
    await page.goto('/');
    await expect(status.locator('#hud-state')).toContainText(feed.url);
    expect(await page.evaluate(() => localStorage.getItem('trajectory-store:hud-url'))).toBe(feed.url);
  } finally {
    await feed.close();
  }
});

test("a dead feed is said plainly in the header and the live panel, with the browser's reason", async ({
  page,
}, testInfo) => {
  // Port 9 is on the browsers' list of unsafe ports: the socket fails at once and only the console says why.
  await openApp(page, appUrlFor('ws://127.0.0.1:9/ws'));
  const header = page.locator('hud-connection-status #hud-state');
  await expect(header.locator('.sentence')).toHaveText(/^Can't reach ws:\/\/127\.0\.0\.1:9\/ws: retrying in \d+ s$/);
  await expect(header.locator('.why')).toContainText('the browser refuses port 9');
  const panel = page.locator('hud-live-sessions .feed');
  await expect(panel).toContainText(/Can't reach ws:\/\/127\.0\.0\.1:9\/ws: retrying in \d+ s/);
  await expect(panel).toContainText('unsafe ports');
  await expect(page.locator('hud-live-sessions')).toContainText('No session can arrive until the feed is reached.');
  await expect(page.locator('hud-live-sessions')).not.toContainText('Sessions appear here');
  await keepScreenshot(page, testInfo, 'feed-unsafe-port');

  // A port nothing listens on: refused.
  await page.goto(appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  await expect(header.locator('.why')).toContainText('nothing answered there', { timeout: 30_000 });
  await expect(page.locator('hud-live-sessions .feed')).toContainText('nothing answered there');
});

test('the connection settings work from the keyboard', async ({ page }) => {
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  const status = page.locator('hud-connection-status');
  const toggle = status.getByRole('button', { name: 'HUD connection settings' });
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(status.getByRole('textbox', { name: 'HUD WebSocket address' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).toBeFocused();
});
