/**
 * The HUD connection's state said plainly, the same words in the header and
 * the live panel: "Can't reach ws://...: retrying in 15 s", with the reason
 * the browser gives where it gives one.
 */
import type { ConnectionState } from './hud-connection.js';

/**
 * Ports browsers refuse to connect to whatever the server does (the Fetch
 * standard's "bad ports"): a socket to one fails at once, and the browser
 * only says why in its console, so the page says it instead.
 */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Why a socket that never opened failed, as far as the page can tell. */
export function unreachableReason(url: string, online: boolean): string {
  if (!online) return 'this device is offline.';
  let port: number | null = null;
  try {
    const parsed = new URL(url);
    port = Number(parsed.port || (parsed.protocol === 'wss:' ? 443 : 80));
  } catch {
    // checkHudUrl let it through, so this does not happen; the general reason stands.
  }
  if (port !== null && BAD_PORTS.has(port))
    return `the browser refuses port ${port}, which is on its list of unsafe ports: use another port.`;
  return 'nothing answered there (the HUD is not running, or the connection was refused).';
}

/** One sentence for the state; `now` counts the retry down. */
export function connectionSentence(state: ConnectionState, now: number): string {
  switch (state.status) {
    case 'connecting':
      return `Connecting to ${state.url}…`;
    case 'open':
      return `Live: ${state.url}`;
    case 'retrying': {
      const seconds = Math.max(0, Math.ceil((state.retryAt - now) / 1000));
      return `${state.everOpen ? 'Lost' : "Can't reach"} ${state.url}: retrying in ${seconds} s`;
    }
    case 'closed':
      return `Not connected to ${state.url}`;
  }
}
