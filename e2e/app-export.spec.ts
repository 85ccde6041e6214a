/**
 * Export and import as a person does them: the current selection downloads
 * as JSONL, CSV and a SQLite snapshot; a snapshot re-imports by file picker
 * (merge) and by drag and drop (replace, after a confirmation); delete asks first.
 */
import { expect, test } from '@playwright/test';
import { downloadOf, dropFile, keepScreenshot, listRows, searchBox, tab } from './app-support/app-page.js';
import { recordDemoCycle, wordOnlyIn } from './app-support/record.js';

test.use({ viewport: { width: 1400, height: 1000 } });

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The id a JSONL line's document is stored under. */
function lineId(line: string): string {
  const item = JSON.parse(line) as { testgen?: { sessionId: string }; session_id?: string; trajectory_id?: string };
  return item.testgen ? item.testgen.sessionId : (item.trajectory_id ?? item.session_id)!;
}

test('exports download the selection as JSONL, CSV and a snapshot that imports again', async ({ page }, testInfo) => {
  const sessions = await recordDemoCycle(page, 7_201);
  const ids = sessions.map((s) => s.sessionId);
  const storage = page.locator('trajectory-storage');

  await tab(page, 'Data').click();
  await expect(storage.locator('dd[data-storage="opfs"]')).toBeVisible();
  await expect(storage).toContainText('Every stored trajectory.');
  await keepScreenshot(page, testInfo, 'data-tab');

  // Everything, as JSONL and CSV.
  const jsonl = await downloadOf(page, () => storage.getByRole('button', { name: 'JSONL' }).click());
  expect(jsonl.name).toMatch(/^trajectories-.*\.jsonl$/);
  const lines = jsonl.bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim());
  expect(new Set(lines.map(lineId))).toEqual(new Set(ids));
  const csv = await downloadOf(page, () => storage.getByRole('button', { name: 'CSV' }).click());
  const csvText = csv.bytes.toString('utf8');
  expect(csvText.split('\r\n')[0]).toMatch(/^"?id"?,/);
  for (const id of ids) expect(csvText).toContain(id);

  // A snapshot of everything is a SQLite file.
  const snapshot = await downloadOf(page, () => storage.getByRole('button', { name: 'Snapshot (.sqlite)' }).click());
  expect(snapshot.name).toMatch(/\.sqlite$/);
  expect(snapshot.bytes.subarray(0, 16).equals(SQLITE_HEADER)).toBe(true);

  // The selection: a search exports only what it finds.
  const failed = sessions.find((s) => s.kind === 'testgen' && s.outcome === 'failed')!;
  await tab(page, 'Browse').click();
  await searchBox(page).fill(
    wordOnlyIn(
      failed,
      sessions.filter((s) => s !== failed),
    ),
  );
  await expect(listRows(page)).toHaveCount(1);
  await tab(page, 'Data').click();
  await expect(storage).toContainText('search "');
  const found = await downloadOf(page, () => storage.getByRole('button', { name: 'JSONL' }).click());
  expect(
    found.bytes
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map(lineId),
  ).toEqual([failed.sessionId]);

  // Delete the failed session (after confirming), then merge the snapshot back: it returns.
  await tab(page, 'Browse').click();
  await listRows(page).first().click();
  await page.locator('trajectory-detail').getByRole('button', { name: 'Delete…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this trajectory?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await searchBox(page).fill('');
  await expect(listRows(page)).toHaveCount(sessions.length - 1);
  await expect(page.locator(`trajectory-list [data-id="${failed.sessionId}"]`)).toHaveCount(0);

  await tab(page, 'Data').click();
  // Merging keeps a differing trajectory beside the stored one: the choice must not promise to replace it.
  await expect(storage.getByRole('radio', { name: /^Merge/ })).toBeChecked();
  await expect(storage.getByText(/^\s*Merge:/)).not.toContainText('replac');
  await storage.locator('input[type=file]').setInputFiles(snapshot.path);
  await expect(storage.locator('p.done')).toContainText(`Merged ${sessions.length} trajectories from`, {
    timeout: 30_000,
  });
  await tab(page, 'Browse').click();
  await expect(listRows(page)).toHaveCount(sessions.length);
  await expect(page.locator(`trajectory-list [data-id="${failed.sessionId}"]`)).toContainText('Failed');
});

test('a snapshot of a filtered selection replaces everything when dropped, after a confirmation', async ({
  page,
}, testInfo) => {
  const sessions = await recordDemoCycle(page, 7_202);
  const testgen = sessions.filter((s) => s.kind === 'testgen');
  const storage = page.locator('trajectory-storage');

  await page.getByRole('combobox', { name: 'Kind' }).selectOption('testgen');
  await expect(listRows(page)).toHaveCount(testgen.length);
  await tab(page, 'Data').click();
  await expect(storage).toContainText('test generation only');
  const selection = await downloadOf(page, () => storage.getByRole('button', { name: 'Snapshot (.sqlite)' }).click());
  expect(selection.bytes.subarray(0, 16).equals(SQLITE_HEADER)).toBe(true);
  await expect(storage.locator('p.done')).toHaveText(`Snapshot of ${testgen.length} trajectories downloaded.`);

  // Replace asks first; cancelling changes nothing.
  await storage.getByRole('radio', { name: /Replace/ }).check();
  await dropFile(page, storage.locator('.drop'), 'selection.sqlite', selection.bytes);
  const dialog = page.getByRole('dialog', { name: 'Replace every stored trajectory?' });
  await expect(dialog).toContainText(`The ${sessions.length} trajectories stored in this browser`);
  await keepScreenshot(page, testInfo, 'confirm-replace');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(storage.locator('dl.facts')).toContainText(`Trajectories${sessions.length}`);

  // Dropped anywhere on the page, confirmed: the store now holds exactly the selection.
  await tab(page, 'Browse').click();
  await dropFile(page, page.locator('trajectory-browser'), 'selection.sqlite', selection.bytes);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Replace' }).click();
  await expect(storage.locator('p.done')).toHaveText(
    `Replaced with ${testgen.length} trajectories from selection.sqlite.`,
    { timeout: 30_000 },
  );
  await tab(page, 'Browse').click();
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(listRows(page)).toHaveCount(testgen.length);
  const shown = await listRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
  expect(new Set(shown)).toEqual(new Set(testgen.map((s) => s.sessionId)));
});

test('a file that is not a snapshot is refused with a readable error, and nothing changes', async ({ page }) => {
  const sessions = await recordDemoCycle(page, 7_203);
  const storage = page.locator('trajectory-storage');
  await tab(page, 'Data').click();
  await dropFile(page, storage.locator('.drop'), 'notes.sqlite', Buffer.from('these are not the bytes of a database'));
  const notice = storage.locator('ts-error-notice [role=alert]');
  await expect(notice).toContainText('Import failed');
  await expect(notice).toContainText(/corrupt_snapshot|incompatible_snapshot/);
  await expect(notice).toContainText('Nothing was changed');
  await tab(page, 'Browse').click();
  await expect(listRows(page)).toHaveCount(sessions.length);
});
