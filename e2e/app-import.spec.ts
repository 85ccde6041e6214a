/**
 * The app imports what the library reads, by picker and by drag and drop:
 * ATIF JSON, JSONL with a damaged line, the streamed form, several files at
 * once; it reports counts, what was not imported (with its line) and warnings.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { atifRun } from '../test/documents.js';
import { dropFile, openApp, tab } from './app-support/app-page.js';
import { tempDir } from './support/outside.js';

const jsonl = (items: readonly unknown[]) => `${items.map((item) => JSON.stringify(item)).join('\n')}\n`;

test('files chosen with the picker: JSON, JSONL with a damaged line, the streamed form; counts and reasons shown', async ({
  page,
}) => {
  await openApp(page);
  const dir = tempDir();
  const { steps, ...root } = atifRun('streamed-app', { steps: 3 });
  const files = {
    'one.json': JSON.stringify({ ...atifRun('picked-json'), schema_version: '1.4' }, null, 2),
    'runs.jsonl': `${JSON.stringify(atifRun('line-a'))}\n{"schema_version": "ATIF-v1.6", "sess\n${JSON.stringify(atifRun('line-c'))}\n`,
    'stream.jsonl': jsonl([{ __header__: true, ...root, created_at: '2025-11-12T22:22:17' }, ...steps]),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  await tab(page, 'Data').click();
  const storage = page.locator('trajectory-storage');
  await storage.locator('input[type=file]').setInputFiles(Object.keys(files).map((name) => join(dir, name)));
  const done = storage.locator('p.done');
  await expect(done).toContainText('one.json (atif): 1 new, 1 with warnings.', { timeout: 30_000 });
  await expect(done).toContainText('runs.jsonl (jsonl): 2 new, 1 not imported.');
  await expect(done).toContainText('stream.jsonl (atif-stream): 1 new.');
  const report = storage.getByRole('list', { name: 'Import report' });
  await expect(report.locator('[data-file="runs.jsonl"] [data-list="rejected"]')).toContainText(
    'Not imported, line 2: is not valid JSON',
  );
  await expect(report.locator('[data-file="one.json"] [data-list="warnings"]')).toContainText('schema_version');
  await expect(storage.locator('dl.facts')).toContainText('Trajectories4');
});

test('a JSONL file dropped anywhere on the page is imported; a file in no known format is refused, nothing changed', async ({
  page,
}) => {
  await openApp(page);
  await dropFile(
    page,
    page.locator('trajectory-browser'),
    'export.jsonl',
    Buffer.from(jsonl([atifRun('dropped-1'), atifRun('dropped-2')])),
  );
  const storage = page.locator('trajectory-storage');
  await expect(storage.locator('p.done')).toHaveText('export.jsonl (jsonl): 2 new.', { timeout: 30_000 });
  await expect(storage.locator('dl.facts')).toContainText('Trajectories2');

  await dropFile(page, storage.locator('.drop'), 'people.csv', Buffer.from('name,age\nada,36\n'));
  const notice = storage.locator('ts-error-notice [role=alert]');
  await expect(notice).toContainText('Import failed');
  await expect(notice).toContainText('unknown_format');
  await expect(notice).toContainText('found text that is not JSON');
  await expect(notice).toContainText('Nothing was changed');
  await expect(storage.locator('dl.facts')).toContainText('Trajectories2');
});
