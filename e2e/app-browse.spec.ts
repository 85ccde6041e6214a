/**
 * Browsing what was recorded: search narrows the list and highlights the
 * match, filters narrow it, the detail view shows a test-generation session's
 * tests by category and an agent run's steps, and the list works from the keyboard.
 */
import { expect, test } from '@playwright/test';
import type { TestGenTest } from '../src/public-types.js';
import { keepScreenshot, listRows, searchBox } from './app-support/app-page.js';
import { recordDemoCycle, wordOnlyIn } from './app-support/record.js';

test.use({ viewport: { width: 1400, height: 1000 } });

test('search narrows the list to the matching session, with the match highlighted', async ({ page }, testInfo) => {
  const sessions = await recordDemoCycle(page, 7_101);
  const failed = sessions.find((s) => s.kind === 'testgen' && s.outcome === 'failed')!;
  const word = wordOnlyIn(
    failed,
    sessions.filter((s) => s !== failed),
  );

  await searchBox(page).fill(word);
  await expect(listRows(page)).toHaveCount(1);
  const row = listRows(page).first();
  await expect(row).toHaveAttribute('data-id', failed.sessionId);
  await expect(row.locator('.snippet mark').first()).toHaveText(new RegExp(`^${word}$`, 'i'));
  await expect(page.locator('trajectory-browser .list-head')).toContainText('Search results');
  await keepScreenshot(page, testInfo, 'search-results');

  // A word nobody wrote finds nothing, and says so.
  await searchBox(page).fill('zzqxjvbnonexistent');
  await expect(listRows(page)).toHaveCount(0);
  await expect(page.locator('trajectory-list')).toContainText('Nothing matches this search');

  // Clearing the search brings every session back.
  await searchBox(page).fill('');
  await expect(listRows(page)).toHaveCount(sessions.length);
});

test('filters and sorting narrow and order the list', async ({ page }) => {
  const sessions = await recordDemoCycle(page, 7_102);
  const testgen = sessions.filter((s) => s.kind === 'testgen');

  await page.getByRole('combobox', { name: 'Kind' }).selectOption('testgen');
  await expect(listRows(page)).toHaveCount(testgen.length);
  await expect(page.locator('trajectory-browser .list-head')).toHaveText(`${testgen.length} matching trajectories`);
  const ids = await listRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
  expect(new Set(ids)).toEqual(new Set(testgen.map((s) => s.sessionId)));

  // Sorted by score, highest first: the scored (complete) sessions come before the unscored ones.
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption('comprehensivenessScore');
  const scores = async () =>
    listRows(page).evaluateAll((rows) =>
      rows.map((r) => Number(r.textContent?.match(/score ([\d.]+)\/10/)?.[1] ?? -1)),
    );
  await expect
    .poll(async () => {
      const s = await scores();
      return s.every((v, i) => i === 0 || s[i - 1]! >= v);
    })
    .toBe(true);
  // Ascending reverses it.
  await page.getByRole('button', { name: /Sort order: descending/ }).click();
  await expect
    .poll(async () => {
      const s = await scores();
      return s.length === testgen.length && s.every((v, i) => i === 0 || s[i - 1]! <= v);
    })
    .toBe(true);

  // A score range keeps the sessions scored within it.
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByRole('spinbutton', { name: 'Minimum score' }).fill('1');
  await page.getByRole('spinbutton', { name: 'Minimum score' }).press('Enter');
  const scored = testgen.filter((s) => s.outcome === 'complete');
  await expect(listRows(page)).toHaveCount(scored.length);

  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(listRows(page)).toHaveCount(sessions.length);
});

test('the detail view shows the tests by category, the reflections, and an agent run’s steps', async ({
  page,
}, testInfo) => {
  const sessions = await recordDemoCycle(page, 7_103);
  const complete = sessions.find((s) => s.kind === 'testgen' && s.outcome === 'complete')!;
  const tests = complete.messages.flatMap((m) => (m.type === 'testgen_test' ? [m.test as TestGenTest] : []));
  const categories = [...new Set(tests.map((t) => t.category))];

  await page.locator(`trajectory-list [role=option][data-id="${complete.sessionId}"]`).click();
  const detail = page.locator('trajectory-detail');
  await expect(detail.locator('testgen-report')).toBeVisible();
  for (const category of categories) {
    const group = detail.getByRole('group', { name: `${category} tests` });
    await expect(group.locator('li.test')).toHaveCount(tests.filter((t) => t.category === category).length);
  }
  for (const test of tests)
    await expect(detail.locator('.test-id', { hasText: new RegExp(`^${test.id}$`) })).toHaveCount(1);
  const reflections = complete.messages.filter((m) => m.type === 'testgen_reflection');
  await expect(detail.locator('ol.reflections > li')).toHaveCount(reflections.length);
  const done = complete.messages.find((m) => m.type === 'testgen_complete')!;
  if (done.type === 'testgen_complete' && done.comprehensivenessScore !== null) {
    await expect(detail.getByLabel('Session figures')).toContainText(`${done.comprehensivenessScore}/10`);
  }
  await keepScreenshot(page, testInfo, 'detail-testgen');

  // The failed session says so, with its error.
  const failed = sessions.find((s) => s.kind === 'testgen' && s.outcome === 'failed')!;
  const error = failed.messages.find((m) => m.type === 'testgen_error');
  await page.locator(`trajectory-list [role=option][data-id="${failed.sessionId}"]`).click();
  await expect(detail.locator('.banner.failed')).toContainText('This session failed');
  if (error?.type === 'testgen_error') await expect(detail.locator('.banner.failed')).toContainText(error.error);

  // An agent run: its steps, with messages and tool calls.
  const run = sessions.find((s) => s.kind === 'atif' && !s.parentSessionId)!;
  const steps = run.messages.flatMap((m) => (m.type === 'atif_step' ? [m.step] : []));
  await page.locator(`trajectory-list [role=option][data-id="${run.sessionId}"]`).click();
  const timeline = detail.locator('atif-timeline');
  await expect(timeline.locator('article.step').first()).toHaveAttribute('data-step', '1');
  const firstCall = steps.flatMap((s) => s.tool_calls ?? [])[0]!;
  await expect(timeline.locator('.tool-name', { hasText: firstCall.function_name }).first()).toBeVisible();
  await expect(timeline).toContainText(`${steps.length} steps`);
  await keepScreenshot(page, testInfo, 'detail-atif');
});

test('the list works from the keyboard', async ({ page }) => {
  const sessions = await recordDemoCycle(page, 7_104);
  const listbox = page.getByRole('listbox', { name: 'Trajectories' });
  await listbox.focus();
  await page.keyboard.press('ArrowDown');
  await expect(listbox).toHaveAttribute('aria-activedescendant', 'row-1');
  await page.keyboard.press('End');
  await expect(listbox).toHaveAttribute('aria-activedescendant', `row-${sessions.length - 1}`);
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  const first = listRows(page).first();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  const title = (await first.locator('.title').textContent())!;
  await expect(page.locator('trajectory-detail .detail-head h2')).toHaveText(title);
  // Selection follows the keyboard after a short pause.
  await page.keyboard.press('ArrowDown');
  await expect(listRows(page).nth(1)).toHaveAttribute('aria-selected', 'true');
});

test.describe('in a dark system theme', () => {
  test.use({ colorScheme: 'dark' });

  test('the panels follow it', async ({ page }, testInfo) => {
    const sessions = await recordDemoCycle(page, 7_105);
    const run = sessions.find((s) => s.kind === 'atif' && !s.parentSessionId)!;
    await page.locator(`trajectory-list [role=option][data-id="${run.sessionId}"]`).click();
    await expect(page.locator('trajectory-detail atif-timeline article.step').first()).toBeVisible();
    const luminance = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => {
          const [r, g, b] = getComputedStyle(el).backgroundColor.match(/\d+/g)!.map(Number) as [number, number, number];
          return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        });
    expect(await luminance('trajectory-app')).toBeLessThan(0.2);
    expect(await luminance('trajectory-detail atif-timeline article.step')).toBeLessThan(0.25);
    await keepScreenshot(page, testInfo, 'dark-theme');
  });
});
