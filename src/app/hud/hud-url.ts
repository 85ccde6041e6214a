/**
 * Which HUD WebSocket the page connects to: the `hud` URL parameter, else the
 * address a person saved in the settings, else the HUD's default.
 */
export const DEFAULT_HUD_URL = 'ws://localhost:8080/ws';
export const HUD_URL_PARAM = 'hud';
export const HUD_URL_STORAGE_KEY = 'trajectory-store:hud-url';

export type HudUrlSource = 'param' | 'saved' | 'default';

export type HudUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/** A usable WebSocket address, or why it is not one. */
export function checkHudUrl(text: string): HudUrlCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'Enter a WebSocket address such as ws://localhost:8080/ws.' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, reason: `"${trimmed}" is not an address. Use one such as ws://localhost:8080/ws.` };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    return { ok: false, reason: `A HUD socket address starts with ws:// or wss:// (not ${url.protocol}//).` };
  }
  if (url.hash) return { ok: false, reason: 'A WebSocket address cannot have a #fragment.' };
  return { ok: true, url: url.href };
}

/** The address to use, given the page's query string and the saved setting (either may be invalid: then it is skipped). */
export function resolveHudUrl(search: string, saved: string | null): { url: string; source: HudUrlSource } {
  const param = new URLSearchParams(search).get(HUD_URL_PARAM);
  if (param !== null) {
    const checked = checkHudUrl(param);
    if (checked.ok) return { url: checked.url, source: 'param' };
  }
  if (saved !== null) {
    const checked = checkHudUrl(saved);
    if (checked.ok) return { url: checked.url, source: 'saved' };
  }
  return { url: DEFAULT_HUD_URL, source: 'default' };
}
