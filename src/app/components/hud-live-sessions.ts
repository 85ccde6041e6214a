/**
 * `<hud-live-sessions>`: the sessions a HUD recorder is recording, as they
 * stream: tests appearing per category, phase, round, score, steps of agent
 * runs, status, and whether their last save worked. Ended sessions stay for
 * a while, marked complete, failed or incomplete.
 *
 * Feed it the recorder's updates: `createHudRecorder(store, { onSessionUpdate:
 * (s) => panel.sessionUpdated(s) })`; set `recorder` too to show the sessions
 * already running. Fires `trajectory-select` (detail `{id}`) when a session
 * is opened.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { HudRecorder, RecordedSessionView } from '../../public-types.js';
import { connectionSentence } from '../hud/connection-text.js';
import type { HudConnection } from '../hud/hud-connection.js';
import { formatCount, formatCountOf, formatScore, formatTime } from '../format/numbers.js';
import { statusBadge } from './summary-parts.js';
import { controls, tokens } from './theme.js';
import { defineElement, panelEvent } from './define.js';

/** Ended sessions kept in view. */
const DEFAULT_MAX_ENDED = 20;

export class HudLiveSessions extends LitElement {
  static override properties = {
    recorder: { attribute: false },
    connection: { attribute: false },
    maxEnded: { type: Number, attribute: 'max-ended' },
    version: { state: true },
  };

  declare recorder: HudRecorder | undefined;
  /** The page's HUD socket, if any: while it is down, the panel says so. */
  declare connection: HudConnection | undefined;
  /** How many ended sessions stay listed. */
  declare maxEnded: number;
  declare private version: number;
  private readonly sessions = new Map<string, RecordedSessionView>();
  /** The session whose card takes the panel's one tab stop (arrow keys move it). */
  private focusKey: string | null = null;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly onConnectionState = () => this.syncTicker();

  constructor() {
    super();
    this.recorder = undefined;
    this.connection = undefined;
    this.maxEnded = DEFAULT_MAX_ENDED;
    this.version = 0;
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: flex; flex-direction: column; min-height: 0; }
    .head { display: flex; align-items: baseline; justify-content: space-between; gap: 0.5em; margin-bottom: 0.6em; }
    h2 { font-size: 1em; }
    .count { font-size: 0.82em; color: var(--_muted); }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5em; overflow: auto; min-height: 0; }
    .session {
      width: 100%; display: grid; gap: 0.3em; text-align: start; padding: 0.6em 0.7em; white-space: normal;
      border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_raised); min-width: 0; overflow: hidden;
    }
    .session.running { border-color: color-mix(in srgb, var(--_accent) 55%, var(--_border)); }
    .session.failed { border-color: color-mix(in srgb, var(--_danger) 45%, var(--_border)); }
    .session.incomplete { border-color: color-mix(in srgb, var(--_warning) 45%, var(--_border)); }
    .top { display: flex; gap: 0.4em; align-items: center; min-width: 0; }
    .title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; flex: 1; }
    .line { font-size: 0.82em; color: var(--_muted); overflow-wrap: anywhere; }
    .cats { display: flex; flex-wrap: wrap; gap: 0.25em; }
    .cat { font-size: 0.75em; padding: 0 0.45em; border-radius: 0.8em; background: var(--_surface); border: 1px solid var(--_border); max-width: 100%; overflow-wrap: anywhere; }
    .cat.current { border-color: var(--_accent); color: var(--_accent); }
    .error { font-size: 0.82em; color: var(--_danger); overflow-wrap: anywhere; }
    .pulse { width: 0.55em; height: 0.55em; border-radius: 50%; background: var(--_accent); flex: none; animation: pulse 1.4s ease-in-out infinite; }
    @keyframes pulse { 50% { opacity: 0.25; } }
    @media (prefers-reduced-motion: reduce) { .pulse { animation: none; } }
    .empty { color: var(--_muted); font-size: 0.9em; margin: 0; }
    .feed { margin: 0 0 0.6em; padding: 0.5em 0.6em; border-radius: var(--_radius); font-size: 0.88em; display: grid; gap: 0.2em;
      border: 1px solid color-mix(in srgb, var(--_warning) 45%, var(--_border)); background: color-mix(in srgb, var(--_warning) 8%, var(--_bg));
      overflow-wrap: anywhere; }
    .feed.connecting { border-color: var(--_border); background: var(--_surface); }
    .feed .why { color: var(--_muted); font-size: 0.92em; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  `,
  ];

  /** Takes one update from the recorder's `onSessionUpdate`. */
  sessionUpdated(session: RecordedSessionView): void {
    this.sessions.set(`${session.kind}:${session.id}`, session);
    this.prune();
    this.version++;
  }

  /** The sessions shown: running ones first, newest first. */
  get shownSessions(): RecordedSessionView[] {
    const all = [...this.sessions.values()];
    const newest = (a: RecordedSessionView, b: RecordedSessionView) => b.startedAt.localeCompare(a.startedAt);
    return [
      ...all.filter((s) => s.status === 'running').sort(newest),
      ...all.filter((s) => s.status !== 'running').sort(newest),
    ];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connection?.removeEventListener('statechange', this.onConnectionState);
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.connection?.addEventListener('statechange', this.onConnectionState);
    this.syncTicker();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('connection')) {
      changed.get('connection')?.removeEventListener('statechange', this.onConnectionState);
      this.connection?.addEventListener('statechange', this.onConnectionState);
      this.syncTicker();
    }
    if (changed.has('recorder') && this.recorder) {
      for (const session of this.recorder.activeSessions()) this.sessions.set(`${session.kind}:${session.id}`, session);
    }
  }

  override render() {
    const shown = this.shownSessions;
    const running = shown.filter((s) => s.status === 'running').length;
    const keys = shown.map((s) => `${s.kind}:${s.id}`);
    const focusKey = this.focusKey !== null && keys.includes(this.focusKey) ? this.focusKey : (keys[0] ?? null);
    const feed = this.connection?.state;
    const down = feed !== undefined && feed.status !== 'open';
    return html`
      <div class="head">
        <h2 id="live-heading">Live sessions</h2>
        <span class="count" role="status">${running > 0 ? `${running} running` : 'none running'}</span>
      </div>
      ${
        down
          ? html`<p class="feed ${feed.status}" data-status=${feed.status}>${connectionSentence(feed, Date.now())}${
              feed.status === 'retrying' || feed.status === 'closed'
                ? html`<span class="why">${feed.reason}</span>`
                : nothing
            }</p>`
          : nothing
      }
      ${
        shown.length === 0
          ? html`<p class="empty">${down ? 'No session can arrive until the feed is reached.' : 'Sessions appear here as the HUD streams them.'}</p>`
          : html`<ul aria-labelledby="live-heading" aria-describedby="live-keys" @keydown=${this.listKey}>
            ${repeat(
              shown,
              (s) => `${s.kind}:${s.id}`,
              (s) => html`<li>${this.renderSession(s, `${s.kind}:${s.id}` === focusKey)}</li>`,
            )}
          </ul>
          <span id="live-keys" class="visually-hidden">Up and down arrows move between sessions; Enter opens one.</span>`
      }
    `;
  }

  /** One tab stop for the whole panel: the arrow keys move between the cards. */
  private listKey(event: KeyboardEvent): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.session')];
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    if (at < 0) return;
    const next =
      event.key === 'ArrowDown' || event.key === 'j'
        ? at + 1
        : event.key === 'ArrowUp' || event.key === 'k'
          ? at - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? buttons.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    const target = buttons[Math.max(0, Math.min(buttons.length - 1, next))]!;
    this.focusKey = target.dataset.key ?? null;
    this.version++;
    target.focus();
  }

  private syncTicker(): void {
    const retrying = this.connection?.state.status === 'retrying';
    this.version++;
    if (retrying && !this.ticker) this.ticker = setInterval(() => this.version++, 1000);
    if (!retrying && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private renderSession(s: RecordedSessionView, tabStop: boolean) {
    const title = s.kind === 'testgen' ? (s.taskId ?? s.id) : (s.agentName ?? s.id);
    const categories = Object.entries(s.testsByCategory);
    return html`
      <button class="session ${s.status}" data-session-id=${s.id} data-key=${`${s.kind}:${s.id}`} tabindex=${tabStop ? '0' : '-1'}
        @focus=${() => (this.focusKey = `${s.kind}:${s.id}`)} @click=${() => this.dispatchEvent(panelEvent('trajectory-select', { id: s.id }))}>
        <span class="top">
          ${s.status === 'running' ? html`<span class="pulse" aria-hidden="true"></span>` : nothing}
          <span class="title">${title}</span>
          ${statusBadge(s.status)}
        </span>
        ${s.kind === 'testgen' ? this.renderTestgen(s, categories) : this.renderAtif(s)}
        ${s.error ? html`<span class="error">${s.error}</span>` : nothing}
        ${s.lastSaveError ? html`<span class="error">Not saved: ${s.lastSaveError}</span>` : nothing}
        <span class="line mono">${s.id}</span>
        <span class="line">started ${formatTime(s.startedAt)}${s.lastSavedAt ? ` · saved ${formatTime(s.lastSavedAt)}` : ' · not saved yet'}</span>
      </button>
    `;
  }

  private renderTestgen(s: RecordedSessionView, categories: Array<[string, number]>) {
    const phase =
      s.phase === 'global_refinement'
        ? 'global refinement'
        : (s.currentCategory ?? s.phase?.replace(/_/g, ' ') ?? null);
    return html`
      <span class="line">
        <strong class="tests">${formatCount(s.testCount)} ${s.testCount === 1 ? 'test' : 'tests'}</strong>
        ${phase ? html` · ${phase}` : nothing}${s.roundNumber !== null ? html` · round ${s.roundNumber}` : nothing}
        ${s.score !== null ? html` · score ${formatScore(s.score)}` : nothing}
        ${s.reflectionCount > 0 ? html` · ${formatCountOf(s.reflectionCount, 'reflection', 'reflections')}` : nothing}
      </span>
      ${
        categories.length > 0
          ? html`<span class="cats">${categories.map(([category, n]) => html`<span class="cat ${category === s.currentCategory && s.status === 'running' ? 'current' : ''}">${category} ${n}</span>`)}</span>`
          : nothing
      }
    `;
  }

  private renderAtif(s: RecordedSessionView) {
    return html`<span class="line"><strong>${formatCount(s.stepCount)} ${s.stepCount === 1 ? 'step' : 'steps'}</strong>
      ${s.parentSessionId ? html` · subagent of <span class="mono">${s.parentSessionId}</span>` : nothing}</span>`;
  }

  /** Keeps every running session and the newest ended ones. */
  private prune(): void {
    const ended = [...this.sessions.entries()]
      .filter(([, s]) => s.status !== 'running')
      .sort(([, a], [, b]) => b.startedAt.localeCompare(a.startedAt));
    for (const [key] of ended.slice(Math.max(0, this.maxEnded))) this.sessions.delete(key);
  }
}

defineElement('hud-live-sessions', HudLiveSessions);

declare global {
  interface HTMLElementTagNameMap {
    'hud-live-sessions': HudLiveSessions;
  }
}
