/** The app's HUD address choice and reconnection delays (src/app/hud). */
import { describe, expect, test } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../src/app/hud/backoff.js';
import { checkHudUrl, DEFAULT_HUD_URL, resolveHudUrl } from '../src/app/hud/hud-url.js';

describe('backoffDelay', () => {
  const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 };

  test('doubles from the initial delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, noJitter))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  test('jitter spreads a delay over ±25% and never past the cap', () => {
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(3000);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.999999)).toBe(5000);
    expect(backoffDelay(20, DEFAULT_BACKOFF, () => 0.999999)).toBe(30000);
    expect(backoffDelay(20, DEFAULT_BACKOFF, () => 0)).toBe(22500);
  });

  test('treats a nonsensical attempt number as the first', () => {
    expect(backoffDelay(0, noJitter)).toBe(1000);
    expect(backoffDelay(-3, noJitter)).toBe(1000);
  });
});

describe('HUD address', () => {
  test('the URL parameter wins, then the saved setting, then the default', () => {
    expect(resolveHudUrl('?hud=ws://127.0.0.1:9000/ws', 'ws://saved:1/ws')).toEqual({
      url: 'ws://127.0.0.1:9000/ws',
      source: 'param',
    });
    expect(resolveHudUrl('', 'ws://saved:1/ws')).toEqual({ url: 'ws://saved:1/ws', source: 'saved' });
    expect(resolveHudUrl('?other=1', null)).toEqual({ url: DEFAULT_HUD_URL, source: 'default' });
    expect(DEFAULT_HUD_URL).toBe('ws://localhost:8080/ws');
  });

  test('an unusable parameter or setting is skipped', () => {
    expect(resolveHudUrl('?hud=http://x/ws', 'ws://saved:1/ws').source).toBe('saved');
    expect(resolveHudUrl('?hud=', 'not a url').source).toBe('default');
  });

  test('an encoded parameter is decoded', () => {
    expect(resolveHudUrl(`?hud=${encodeURIComponent('wss://hud.example/ws?token=a b')}`, null).url).toBe(
      'wss://hud.example/ws?token=a%20b',
    );
  });

  test('only ws:// and wss:// addresses without a fragment are accepted, each refusal with a reason', () => {
    expect(checkHudUrl(' ws://localhost:8080/ws ')).toEqual({ ok: true, url: 'ws://localhost:8080/ws' });
    for (const bad of ['', 'localhost:8080', 'http://localhost:8080/ws', 'ws://host/ws#x', 'javascript:alert(1)']) {
      const checked = checkHudUrl(bad);
      expect(checked.ok, bad).toBe(false);
      if (!checked.ok) expect(checked.reason.length).toBeGreaterThan(10);
    }
  });
});
