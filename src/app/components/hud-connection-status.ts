/**
 * `<hud-connection-status>`: the state of the page's HUD socket (connecting,
 * connected, retrying in N s, disconnected) and a settings form to point it
 * at another address. Fires `hud-url-change` (detail `{url}`) when the person
 * connects to an address, so that the page can remember it.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import { checkHudUrl } from '../hud/hud-url.js';
import { connectionSentence } from '../hud/connection-text.js';
import type { ConnectionState, HudConnection } from '../hud/hud-connection.js';
import { controls, tokens } from './theme.js';
import { defineElement, panelEvent } from './define.js';

export class HudConnectionStatus extends LitElement {
  static override properties = {
    connection: { attribute: false },
    settingsOpen: { state: true },
    draft: { state: true },
    draftError: { state: true },
    now: { state: true },
  };

  declare connection: HudConnection | undefined;
  declare private settingsOpen: boolean;
  declare private draft: string | null;
  declare private draftError: string | null;
  /** Ticks every second while a retry is scheduled, for the countdown. */
  declare private now: number;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly onState = () => this.stateChanged();

  constructor() {
    super();
    this.connection = undefined;
    this.settingsOpen = false;
    this.draft = null;
    this.draftError = null;
    this.now = Date.now();
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: inline-block; position: relative; }
    .pill {
      display: inline-flex; align-items: center; gap: 0.5em; padding: 0.3em 0.75em; border-radius: 999px;
      border: 1px solid var(--_border); background: var(--_raised); font-size: 0.88em;
    }
    .pill button.settings { padding: 0 0.3em; font-size: 1.05em; line-height: 1; }
    .dot { width: 0.6em; height: 0.6em; border-radius: 50%; background: var(--_muted); flex: none; }
    .open .dot { background: var(--_success); }
    .connecting .dot, .retrying .dot { background: var(--_warning); }
    .closed .dot { background: var(--_danger); }
    #hud-state { display: grid; min-width: 0; }
    .sentence { overflow-wrap: anywhere; }
    .why { font-size: 0.85em; color: var(--_muted); overflow-wrap: anywhere; }
    @media (max-width: 600px) { .why { display: none; } .pill { font-size: 0.8em; } }
    .pill { border-radius: 1.2em; max-width: min(40em, 100%); }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    .panel {
      position: absolute; inset-inline-end: 0; top: calc(100% + 0.4em); z-index: 10; width: min(28em, calc(100vw - 2em));
      display: grid; gap: 0.55em; padding: 0.9em; border: 1px solid var(--_border); border-radius: var(--_radius);
      background: var(--_raised); box-shadow: 0 12px 32px rgb(0 0 0 / 0.18);
    }
    .panel label { display: grid; gap: 0.25em; font-size: 0.85em; color: var(--_muted); }
    .panel input { font-family: var(--_mono); color: var(--_text); }
    .panel .row { display: flex; gap: 0.4em; justify-content: flex-end; }
    .reason { margin: 0; font-size: 0.85em; color: var(--_muted); overflow-wrap: anywhere; }
    .invalid { color: var(--_danger); margin: 0; font-size: 0.85em; }
  `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('connection')) {
      const previous = changed.get('connection');
      previous?.removeEventListener('statechange', this.onState);
      this.connection?.addEventListener('statechange', this.onState);
      this.syncTicker();
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.connection?.addEventListener('statechange', this.onState);
    this.syncTicker();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connection?.removeEventListener('statechange', this.onState);
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  override render() {
    const state = this.connection?.state;
    if (!state) return html`<span class="pill closed"><span class="dot"></span>No HUD connection</span>`;
    const reason = state.status === 'retrying' || state.status === 'closed' ? state.reason : null;
    return html`
      <div class="pill ${state.status}">
        <span class="dot" aria-hidden="true"></span>
        <span id="hud-state" data-status=${state.status} title=${reason ?? state.url}>
          <span class="sentence">${connectionSentence(state, this.now)}</span>
          ${reason ? html`<span class="why">${reason}</span>` : nothing}
        </span>
        <button class="quiet settings" aria-expanded=${this.settingsOpen ? 'true' : 'false'} aria-controls="settings"
          aria-label="HUD connection settings" title="HUD connection settings" @click=${this.toggle}>⚙</button>
      </div>
      <span class="visually-hidden" role="status">${this.announcement(state)}</span>
      ${this.settingsOpen ? this.renderSettings(state) : nothing}
    `;
  }

  /** What a screen reader hears: the state when it changes, not every tick of the countdown. */
  private announcement(state: ConnectionState): string {
    const reason = state.status === 'retrying' || state.status === 'closed' ? ` ${state.reason}` : '';
    return state.status === 'retrying'
      ? `${state.everOpen ? 'Lost' : "Can't reach"} ${state.url}; retrying.${reason}`
      : `${connectionSentence(state, this.now)}${reason}`;
  }

  private renderSettings(state: ConnectionState) {
    const reason = state.status === 'retrying' || state.status === 'closed' ? state.reason : null;
    return html`
      <form class="panel" id="settings" aria-label="HUD connection" @submit=${this.submit} @keydown=${this.panelKey}>
        <label>HUD WebSocket address
          <input name="url" type="url" required spellcheck="false" autocomplete="off"
            .value=${live(this.draft ?? state.url)} @input=${(e: Event) => (this.draft = (e.target as HTMLInputElement).value)} />
        </label>
        ${this.draftError ? html`<p class="invalid" role="alert">${this.draftError}</p>` : nothing}
        ${reason ? html`<p class="reason">${reason}</p>` : nothing}
        <div class="row">
          ${
            state.status === 'closed'
              ? nothing
              : html`<button type="button" @click=${() => this.connection?.disconnect()}>Disconnect</button>`
          }
          <button type="submit" class="primary">${state.status === 'open' ? 'Reconnect' : 'Connect'}</button>
        </div>
      </form>
    `;
  }

  private toggle(): void {
    this.settingsOpen = !this.settingsOpen;
    this.draft = null;
    this.draftError = null;
    if (this.settingsOpen)
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[name=url]')?.focus());
  }

  private panelKey(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    this.settingsOpen = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('button.settings')?.focus());
  }

  private submit(event: Event): void {
    event.preventDefault();
    const text = this.draft ?? this.connection?.url ?? '';
    const checked = checkHudUrl(text);
    if (!checked.ok) {
      this.draftError = checked.reason;
      return;
    }
    this.draftError = null;
    this.draft = null;
    this.connection?.connect(checked.url);
    this.dispatchEvent(panelEvent('hud-url-change', { url: checked.url }));
  }

  private stateChanged(): void {
    this.now = Date.now();
    this.syncTicker();
    this.requestUpdate();
  }

  private syncTicker(): void {
    const retrying = this.connection?.state.status === 'retrying';
    if (retrying && !this.ticker) this.ticker = setInterval(() => (this.now = Date.now()), 1000);
    if (!retrying && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}

defineElement('hud-connection-status', HudConnectionStatus);

declare global {
  interface HTMLElementTagNameMap {
    'hud-connection-status': HudConnectionStatus;
  }
}
