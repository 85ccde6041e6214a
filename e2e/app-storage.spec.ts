/** Where the data lives, as the page tells it: on this device, or (with a clear warning) in memory only. */
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config.js';
import { keepScreenshot, openApp, tab } from './app-support/app-page.js';
import { appUrlFor, freePort } from './app-support/feed.js';

test('on OPFS, the header and the data tab say the data stays on this device', async ({ page }) => {
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  await expect(page.locator('#store-status')).toHaveAttribute('data-storage', 'opfs');
  await expect(page.locator('#store-status')).toContainText('0 trajectories');
  await expect(page.locator('#store-status')).toContainText('on this device');
  await tab(page, 'Data').click();
  await expect(page.locator('trajectory-storage dd[data-storage="opfs"]')).toHaveText('This browser (OPFS)');
  await expect(page.locator('trajectory-storage [role=alert]')).toHaveCount(0);
});

test('without OPFS (not a secure context) the page warns plainly that nothing survives closing it', async ({
  browser: _browser,
}, testInfo) => {
  // Plain http on a name other than localhost: no private file system, so the store runs in memory.
  const browser = await chromium.launch({
    ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP insecure.trajectory-store.test 127.0.0.1'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const port = new URL(testInfo.project.use.baseURL!).port;
    await page.goto(
      `http://insecure.trajectory-store.test:${port}${appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`)}`,
    );
    const status = page.locator('#store-status');
    await expect(status).toHaveAttribute('data-storage', 'memory', { timeout: 30_000 });
    await expect(status).toContainText('Memory only');
    await expect(status).toContainText('lost when this page closes');
    await tab(page, 'Data').click();
    const warning = page.locator('trajectory-storage [role=alert][data-storage="memory"]');
    await expect(warning).toContainText('nothing here survives closing this page');
    await keepScreenshot(page, testInfo, 'memory-warning');
  } finally {
    await browser.close();
  }
});
