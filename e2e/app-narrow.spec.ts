/**
 * At 400 px wide the list and the detail are usable: the live panel folds
 * behind one line and the less used filters behind the Filters button.
 * Screenshots of the page light and dark, wide and narrow, are kept.
 */
import { expect, test } from '@playwright/test';
import { atifRun, testgenSession } from '../test/documents.js';
import { keepScreenshot, listRows, openApp } from './app-support/app-page.js';
import { appUrlFor, freePort } from './app-support/feed.js';
import { seedStore } from './app-support/seed.js';

const ITEMS = [
  atifRun('narrow-run', { agent: 'claude-code', steps: 6 }),
  { ...atifRun('narrow-failed', { agent: 'codex', steps: 3 }), extra: { status: 'failed' } },
  { testgen: testgenSession('narrow-tg') },
  { testgen: testgenSession('narrow-tg-2', { status: 'incomplete', comprehensivenessScore: null }) },
];

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('at 400 px the list and the detail are usable', async ({ page }, testInfo) => {
      await page.setViewportSize({ width: 400, height: 800 });
      await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
      await seedStore(page, ITEMS);
      await expect(listRows(page)).toHaveCount(4);

      // The live panel is folded to one line, and the filters' selects wait behind their button.
      const toggle = page.getByRole('button', { name: /^Live sessions/ });
      await expect(toggle).toHaveAttribute('aria-expanded', 'false');
      await expect(page.locator('hud-live-sessions')).toBeHidden();
      await expect(page.getByRole('combobox', { name: 'Agent' })).toBeHidden();
      // The list starts in the top half of the screen.
      const top = (await listRows(page).first().boundingBox())!.y;
      expect(top).toBeLessThan(400);
      // Every tab fits in the width (the fifth, Team, was cut off and widened the page to 439 px).
      for (const tab of await page.getByRole('tab').all()) {
        const box = (await tab.boundingBox())!;
        expect(box.x + box.width, (await tab.textContent()) ?? '').toBeLessThanOrEqual(400);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
      await keepScreenshot(page, testInfo, `narrow-list-${colorScheme}`);

      // The filters open on demand; the live panel too.
      await page.getByRole('button', { name: 'Filters' }).click();
      await expect(page.getByRole('combobox', { name: 'Agent' })).toBeVisible();
      await keepScreenshot(page, testInfo, `narrow-filters-${colorScheme}`);
      await page.getByRole('button', { name: 'Filters' }).click();
      await toggle.click();
      await expect(page.locator('hud-live-sessions')).toBeVisible();
      await toggle.click();

      // The detail takes the list's place, and Back returns to it.
      await page.locator('trajectory-list [role=option][data-id="narrow-run"]').click();
      const detail = page.locator('trajectory-detail');
      await expect(detail.locator('.title-row h2')).toHaveText('claude-code');
      await expect(detail.locator('atif-timeline')).toBeVisible();
      await expect(page.locator('trajectory-browser .list-pane')).toBeHidden();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(400);
      await keepScreenshot(page, testInfo, `narrow-detail-${colorScheme}`);
      await detail.getByRole('button', { name: 'Back to the list' }).click();
      await expect(listRows(page)).toHaveCount(4);
    });

    test('wide', async ({ page }, testInfo) => {
      await page.setViewportSize({ width: 1400, height: 900 });
      await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
      await seedStore(page, ITEMS);
      await page.locator('trajectory-list [role=option][data-id="narrow-tg-2"]').click();
      await expect(page.locator('trajectory-detail testgen-report')).toContainText('This session is incomplete');
      await expect(page.locator('hud-live-sessions')).toBeVisible();
      await keepScreenshot(page, testInfo, `wide-detail-${colorScheme}`);
      await page.getByRole('tab', { name: 'Dashboard' }).click();
      await expect(page.locator('trajectory-dashboard stats-chart').first()).toBeVisible();
      await keepScreenshot(page, testInfo, `wide-dashboard-${colorScheme}`);
    });
  });
}
