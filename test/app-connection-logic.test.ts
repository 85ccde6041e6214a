/** The app's HUD address choice and reconnection delays (src/app/hud). */
import { describe, expect, test } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../src/app/hud/backoff.js';
import { checkHudUrl, DEFAULT_HUD_URL, resolveHudUrl } from '../src/app/hud/hud-url.js';
import { connectionSentence, unreachableReason } from '../src/app/hud/connection-text.js';

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

describe('the connection said plainly', () => {
  const at = 1_000_000;
  test('a feed never reached, one lost, one connecting, one live', () => {
    const retrying = {
      status: 'retrying',
      url: 'ws://h:1234/ws',
      attempt: 3,
      retryAt: at + 14_200,
      reason: 'x',
    } as const;
    expect(connectionSentence({ ...retrying, everOpen: false }, at)).toBe(
      "Can't reach ws://h:1234/ws: retrying in 15 s",
    );
    expect(connectionSentence({ ...retrying, everOpen: true }, at)).toBe('Lost ws://h:1234/ws: retrying in 15 s');
    expect(connectionSentence({ ...retrying, everOpen: false }, at + 60_000)).toMatch(/retrying in 0 s$/);
    expect(connectionSentence({ status: 'connecting', url: 'ws://h/ws', attempt: 0 }, at)).toBe(
      'Connecting to ws://h/ws…',
    );
    expect(connectionSentence({ status: 'open', url: 'ws://h/ws', since: at }, at)).toBe('Live: ws://h/ws');
  });

  test("the browser's unsafe ports, being offline, and nothing answering each have their reason", () => {
    expect(unreachableReason('ws://127.0.0.1:9/ws', true)).toMatch(/refuses port 9, which is on its list of unsafe/);
    expect(unreachableReason('ws://127.0.0.1:6000/ws', true)).toMatch(/port 6000/);
    expect(unreachableReason('ws://127.0.0.1:8080/ws', true)).toMatch(/nothing answered/);
    expect(unreachableReason('wss://hud.example/ws', true)).toMatch(/nothing answered/);
    expect(unreachableReason('ws://127.0.0.1:8080/ws', false)).toBe('this device is offline.');
  });
});
