/**
 * The Team setting: the team server's URL and the member's token, kept in this browser only
 * (localStorage, per origin), as the HUD address is. The token is read back to send it, never to show it.
 */
export interface TeamSettings {
  url: string;
  token: string;
}

const KEY = 'trajectory-store:team';

export function loadTeamSettings(storage: Storage = localStorage): TeamSettings | null {
  try {
    const value = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<TeamSettings> | null;
    return typeof value?.url === 'string' && typeof value.token === 'string'
      ? { url: value.url, token: value.token }
      : null;
  } catch {
    return null;
  }
}

/** Saves the setting, or forgets it (null). */
export function saveTeamSettings(settings: TeamSettings | null, storage: Storage = localStorage): void {
  if (settings) storage.setItem(KEY, JSON.stringify(settings));
  else storage.removeItem(KEY);
}
