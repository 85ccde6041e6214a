/**
 * The app's Team tab against a real `serve-team` subprocess on a real PostgreSQL: the setting (the token
 * never shown again), pushing the local store, browsing and searching the team's trajectories, opening one,
 * importing a selection by the identity rule, filtering as the local list does (member, agent, status, dates), and
 * comparing a team run with the local run of the same id and with any other local run.
 */
import { expect, test } from '@playwright/test';
import { PREVIEW_PORT } from '../playwright.config.js';
import { atifRun, comparableRuns } from '../test/documents.js';
import { openApp, WITHOUT_FEED } from './app-support/app-page.js';
import { seedStore } from './app-support/seed.js';
import { startTestPostgres, type TestPostgres } from '../test/server/postgres.js';
import { startTeamProcess, type TeamProcess } from './support/team.js';

test.use({ viewport: { width: 1400, height: 900 } });

let pg: TestPostgres;
let team: TeamProcess;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  pg = await startTestPostgres();
  team = await startTeamProcess(pg.url, `http://localhost:${PREVIEW_PORT}`);
});

test.afterAll(async () => {
  await team?.stop();
  await pg?.stop();
});

test('the Team tab: set up, push, browse, search, open, import, compare with a local run', async ({ page }) => {
  // Two different runs under one id: a step of each differs.
  const [mine, theirs] = comparableRuns('shared-run', 'shared-run', 120);
  // Bob pushed his runs already, one of them under the id of a different local run.
  const bob = await team.token('bob');
  const pushed = await fetch(`${team.url}/v1/batches`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bob}` },
    body: [
      { id: 'bob-1', updatedAt: '2026-11-20T10:00:00.000Z', trajectory: atifRun('bob-1', { text: 'zebra migration' }) },
      { id: 'shared-run', updatedAt: '2026-11-21T10:00:00.000Z', trajectory: theirs },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n'),
  });
  expect(pushed.status).toBe(200);
  const alice = await team.token('alice');

  await openApp(page, `${WITHOUT_FEED}&tab=team`);
  await seedStore(page, [mine, atifRun('alice-1', { text: 'local work' })]);
  const panel = page.locator('trajectory-team');
  await panel.getByLabel('Server URL').fill(team.url);
  await panel.getByLabel('Token').fill(alice);
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByText('as alice')).toBeVisible();
  // The token is kept, never shown again: no field holds it and no text says it.
  await expect(panel.getByLabel('Token')).toHaveCount(0);
  expect(await panel.evaluate((el) => el.shadowRoot!.textContent ?? '')).not.toContain(alice);

  await panel.getByRole('button', { name: 'Push to the team' }).click();
  await expect(panel.getByText(/Pushed 2 trajectories: 2 new/)).toBeVisible();
  expect(await team.ids('alice')).toEqual(['alice-1', 'shared-run']);
  await expect(panel.locator('.sync-status')).toContainText('everything is on the team server');

  // The team's trajectories, newest first once listed again; a search narrows them.
  await panel.getByRole('button', { name: 'Search' }).click();
  await expect(panel.locator('tbody tr')).toHaveCount(4);
  await panel.getByRole('searchbox').fill('zebra');
  await panel.getByRole('button', { name: 'Search' }).click();
  await expect(panel.locator('tbody tr')).toHaveCount(1);
  await expect(panel.locator('tbody tr')).toHaveAttribute('data-key', 'bob/bob-1');

  // Imported into the local store by the identity rule.
  await panel.getByRole('checkbox', { name: 'Select bob-1' }).check();
  await panel.getByRole('button', { name: /Import 1 selected/ }).click();
  await expect(panel.getByText(/Imported 1: 1 new/)).toBeVisible();
  const local = await page.evaluate(() => window.trajectoryApp!.store.getTrajectory('bob-1'));
  expect(local?.trajectory).toEqual(atifRun('bob-1', { text: 'zebra migration' }));

  // Bob's shared-run, opened (fetched now), differs from the local one: compared side by side.
  await panel.getByRole('searchbox').fill('');
  await panel.getByRole('button', { name: 'Search' }).click();
  await panel.locator('tr[data-key="bob/shared-run"]').getByRole('button', { name: 'Open' }).click();
  // It reads like a local run: the same timeline of steps, the document as pushed one click away.
  const opened = panel.locator('.opened');
  await expect(opened.locator('atif-timeline article.step').first()).toContainText('Make the test suite pass');
  await expect(opened.locator('details pre')).toBeHidden();
  await opened.getByText('The document as pushed (JSON)').click();
  await expect(opened.locator('details pre')).toContainText('"session_id": "shared-run"');
  await panel.getByRole('button', { name: 'Compare with the local shared-run' }).click();
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await expect
    .poll(() => Object.fromEntries(new URL(page.url()).searchParams))
    .toMatchObject({ tab: 'compare', a: 'shared-run', b: 'shared-run~2' });
  await expect(page.locator('trajectory-compare #counts')).toBeVisible();

  // The local list's filters, plus member.
  await page.getByRole('tab', { name: 'Team' }).click();
  await panel.getByLabel('Member').fill('bob');
  await panel.getByRole('button', { name: 'Search' }).click();
  await expect(panel.locator('tbody tr')).toHaveCount(2);
  await panel.getByLabel('Status').selectOption('failed');
  await panel.getByRole('button', { name: 'Search' }).click();
  await expect(panel.getByText('No trajectories to show.')).toBeVisible();
  await panel.getByLabel('Status').selectOption('');
  await panel.getByLabel('Kind').selectOption('testgen');
  await panel.getByRole('button', { name: 'Search' }).click();
  await expect(panel.getByText('No trajectories to show.')).toBeVisible();
  await panel.getByLabel('Kind').selectOption('atif');
  await panel.getByLabel('Model').fill('another-model');
  await panel.getByRole('button', { name: 'Search' }).click();
  await expect(panel.getByText('No trajectories to show.')).toBeVisible();
  await panel.getByLabel('Model').fill('claude-sonnet-4');
  await panel.getByRole('button', { name: 'Search' }).click();
  await expect(panel.locator('tbody tr')).toHaveCount(2);
  await panel.getByLabel('Saved from').fill('2999-01-01');
  await panel.getByRole('button', { name: 'Search' }).click();
  await expect(panel.getByText('No trajectories to show.')).toBeVisible();
  await panel.getByLabel('Saved from').fill('');
  await panel.getByRole('button', { name: 'Search' }).click();
  await expect(panel.locator('tbody tr')).toHaveCount(2);
  // Sorted by any column the local list sorts by, either way.
  const firstRow = panel.locator('tbody tr').first();
  await panel.getByLabel('Sort by').selectOption('stepCount');
  await panel.getByLabel('Sort order').selectOption('asc');
  await panel.getByRole('button', { name: 'Search' }).click();
  await expect(firstRow).toHaveAttribute('data-key', 'bob/bob-1');
  await panel.getByLabel('Sort order').selectOption('desc');
  await panel.getByRole('button', { name: 'Search' }).click();
  await expect(firstRow).toHaveAttribute('data-key', 'bob/shared-run');

  // Any local run against a team run: bob's shared-run (imported already, as shared-run~2) with the local alice-1.
  await panel.locator('tr[data-key="bob/shared-run"]').getByRole('button', { name: 'Open' }).click();
  await panel.getByLabel('Compare with a local run').fill('alice-1');
  await panel.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect
    .poll(() => Object.fromEntries(new URL(page.url()).searchParams))
    .toMatchObject({ tab: 'compare', a: 'alice-1', b: 'shared-run~2' });
  await expect(page.locator('trajectory-compare #counts')).toBeVisible();

  // The setting stays in this browser: a new visit is connected at once.
  await openApp(page, `${WITHOUT_FEED}&tab=team`);
  await expect(panel.getByText('as alice')).toBeVisible();
  await expect(panel.locator('tbody tr')).toHaveCount(4);
});
