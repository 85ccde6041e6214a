/**
 * The app's state lives in its URL: tab, open trajectory, search, filters,
 * sort, and the dashboard's range and grouping. Navigation makes history entries, typing does not; reload, back and
 * forward restore the view, and a link opens the same view in another tab.
 */
import { expect, test } from '@playwright/test';
import { atifRun, testgenSession } from '../test/documents.js';
import { keepScreenshot, listRows, openApp, searchBox, tab } from './app-support/app-page.js';
import { seedStore } from './app-support/seed.js';

test.use({ viewport: { width: 1400, height: 900 } });

const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

test('tab, trajectory, search, filters and sort are in the URL; reload, back and a link restore them', async ({
  page,
  context,
}, testInfo) => {
  await openApp(page, '/?hud=ws://127.0.0.1:9/ws');
  await seedStore(page, [
    atifRun('run-ok', { agent: 'codex', text: 'rename the flaky helper' }),
    { ...atifRun('run-bad', { agent: 'codex', text: 'flaky deploy script' }), extra: { status: 'failed' } },
    { testgen: testgenSession('tg-bad', { status: 'failed', error: 'model timed out' }) },
    { testgen: testgenSession('tg-ok') },
  ]);
  await expect(listRows(page)).toHaveCount(4);
  expect(params(page.url())).toEqual({ hud: 'ws://127.0.0.1:9/ws' });

  // A filter is navigation: a new history entry.
  const before = await page.evaluate(() => history.length);
  await page.getByRole('combobox', { name: 'Status' }).selectOption('failed');
  await expect(listRows(page)).toHaveCount(2);
  await expect.poll(() => params(page.url())).toEqual({ hud: 'ws://127.0.0.1:9/ws', status: 'failed' });
  expect(await page.evaluate(() => history.length)).toBe(before + 1);

  // Typing replaces the entry: each keystroke is not a place to go back to.
  await searchBox(page).pressSequentially('flaky', { delay: 60 });
  await expect(listRows(page)).toHaveCount(1);
  await expect.poll(() => params(page.url()).q).toBe('flaky');
  expect(await page.evaluate(() => history.length)).toBe(before + 1);

  // Opening a trajectory is navigation again.
  await listRows(page).first().click();
  await expect(page.locator('trajectory-detail .title-row h2')).toHaveText('codex');
  await expect.poll(() => params(page.url()).id).toBe('run-bad');
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption('totalCostUsd');
  await expect.poll(() => params(page.url()).sort).toBe('totalCostUsd');
  const link = page.url();
  expect(params(link)).toEqual({
    hud: 'ws://127.0.0.1:9/ws',
    status: 'failed',
    q: 'flaky',
    id: 'run-bad',
    sort: 'totalCostUsd',
  });

  // Reload: the same view.
  await page.reload();
  await expect(page.locator('#store-status')).toHaveAttribute('data-storage', /opfs|memory/, { timeout: 30_000 });
  await expect(searchBox(page)).toHaveValue('flaky');
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('failed');
  await expect(page.getByRole('combobox', { name: 'Sort by' })).toHaveValue('totalCostUsd');
  await expect(page.locator('trajectory-detail')).toHaveAttribute('trajectory-id', 'run-bad');
  await expect(page.locator('trajectory-detail .title-row h2')).toHaveText('codex');
  await keepScreenshot(page, testInfo, 'url-restored');

  // Back: the sort goes, then the open trajectory; forward brings it back.
  await page.goBack();
  await expect(page.getByRole('combobox', { name: 'Sort by' })).toHaveValue('');
  await page.goBack();
  await expect(page.locator('trajectory-detail')).not.toHaveAttribute('trajectory-id', /./);
  await expect(searchBox(page)).toHaveValue('flaky');
  await page.goBack();
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('');
  await expect(searchBox(page)).toHaveValue('');
  await expect(listRows(page)).toHaveCount(4);
  await page.goForward();
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('failed');
  await expect(listRows(page)).toHaveCount(1);

  // Tabs are navigation too.
  await tab(page, 'Dashboard').click();
  await expect.poll(() => params(page.url()).tab).toBe('dashboard');
  await page.goBack();
  await expect(tab(page, 'Browse')).toHaveAttribute('aria-selected', 'true');

  // The link opens the same view in another tab of the same browser (same database).
  const other = await context.newPage();
  await openApp(other, link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(other.locator('trajectory-detail .title-row h2')).toHaveText('codex');
  await expect(searchBox(other)).toHaveValue('flaky');
  await expect(listRows(other)).toHaveCount(1);
});

test("the dashboard's range and grouping are in the URL; reload, back and forward restore them", async ({ page }) => {
  await openApp(page, '/?hud=ws://127.0.0.1:9/ws');
  // Two runs: one started today, one a year ago (the range picker tells them apart).
  const longAgo = new Date(Date.now() - 365 * 86_400_000).toISOString();
  await seedStore(page, [
    atifRun('run-today', { agent: 'codex', model: 'model-a', start: new Date().toISOString() }),
    atifRun('run-old', { agent: 'claude-code', model: 'model-b', start: longAgo }),
  ]);
  await tab(page, 'Dashboard').click();
  const range = page.getByRole('combobox', { name: 'Runs started in' });
  const byModel = page.getByRole('button', { name: 'By model' });
  const runsCard = page.locator('trajectory-dashboard .card .value').first();
  await expect(runsCard).toHaveText('2');

  // Choosing a range is navigation: a new history entry, and the figures follow it.
  const before = await page.evaluate(() => history.length);
  await range.selectOption('30');
  await expect.poll(() => params(page.url())).toEqual({ hud: 'ws://127.0.0.1:9/ws', tab: 'dashboard', range: '30' });
  expect(await page.evaluate(() => history.length)).toBe(before + 1);
  await expect(runsCard).toHaveText('1');
  await byModel.click();
  await expect.poll(() => params(page.url()).group).toBe('model');

  // Reload: the same range and grouping, and the same figures.
  await page.reload();
  await expect(page.locator('#store-status')).toHaveAttribute('data-storage', /opfs|memory/, { timeout: 30_000 });
  await expect(range).toHaveValue('30');
  await expect(byModel).toHaveAttribute('aria-pressed', 'true');
  await expect(runsCard).toHaveText('1');

  // Back: the grouping goes, then the range; forward brings the range back.
  await page.goBack();
  await expect(byModel).toHaveAttribute('aria-pressed', 'false');
  await expect(range).toHaveValue('30');
  await page.goBack();
  await expect(range).toHaveValue('all');
  await expect(runsCard).toHaveText('2');
  await page.goForward();
  await expect(range).toHaveValue('30');
  await expect(runsCard).toHaveText('1');
});

test('a link with values the app does not know falls back to the defaults', async ({ page }) => {
  await openApp(
    page,
    '/?hud=ws://127.0.0.1:9/ws&tab=nowhere&status=done&sort=%27;drop&order=up&kind=x&range=1000&group=team',
  );
  await expect(tab(page, 'Browse')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('');
  await expect(page.getByRole('combobox', { name: 'Sort by' })).toHaveValue('');
  await expect(page.locator('trajectory-list')).toContainText('No trajectories yet');
});
