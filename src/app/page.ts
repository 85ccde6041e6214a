/**
 * The trajectory browser page, once its store is opening (main.ts): records every session of the HUD socket into
 * the store, and hands both to `<trajectory-app>`.
 *
 * The HUD address is the `hud` URL parameter, else the one saved from the
 * connection settings, else ws://localhost:8080/ws. For the console (and
 * the browser tests), the page's parts are on `window.trajectoryApp`.
 */
import './page.css';
import './elements.js';
import { createHudRecorder, type HudRecorder, type TrajectoryStore } from '../index.js';
import { debounce } from './data/debounce.js';
import { describeError } from './format/errors.js';
import { storageSummary } from './format/storage-text.js';
import { HudConnection } from './hud/hud-connection.js';
import { HUD_URL_PARAM, HUD_URL_STORAGE_KEY, resolveHudUrl } from './hud/hud-url.js';

/** The recorder's checkpoint pace: short enough that every message's save shows at once in the list. */
const LIVE_CHECKPOINT_INTERVAL_MS = 250;
/** The longest the page waits for stale running rows to be settled before it shows the store anyway. */
const SETTLE_WAIT_MS = 3_000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

declare global {
  interface Window {
    trajectoryApp?: { store: TrajectoryStore; recorder: HudRecorder; connection: HudConnection };
  }
}

const app = document.querySelector('trajectory-app')!;
const status = document.querySelector<HTMLElement>('#store-status')!;

function savedHudUrl(): string | null {
  try {
    return localStorage.getItem(HUD_URL_STORAGE_KEY);
  } catch {
    return null; // storage blocked: the default applies
  }
}

function rememberHudUrl(url: string): void {
  try {
    localStorage.setItem(HUD_URL_STORAGE_KEY, url);
  } catch {
    // Not remembered; it still applies to this page.
  }
  // A `hud` parameter would override the new choice on reload: follow it there too.
  const here = new URL(location.href);
  if (here.searchParams.has(HUD_URL_PARAM)) {
    here.searchParams.set(HUD_URL_PARAM, url);
    history.replaceState(history.state, '', here);
  }
}

async function showStorage(store: TrajectoryStore): Promise<void> {
  try {
    const info = await store.info();
    status.textContent = storageSummary(info);
    status.dataset.storage = info.storage;
  } catch (error) {
    status.textContent = `The store cannot be read: ${describeError(error).message}`;
  }
}

/** Shows the store once `opening` has it, or why it could not be opened. */
export async function start(opening: Promise<TrajectoryStore>): Promise<void> {
  let store: TrajectoryStore;
  try {
    store = await opening;
  } catch (error) {
    const { message, code } = describeError(error);
    status.textContent = `The store could not be opened${code ? ` (${code})` : ''}: ${message}`;
    status.dataset.storage = 'none';
    return;
  }
  await showStorage(store);
  store.subscribe(debounce(() => void showStorage(store), 500, 3_000));

  const recorder = createHudRecorder(store, {
    // Every tab shows live sessions from the store: each message is saved as it comes (a save in flight
    // gathers the messages that arrive meanwhile into the next), so the list and the detail keep up.
    checkpointIntervalMs: LIVE_CHECKPOINT_INTERVAL_MS,
    onSessionUpdate: (session) => app.sessionUpdated(session),
    // Each session shows its own save failure in the live panel; the console keeps the detail.
    onError: (error, context) =>
      console.warn(`trajectory-store: ${context.operation} of ${context.sessionId ?? 'a frame'} failed:`, error),
  });
  const { url } = resolveHudUrl(location.search, savedHudUrl());
  const connection = new HudConnection(url, {
    onFrame: (frame) => recorder.handle(frame),
    // Whatever the feed left unfinished is saved now, marked incomplete.
    onDisconnect: () => void recorder.flush(),
  });

  // Rows left running by a tab that closed or reloaded are settled first, so the list never shows them running.
  await Promise.race([recorder.settled(), delay(SETTLE_WAIT_MS)]);
  app.store = store;
  app.recorder = recorder;
  app.connection = connection;
  app.addEventListener('hud-url-change', (event) => rememberHudUrl((event as CustomEvent<{ url: string }>).detail.url));
  // As the recorder asks: a hidden page may never come back, so save what is running now.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void recorder.flush();
  });
  window.trajectoryApp = { store, recorder, connection };
  connection.connect();
}
