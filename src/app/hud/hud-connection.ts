/**
 * The page's WebSocket to a HUD: hands every frame on, and keeps trying to
 * reconnect (exponential backoff, capped, with jitter) until told to stop.
 * Its state is what the connection indicator shows.
 */
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { unreachableReason } from './connection-text.js';
import { checkHudUrl } from './hud-url.js';

export type ConnectionState =
  | { status: 'connecting'; url: string; attempt: number }
  | { status: 'open'; url: string; since: number }
  | {
      status: 'retrying';
      url: string;
      attempt: number;
      retryAt: number;
      /** Why, in a sentence: the browser's reason where it gives one. */
      reason: string;
      /** The socket was open and then went (else it never opened). */
      everOpen: boolean;
    }
  | { status: 'closed'; url: string; reason: string };

export interface HudConnectionOptions {
  /** Every frame as the socket delivers it: text, or bytes. */
  onFrame: (frame: string | ArrayBuffer) => void;
  /** The socket closed after it had been open (time to save what the feed left unfinished). */
  onDisconnect?: () => void;
  backoff?: BackoffOptions;
}

/** A connection must stay up this long before the backoff starts again from its first step (a server that accepts and drops at once must not be hammered). */
const STABLE_AFTER_MS = 10_000;

export class HudConnection extends EventTarget {
  private socket: WebSocket | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stableTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private current: ConnectionState;
  private readonly backoff: BackoffOptions;

  constructor(
    url: string,
    private readonly options: HudConnectionOptions,
  ) {
    super();
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.current = { status: 'closed', url, reason: 'Not connected yet.' };
  }

  get state(): ConnectionState {
    return this.current;
  }

  get url(): string {
    return this.current.url;
  }

  /** Connects to `url` (or the current address), dropping any socket to another one. */
  connect(url: string = this.current.url): void {
    this.stop();
    const checked = checkHudUrl(url);
    if (!checked.ok) {
      this.setState({ status: 'closed', url, reason: checked.reason });
      return;
    }
    this.attempt = 0;
    this.open(checked.url);
  }

  /** Closes the socket and stops retrying. */
  disconnect(reason = 'Disconnected.'): void {
    const wasOpen = this.current.status === 'open';
    this.stop();
    this.setState({ status: 'closed', url: this.current.url, reason });
    if (wasOpen) this.options.onDisconnect?.();
  }

  private open(url: string): void {
    this.setState({ status: 'connecting', url, attempt: this.attempt });
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      this.setState({ status: 'closed', url, reason: `Cannot connect: ${(error as Error).message}` });
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      this.setState({ status: 'open', url, since: Date.now() });
      this.stableTimer = setTimeout(() => (this.attempt = 0), STABLE_AFTER_MS);
    });
    socket.addEventListener('message', (event: MessageEvent<string | ArrayBuffer>) => {
      if (this.socket === socket) this.options.onFrame(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      const wasOpen = this.current.status === 'open';
      this.socket = null;
      clearTimeout(this.stableTimer);
      const reason = wasOpen
        ? `The HUD closed the connection${event.reason ? `: ${event.reason}` : ''} (code ${event.code}).`
        : `Can't reach it: ${unreachableReason(url, navigator.onLine)}`;
      this.scheduleRetry(url, reason, wasOpen);
      if (wasOpen) this.options.onDisconnect?.();
    });
    // An error is always followed by close, which decides what happens next.
  }

  private scheduleRetry(url: string, reason: string, everOpen: boolean): void {
    this.attempt++;
    const delay = backoffDelay(this.attempt, this.backoff);
    this.setState({ status: 'retrying', url, attempt: this.attempt, retryAt: Date.now() + delay, reason, everOpen });
    this.retryTimer = setTimeout(() => this.open(url), delay);
  }

  private stop(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.stableTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState !== WebSocket.CLOSED) socket.close(1000, 'closed by the page');
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    this.dispatchEvent(new Event('statechange'));
  }
}
