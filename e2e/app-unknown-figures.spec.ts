/**
 * Unknown tokens and cost read as unknown, never as 0 or $0: in the dashboard's cards and tables (with how many
 * trajectories a partial sum covers), in the list, and in the detail of a run and of an unfinished session.
 */
import { expect, test } from '@playwright/test';
import { atifRun, testgenSession } from '../test/documents.js';
import { listRows, openApp, tab } from './app-support/app-page.js';
import { appUrlFor, freePort } from './app-support/feed.js';
import { seedStore } from './app-support/seed.js';

test.use({ viewport: { width: 1400, height: 1000 } });

test('unknown figures are shown as unknown, and partial sums say how much they cover', async ({ page }) => {
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  await seedStore(page, [
    atifRun('priced', { agent: 'codex', steps: 3 }), // tokens and cost on its agent steps
    atifRun('bare', { agent: 'aider', steps: 1 }), // one user step: neither
    { testgen: testgenSession('tg-done') }, // tokens, and never a cost
    { testgen: testgenSession('tg-running', { status: 'running', totalTokensUsed: 0 }) }, // "0" until it ends
  ]);
  await expect(listRows(page)).toHaveCount(4);

  await tab(page, 'Dashboard').click();
  const dashboard = page.locator('trajectory-dashboard');
  const card = (name: string) => dashboard.locator('.card', { hasText: name });
  await expect(card('Tokens')).toContainText('2 of 4 known');
  await expect(card('Cost').locator('.value')).toHaveText(/^\$0\.0\d+$/);
  await expect(card('Cost')).toContainText('1 of 4 known');
  const byAgent = dashboard.locator('table', { has: page.locator('caption', { hasText: 'By agent' }) });
  const cells = (agent: string) => byAgent.locator('tr', { has: page.locator(`th:text-is("${agent}")`) }).locator('td');
  await expect(cells('aider').nth(2)).toHaveText('—'); // tokens
  await expect(cells('aider').nth(3)).toHaveText('—'); // cost
  await expect(cells('testgen').nth(2)).toHaveText('12.3K (1 of 2 known)');
  await expect(cells('testgen').nth(3)).toHaveText('—');

  await tab(page, 'Browse').click();
  const bare = page.locator('trajectory-list [data-id="bare"] .figures');
  await expect(bare).toHaveText('1 step');
  await page.locator('trajectory-list [data-id="bare"]').click();
  const facts = page.locator('trajectory-detail dl[aria-label="Run figures"]');
  await expect(facts.locator('div', { hasText: 'Tokens' }).locator('dd')).toHaveText('—');
  await expect(facts.locator('div', { hasText: 'Cost' }).locator('dd')).toHaveText('—');

  await page.locator('trajectory-list [data-id="tg-running"]').click();
  const session = page.locator('testgen-report dl[aria-label="Session figures"]');
  await expect(session.locator('div', { hasText: 'Tokens' }).locator('dd')).toHaveText('—');
  await expect(page.locator('trajectory-list [data-id="tg-running"] .figures')).not.toContainText('tokens');
});
