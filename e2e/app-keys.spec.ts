/**
 * Keyboard first, and the smaller defects found by a new user, each with the
 * check that would have caught it: a skip link and few tab stops, `/`, j/k,
 * Enter, Esc, n/p and `?`; no page error on export; no favicon 404; unknown
 * cost and tokens shown as unknown; costs without float noise; date fields
 * wide enough for a date.
 */
import { expect, test } from '@playwright/test';
import { atifRun, testgenSession } from '../test/documents.js';
import { downloadOf, keepScreenshot, listRows, openApp, searchBox, tab } from './app-support/app-page.js';
import { appUrlFor, freePort } from './app-support/feed.js';
import { seedStore } from './app-support/seed.js';

test.use({ viewport: { width: 1400, height: 900 } });

function runWithFailures() {
  const run = atifRun('keys-run', { agent: 'keyboard-agent', steps: 8 });
  // Step 3 failed by its own account; step 6's tool call failed.
  run.steps[2]!.extra = { status: 'error', error: 'the model timed out' };
  run.steps[5]!.observation = { results: [{ source_call_id: 'call_6', content: 'Error: ENOENT src/module_6.ts' }] };
  return run;
}

test('the keys work right after the page loads, before anything has the focus', async ({ page }) => {
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  await seedStore(page, [runWithFailures(), atifRun('other-run', { agent: 'other-agent' })]);
  await page.reload();
  await expect(listRows(page)).toHaveCount(2);
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  await page.keyboard.press('/');
  await expect(searchBox(page)).toBeFocused();

  await page.reload();
  await expect(listRows(page)).toHaveCount(2);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');

  await page.reload();
  await expect(listRows(page)).toHaveCount(2);
  await page.keyboard.press('j');
  await expect(page.locator('trajectory-list lit-virtualizer')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('trajectory-detail')).toHaveAttribute('trajectory-id', /./);
  // The agent's version says what it is (a recorder writes "unknown": "codex unknown" read as nonsense).
  await expect(page.locator('trajectory-detail dd').first()).toHaveText(/^\S+ version 1\.0\.0$/);
});

test('the page works from the keyboard: skip link, /, j/k, Enter, Esc, n/p and ?', async ({ page }, testInfo) => {
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  await seedStore(page, [
    runWithFailures(),
    atifRun('other-run', { agent: 'other-agent' }),
    { testgen: testgenSession('keys-tg') },
  ]);
  await expect(listRows(page)).toHaveCount(3);

  // The first Tab of a fresh page reaches the skip link, which is visible when focused, and Enter lands in the list.
  await page.reload();
  await expect(listRows(page)).toHaveCount(3);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the trajectory list' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  const list = page.locator('trajectory-list lit-virtualizer');
  await expect(list).toBeFocused();

  // j/k move, Enter opens, Esc goes back to the list.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('Enter');
  await expect(page.locator('trajectory-detail')).toHaveAttribute('trajectory-id', /./);
  const opened = await page.locator('trajectory-detail').getAttribute('trajectory-id');
  expect(opened).toBe(await listRows(page).nth(1).getAttribute('data-id'));
  await page.keyboard.press('Escape');
  await expect(page.locator('trajectory-detail')).not.toHaveAttribute('trajectory-id', /./);
  await expect(list).toBeFocused();

  // / focuses the search; Esc leaves it for the list.
  await page.keyboard.press('/');
  await expect(searchBox(page)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(list).toBeFocused();

  // n/p jump between the run's errors and failed tool calls.
  await page.locator('trajectory-list [role=option][data-id="keys-run"]').click();
  await expect(page.locator('trajectory-detail atif-timeline')).toBeVisible();
  await page.keyboard.press('n');
  const notice = page.locator('atif-timeline .notice');
  await expect(notice).toHaveText('Step 3: an error or a failed tool call.');
  await page.keyboard.press('n');
  await expect(notice).toHaveText('Step 6: an error or a failed tool call.');
  await page.keyboard.press('n');
  await expect(notice).toHaveText('No later error or failed tool call.');
  await page.keyboard.press('p');
  await expect(notice).toHaveText('Step 3: an error or a failed tool call.');
  await expect(page.locator('atif-timeline .slot.current')).toHaveAttribute('data-index', '2');
  // In the steps, j/k move step by step.
  await page.keyboard.press('j');
  await expect(page.locator('atif-timeline .slot.current')).toHaveAttribute('data-index', '3');

  // ? lists the keys; Esc closes the list.
  await page.keyboard.press('?');
  const keys = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(keys).toBeVisible();
  await expect(keys).toContainText('Next / previous error or failed tool call in a run');
  await keepScreenshot(page, testInfo, 'keyboard-shortcuts');
  await page.keyboard.press('Escape');
  await expect(keys).toBeHidden();
});

test('few tab stops to the list; focus is always visible', async ({ page }) => {
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  await seedStore(page, [atifRun('a'), atifRun('b')]);
  await page.reload();
  await expect(listRows(page)).toHaveCount(2);
  const list = page.locator('trajectory-list lit-virtualizer');
  let presses = 0;
  for (; presses < 20; presses++) {
    if (await list.evaluate((el) => el.matches(':focus'))) break;
    await page.keyboard.press('Tab');
    // Whatever has the focus shows it.
    const shown = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      if (!el || el === document.body) return true;
      const style = getComputedStyle(el);
      return style.outlineStyle !== 'none' || style.boxShadow !== 'none' || el.matches('.skip');
    });
    expect(shown, `focus visible after ${presses + 1} Tab presses`).toBe(true);
  }
  // Skip link, then (Tab past it) the header's two controls, the tabs, the filters: at most a dozen, never 15.
  expect(presses).toBeLessThanOrEqual(14);
});

test('smaller defects: no page error on export, no favicon 404, unknown is not zero, costs without noise, whole dates', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const missing: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  const noisy = atifRun('noisy', { agent: 'noisy-agent', steps: 3 });
  noisy.steps[1]!.metrics = { cost_usd: 0.1, prompt_tokens: 10, completion_tokens: 5 };
  noisy.steps[2]!.metrics = { cost_usd: 0.2 };
  const unknown = atifRun('unknown', { agent: 'silent-agent', steps: 2 });
  delete unknown.steps[1]!.metrics;
  await seedStore(page, [noisy, unknown]);

  const noisyRow = page.locator('trajectory-list [role=option][data-id="noisy"]');
  await expect(noisyRow).toContainText('$0.300');
  await expect(noisyRow).not.toContainText('0000');
  const unknownRow = page.locator('trajectory-list [role=option][data-id="unknown"]');
  await expect(unknownRow).toContainText('2 steps');
  await expect(unknownRow).not.toContainText('$0');
  await expect(unknownRow).not.toContainText('0 tokens');
  await unknownRow.click();
  const facts = page.locator('trajectory-detail dl.facts');
  await expect(facts.locator('div', { hasText: 'Tokens' }).locator('dd')).toHaveText('—');
  await expect(facts.locator('div', { hasText: 'Cost' }).locator('dd')).toHaveText('—');

  // The dates of "Saved between" show a whole date.
  await page.getByRole('button', { name: 'Filters' }).click();
  const from = page.getByRole('textbox', { name: 'Saved from' }).or(page.locator('input[aria-label="Saved from"]'));
  await from.first().fill('2026-11-26');
  const fits = await page
    .locator('trajectory-filters input[type=date]')
    .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).getBoundingClientRect().width));
  for (const width of fits) expect(width).toBeGreaterThanOrEqual(130);
  await keepScreenshot(page, testInfo, 'filters-open');
  await page.getByRole('button', { name: 'Clear' }).click();

  // Exports with their progress bar: no page error.
  await tab(page, 'Data').click();
  const storage = page.locator('trajectory-storage');
  const csv = await downloadOf(page, () => storage.getByRole('button', { name: 'CSV' }).click());
  expect(csv.bytes.toString('utf8')).toContain(',0.3,');
  await downloadOf(page, () => storage.getByRole('button', { name: 'Snapshot (.sqlite)' }).click());
  await expect(storage).not.toContainText('Writing the snapshot');
  expect(errors).toEqual([]);
  expect(missing).toEqual([]);
});
