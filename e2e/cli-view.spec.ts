/**
 * `trajectory-store view`: the command imports agent logs into a database file and serves the trajectory
 * browser on a free port; the page opens with that file's trajectories (in memory, from the served file).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CLAUDE_SESSION, claudeCodeLog, codexLog, inspectEvalArchive } from '../test/importers/agent-logs';
import { listRows, openApp } from './app-support/app-page';

const ROOT = new URL('..', import.meta.url).pathname;

test('view imports the logs it is given and the browser shows them', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'trajectory-store-view-'));
  const logs = join(dir, 'logs');
  mkdirSync(join(logs, 'claude'), { recursive: true });
  writeFileSync(join(logs, 'claude', `${CLAUDE_SESSION}.jsonl`), claudeCodeLog());
  writeFileSync(join(logs, 'rollout-2025-10-02T10-00-00-x.jsonl'), codexLog());
  writeFileSync(join(logs, 'gsm8k.eval'), inspectEvalArchive());

  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'scripts/trajectory-store.mjs'),
      'view',
      logs,
      '--db',
      join(dir, 'view.sqlite'),
      '--port',
      '0',
      '--json',
    ],
    // The e2e build holds the app (index.html) as `npm run build` makes it.
    {
      cwd: dir,
      env: { ...process.env, TRAJECTORY_STORE_APP_DIR: join(ROOT, 'dist-e2e') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const started = await new Promise<{ url: string; trajectories: number }>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] ?? ''));
      });
      child.once('exit', (code) => reject(new Error(`view exited with ${code} before serving`)));
    });
    expect(started.trajectories).toBe(5);
    expect(new URL(started.url).hostname).toBe('127.0.0.1');

    await openApp(page, started.url);
    await expect(page.locator('#store-status')).toHaveAttribute('data-storage', 'memory');
    await expect(listRows(page)).toHaveCount(5);
    await expect(listRows(page).filter({ hasText: 'claude-code' })).toHaveCount(2);
    await expect(listRows(page).filter({ hasText: 'inspect-ai' })).toHaveCount(2);
    await expect(listRows(page).filter({ hasText: 'codex' })).toHaveCount(1);
  } finally {
    child.kill('SIGTERM');
  }
  const code = await new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve),
  );
  expect(code).toBe(0);
});
