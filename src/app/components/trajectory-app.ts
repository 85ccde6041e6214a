/**
 * `<trajectory-app>`: the whole trajectory browser page in one element: a
 * header (title, the host's status slot, the HUD connection), the live
 * sessions beside tabs for browsing, the dashboard and the data (storage,
 * export, import). It wires its panels together: a live session or a
 * linked run opens in the browser; the dashboard and the exports follow the
 * browser's filters; files dropped anywhere on it are imported.
 *
 * Set `store`, optionally `connection` and `recorder`, and pass the
 * recorder's updates to `sessionUpdated()`.
 */
import { css, html, LitElement, type PropertyValues } from 'lit';
import type { HudRecorder, RecordedSessionView, TrajectoryStore } from '../../public-types.js';
import {
  APP_TABS,
  type AppRoute,
  type DashboardState,
  DEFAULT_DASHBOARD,
  type AppTab,
  historyMode,
  routeFromSearch,
  searchWithRoute,
} from '../data/app-route.js';
import { EMPTY_VIEW, type BrowserView } from '../data/browser-view.js';
import { type CompareState, EMPTY_COMPARE } from '../data/compare-url.js';
import type { HudConnection } from '../hud/hud-connection.js';
import { controls, tokens } from './theme.js';
import { defineElement } from './define.js';
import type { HudLiveSessions } from './hud-live-sessions.js';
import type { TrajectoryBrowser } from './trajectory-browser.js';
import type { TrajectoryStorage } from './trajectory-storage.js';
import './compare-panel.js';
import './hud-connection-status.js';
import './hud-live-sessions.js';
import './trajectory-browser.js';
import './trajectory-dashboard.js';
import './trajectory-storage.js';
import './trajectory-team.js';

/** Where the page counts as a narrow screen (the live panel starts folded). */
const NARROW = '(max-width: 600px)';

/** The keys the page answers to, as the `?` dialog lists them. */
const KEYS: ReadonlyArray<[string[], string]> = [
  [['/'], 'Search'],
  [['j', 'k'], 'Next / previous trajectory in the list, or step in a run'],
  [['Enter'], 'Open the trajectory'],
  [['Esc'], 'Back: close the trajectory, leave the search box'],
  [['n', 'p'], 'Next / previous error or failed tool call in a run'],
  [['↑', '↓', 'Home', 'End'], 'Move in the list, the live sessions, the tabs'],
  [['?'], 'This list'],
];

const TAB_LABELS: Readonly<Record<AppTab, string>> = {
  browse: 'Browse',
  dashboard: 'Dashboard',
  data: 'Data',
  compare: 'Compare',
  team: 'Team',
};
const TABS = APP_TABS.map((id) => ({ id, label: TAB_LABELS[id] }));

export class TrajectoryApp extends LitElement {
  static override properties = {
    store: { attribute: false },
    connection: { attribute: false },
    recorder: { attribute: false },
    heading: {},
    urlState: { type: Boolean, attribute: 'url-state' },
    tab: { reflect: true },
    selectedId: { attribute: false },
    view: { attribute: false },
    compare: { attribute: false },
    dashboard: { attribute: false },
    compareFrom: { state: true },
    pickingFirst: { state: true },
    dropping: { state: true },
    runningIds: { state: true },
    liveOpen: { state: true },
  };

  declare store: TrajectoryStore | undefined;
  declare connection: HudConnection | undefined;
  declare recorder: HudRecorder | undefined;
  declare heading: string;
  /**
   * Keep the tab, the open trajectory, the search, filters and sort in the
   * page's URL (data/app-route.ts): a link opens the same view, and reload
   * and back/forward restore it. For the page that is the app, not for a
   * panel embedded in someone else's page.
   */
  declare urlState: boolean;
  /** The tab shown: `browse`, `dashboard` or `data`. */
  declare tab: AppTab;
  /** The trajectory open in the browser tab. */
  declare selectedId: string | null;
  /** The browser's search, filters and sort. */
  declare view: BrowserView;
  /** What the compare tab compares. */
  declare compare: CompareState;
  /** The dashboard's range and grouping. */
  declare dashboard: DashboardState;
  /** "Compare with…" was asked from this trajectory's detail: the next one selected in the list is B. */
  declare private compareFrom: string | null;
  /** "Compare two runs…" was pressed: the next one selected in the list is A (then B, as above). */
  declare private pickingFirst: boolean;
  declare private dropping: boolean;
  /** Sessions the recorder is recording now; replaced (not mutated) when it changes, so that panels update. */
  declare private runningIds: ReadonlySet<string>;
  /** On a narrow screen the live panel folds away behind its heading (open by default on wide ones). */
  declare private liveOpen: boolean;
  /** Updates that came before the live panel was rendered. */
  private earlyUpdates: RecordedSessionView[] = [];
  /** What the URL says now (urlState): a change from it is pushed or replaced. */
  private routeInUrl: AppRoute | null = null;

  constructor() {
    super();
    this.store = undefined;
    this.connection = undefined;
    this.recorder = undefined;
    this.heading = 'Trajectories';
    this.urlState = false;
    this.tab = 'browse';
    this.selectedId = null;
    this.view = EMPTY_VIEW;
    this.compare = EMPTY_COMPARE;
    this.dashboard = DEFAULT_DASHBOARD;
    this.compareFrom = null;
    this.pickingFirst = false;
    this.dropping = false;
    this.runningIds = new Set();
    this.liveOpen = !window.matchMedia?.(NARROW).matches;
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: flex; flex-direction: column; height: 100%; min-height: 0; background: var(--_bg); position: relative; }
    header {
      display: flex; flex-wrap: wrap; align-items: center; gap: 0.6em 1.2em; padding: 0.7em 1.2em;
      border-bottom: 1px solid var(--_border); background: var(--_surface);
    }
    h1 { font-size: 1.15em; margin: 0; display: flex; align-items: center; gap: 0.45em; }
    h1 .logo { width: 1.3em; height: 1.3em; border-radius: 0.35em; background: linear-gradient(135deg, var(--_accent), color-mix(in srgb, var(--_accent) 40%, #12b886)); }
    .status { flex: 1; min-width: 12em; font-size: 0.85em; color: var(--_muted); }
    .layout { flex: 1; min-height: 0; display: grid; grid-template-columns: 18em 1fr; }
    aside { border-inline-end: 1px solid var(--_border); padding: 1em; min-height: 0; display: flex; flex-direction: column; background: var(--_surface); }
    hud-live-sessions { flex: 1; min-height: 0; }
    main { min-width: 0; min-height: 0; display: flex; flex-direction: column; }
    [role='tablist'] { display: flex; gap: 0.2em; padding: 0.5em 1.2em 0; border-bottom: 1px solid var(--_border); }
    [role='tab'] {
      border: 0; border-radius: 0; background: none; padding: 0.55em 0.9em; color: var(--_muted); font-weight: 600;
      border-bottom: 2px solid transparent; margin-bottom: -1px;
    }
    [role='tab'][aria-selected='true'] { color: var(--_text); border-bottom-color: var(--_accent); }
    [role='tabpanel'] { flex: 1; min-height: 0; padding: 1em 1.2em; overflow: auto; }
    #panel-browse { display: flex; flex-direction: column; overflow: hidden; }
    .compare-pick-start { margin: 0 0 0.4em; }
    .compare-pick { display: flex; flex-wrap: wrap; gap: 0.6em; align-items: center; margin: 0 0 0.6em; padding: 0.4em 0.8em;
      border: 1px solid var(--_accent); border-radius: var(--_radius); background: var(--_tint); }
    trajectory-browser { flex: 1; min-height: 0; }
    .drop-hint {
      position: absolute; inset: 0.6em; display: grid; place-items: center; border: 3px dashed var(--_accent); border-radius: var(--_radius);
      background: color-mix(in srgb, var(--_bg) 85%, transparent); font-size: 1.2em; font-weight: 600; pointer-events: none; z-index: 20;
    }
    .skip {
      position: absolute; inset-inline-start: 0.6em; top: 0.6em; z-index: 30; padding: 0.5em 0.9em; border-radius: var(--_radius);
      background: var(--_accent); color: #fff; font-weight: 600; transform: translateY(-200%);
    }
    .skip:focus { transform: none; outline: 2px solid var(--_text); }
    .keys-button { font-weight: 700; width: 2em; height: 2em; border-radius: 50%; padding: 0; }
    dialog.keys { border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_raised); color: var(--_text); max-width: min(30em, 92vw); }
    dialog.keys::backdrop { background: rgb(0 0 0 / 0.35); }
    dialog.keys h2 { font-size: 1.05em; margin: 0 0 0.6em; }
    dialog.keys dl { display: grid; gap: 0.45em; margin: 0 0 1em; }
    dialog.keys dl div { display: grid; grid-template-columns: 9em 1fr; gap: 0.8em; align-items: baseline; }
    dialog.keys dt { display: flex; gap: 0.25em; flex-wrap: wrap; }
    dialog.keys dd { margin: 0; }
    kbd { font-family: var(--_mono); font-size: 0.85em; padding: 0.1em 0.45em; border: 1px solid var(--_border); border-bottom-width: 2px; border-radius: 0.3em; background: var(--_surface); }
    dialog.keys form { display: flex; justify-content: flex-end; }
    .live-toggle { display: none; }
    @media (max-width: 900px) {
      .layout { grid-template-columns: 1fr; grid-template-rows: auto 1fr; }
      aside { max-height: 14em; border-inline-end: 0; border-bottom: 1px solid var(--_border); }
    }
    /* Narrow screens: the list and the detail get the height; the live panel folds behind one line. */
    @media (max-width: 600px) {
      header { padding: 0.45em 0.7em; gap: 0.3em 0.6em; }
      h1 { font-size: 1em; }
      .status { font-size: 0.78em; min-width: 0; flex-basis: 100%; order: 3; }
      aside { padding: 0.4em 0.7em; max-height: 45vh; }
      .keys-button { display: none; }
      .live-toggle { display: block; width: 100%; text-align: start; font-weight: 600; }
      aside.folded hud-live-sessions { display: none; }
      aside.open hud-live-sessions { margin-top: 0.5em; }
      /* Five tabs fit in 400 px when compact; narrower still, the tab row scrolls, never the page. */
      [role='tablist'] { padding: 0.3em 0.4em 0; gap: 0; overflow-x: auto; scrollbar-width: none; }
      [role='tab'] { flex: none; padding: 0.5em 0.55em; }
      [role='tabpanel'] { padding: 0.6em 0.7em; }
    }
  `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('dragover', this.onDragOver);
    this.addEventListener('dragleave', this.onDragLeave);
    this.addEventListener('drop', this.onDrop);
    window.addEventListener('popstate', this.onPopState);
    // On the document: right after the page loads nothing has the focus, and the keys must work then too.
    document.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
    document.removeEventListener('keydown', this.onKey);
    this.removeEventListener('dragover', this.onDragOver);
    this.removeEventListener('dragleave', this.onDragLeave);
    this.removeEventListener('drop', this.onDrop);
  }

  /** Takes one update from the recorder's `onSessionUpdate`. */
  sessionUpdated(session: RecordedSessionView): void {
    const running = session.status === 'running';
    if (running !== this.runningIds.has(session.id)) {
      const next = new Set(this.runningIds);
      if (running) next.add(session.id);
      else next.delete(session.id);
      this.runningIds = next;
    }
    const live = this.livePanel();
    if (live) live.sessionUpdated(session);
    else this.earlyUpdates.push(session);
  }

  /** Shows one trajectory in the browser tab. */
  openTrajectory(id: string): void {
    this.tab = 'browse';
    this.selectedId = id;
  }

  /** The state the URL shows (data/app-route.ts). */
  get route(): AppRoute {
    return {
      tab: this.tab,
      selectedId: this.selectedId,
      view: this.view,
      compare: this.compare,
      dashboard: this.dashboard,
    };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The URL's state is read once, before the first render, so that the panels start with it.
    if (this.urlState && this.routeInUrl === null) this.applyRoute(routeFromSearch(location.search));
    super.willUpdate(changed);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const routeChanged =
      changed.has('tab') ||
      changed.has('selectedId') ||
      changed.has('view') ||
      changed.has('compare') ||
      changed.has('dashboard');
    if (!this.urlState || !routeChanged) return;
    const next = this.route;
    const mode = this.routeInUrl === null ? 'replace' : historyMode(this.routeInUrl, next);
    this.routeInUrl = next;
    if (mode === 'none') return;
    const url = `${location.pathname}${searchWithRoute(location.search, next)}${location.hash}`;
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(history.state, '', url);
  }

  private applyRoute(route: AppRoute): void {
    this.routeInUrl = route;
    this.tab = route.tab;
    this.selectedId = route.selectedId;
    this.view = route.view;
    this.compare = route.compare;
    this.dashboard = route.dashboard;
  }

  /** Shows two trajectories side by side in the compare tab. */
  compareTrajectories(a: string, b: string): void {
    this.compareFrom = null;
    this.pickingFirst = false;
    this.compare = { mode: 'runs', a, b };
    this.tab = 'compare';
  }

  private selectionChanged(id: string | null): void {
    if (this.pickingFirst && id !== null) {
      this.pickingFirst = false;
      this.compareFrom = id;
    } else if (this.compareFrom !== null && id !== null && id !== this.compareFrom) {
      this.selectedId = id;
      this.compareTrajectories(this.compareFrom, id);
      return;
    }
    this.selectedId = id;
  }

  /** The page's keys (KEYS): they act unless the person is typing in a field. */
  private readonly onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const path = event.composedPath();
    // The app's keys, where the focus is in the app or nowhere; the rest of a page that embeds it keeps its own.
    const nowhere = path[0] === document.body || path[0] === document.documentElement;
    if (!nowhere && !path.includes(this)) return;
    // A dialog (the keys, a confirmation) has its own keys: Esc closes it, nothing else.
    if (path.some((node) => node instanceof HTMLDialogElement)) return;
    const target = path[0];
    const typing =
      target instanceof HTMLElement &&
      (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
    const browser = this.renderRoot.querySelector<TrajectoryBrowser>('trajectory-browser');
    if (event.key === 'Escape') {
      // Back: out of the search box, else out of the open trajectory.
      if (typing && target instanceof HTMLInputElement && target.type === 'search') {
        target.blur();
        browser?.list?.focusList();
      } else if (!typing && this.tab === 'browse' && this.selectedId !== null) {
        this.selectedId = null;
        void this.updateComplete.then(() => browser?.list?.focusList());
      } else return;
      event.preventDefault();
      return;
    }
    if (typing) return;
    const timeline = browser?.timeline ?? null;
    switch (event.key) {
      case '/':
        this.tab = 'browse';
        void this.updateComplete.then(() => browser?.focusSearch());
        break;
      case '?':
        this.renderRoot.querySelector<HTMLDialogElement>('dialog.keys')?.showModal();
        break;
      case 'j':
      case 'k':
        // From anywhere but the steps (which take them themselves): the list.
        if (this.tab !== 'browse') return;
        browser?.list?.focusList();
        break;
      case 'n':
      case 'p':
        if (!timeline) return;
        timeline.moveToFailure(event.key === 'n' ? 1 : -1);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  private skipToList(event: Event): void {
    event.preventDefault();
    this.tab = 'browse';
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<TrajectoryBrowser>('trajectory-browser')?.list?.focusList(),
    );
  }

  private readonly onPopState = () => {
    if (this.urlState) this.applyRoute(routeFromSearch(location.search));
  };

  protected override firstUpdated(_changed: PropertyValues<this>): void {
    const live = this.livePanel();
    for (const session of this.earlyUpdates.splice(0)) live?.sessionUpdated(session);
  }

  override render() {
    return html`
      <a class="skip" href="#panel-browse" @click=${this.skipToList}>Skip to the trajectory list</a>
      <header>
        <h1><span class="logo" aria-hidden="true"></span>${this.heading}</h1>
        <div class="status"><slot name="status"></slot></div>
        <hud-connection-status .connection=${this.connection}></hud-connection-status>
        <button class="quiet keys-button" aria-haspopup="dialog" title="Keyboard shortcuts (?)"
          @click=${() => this.renderRoot.querySelector<HTMLDialogElement>('dialog.keys')?.showModal()}>?</button>
      </header>
      <dialog class="keys" aria-labelledby="keys-title">
        <h2 id="keys-title">Keyboard shortcuts</h2>
        <dl>${KEYS.map(([keys, what]) => html`<div><dt>${keys.map((k) => html`<kbd>${k}</kbd>`)}</dt><dd>${what}</dd></div>`)}</dl>
        <form method="dialog"><button class="primary">Close</button></form>
      </dialog>
      <div class="layout">
        <aside aria-label="Live sessions" class=${this.liveOpen ? 'open' : 'folded'}>
          <button class="live-toggle" aria-expanded=${this.liveOpen ? 'true' : 'false'} aria-controls="live-panel"
            @click=${() => (this.liveOpen = !this.liveOpen)}>
            Live sessions · ${this.runningIds.size > 0 ? `${this.runningIds.size} running` : 'none running'}
          </button>
          <hud-live-sessions id="live-panel" .recorder=${this.recorder} .connection=${this.connection} @trajectory-select=${this.liveSelected}></hud-live-sessions>
        </aside>
        <main>
          <div role="tablist" aria-label="Views" @keydown=${this.tabKey}>
            ${TABS.map(
              (
                t,
              ) => html`<button role="tab" id="tab-${t.id}" aria-controls="panel-${t.id}" aria-selected=${this.tab === t.id ? 'true' : 'false'}
              tabindex=${this.tab === t.id ? '0' : '-1'} @click=${() => (this.tab = t.id)}>${t.label}</button>`,
            )}
          </div>
          <div role="tabpanel" id="panel-browse" aria-labelledby="tab-browse" ?hidden=${this.tab !== 'browse'}
            @compare-request=${(e: CustomEvent<{ id: string }>) => (this.compareFrom = e.detail.id)}>
            ${
              this.compareFrom !== null
                ? html`<p class="compare-pick" role="status">Select the trajectory to compare with <span class="mono">${this.compareFrom}</span>
                  <button class="quiet" @click=${() => (this.compareFrom = null)}>Cancel</button></p>`
                : this.pickingFirst
                  ? html`<p class="compare-pick" role="status">Select the first of the two trajectories to compare
                    <button class="quiet" @click=${() => (this.pickingFirst = false)}>Cancel</button></p>`
                  : html`<p class="compare-pick-start"><button class="quiet" @click=${() => (this.pickingFirst = true)}>Compare two runs…</button></p>`
            }
            <trajectory-browser .store=${this.store} .runningIds=${this.runningIds} .view=${this.view} .selectedId=${this.selectedId}
              @view-change=${(e: CustomEvent<BrowserView>) => (this.view = e.detail)}
              @selection-change=${(e: CustomEvent<{ id: string | null }>) => this.selectionChanged(e.detail.id)}></trajectory-browser>
          </div>
          <div role="tabpanel" id="panel-dashboard" aria-labelledby="tab-dashboard" ?hidden=${this.tab !== 'dashboard'}>
            ${
              this.tab === 'dashboard'
                ? html`<trajectory-dashboard .store=${this.store} .view=${this.view} .range=${this.dashboard.range}
                  .groupBy=${this.dashboard.groupBy}
                  @dashboard-change=${(e: CustomEvent<DashboardState>) => (this.dashboard = e.detail)}></trajectory-dashboard>`
                : ''
            }
          </div>
          <div role="tabpanel" id="panel-data" aria-labelledby="tab-data" ?hidden=${this.tab !== 'data'}>
            <trajectory-storage .store=${this.store} .view=${this.view}></trajectory-storage>
          </div>
          <div role="tabpanel" id="panel-compare" aria-labelledby="tab-compare" ?hidden=${this.tab !== 'compare'}>
            ${
              this.tab === 'compare'
                ? html`<compare-panel .store=${this.store} .state=${this.compare}
                  @compare-change=${(e: CustomEvent<CompareState>) => (this.compare = e.detail)}
                  @trajectory-select=${(e: CustomEvent<{ id: string }>) => this.openTrajectory(e.detail.id)}></compare-panel>`
                : ''
            }
          </div>
          <div role="tabpanel" id="panel-team" aria-labelledby="tab-team" ?hidden=${this.tab !== 'team'}>
            ${
              this.tab === 'team'
                ? html`<trajectory-team .store=${this.store}
                  @compare-trajectories=${(e: CustomEvent<{ a: string; b: string }>) => this.compareTrajectories(e.detail.a, e.detail.b)}></trajectory-team>`
                : ''
            }
          </div>
        </main>
      </div>
      ${this.dropping ? html`<div class="drop-hint" aria-hidden="true">Drop the files to import them</div>` : ''}
    `;
  }

  private livePanel(): HudLiveSessions | null {
    return this.renderRoot?.querySelector('hud-live-sessions') ?? null;
  }

  private liveSelected(event: CustomEvent<{ id: string }>): void {
    this.openTrajectory(event.detail.id);
  }

  private tabKey(event: KeyboardEvent): void {
    const index = TABS.findIndex((t) => t.id === this.tab);
    const next =
      event.key === 'ArrowRight'
        ? index + 1
        : event.key === 'ArrowLeft'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? TABS.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    const tab = TABS[(next + TABS.length) % TABS.length]!;
    this.tab = tab.id;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`#tab-${tab.id}`)?.focus());
  }

  private readonly onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.dropping = true;
  };

  private readonly onDragLeave = (event: DragEvent) => {
    if (event.relatedTarget === null) this.dropping = false;
  };

  private readonly onDrop = (event: DragEvent) => {
    const files = [...(event.dataTransfer?.files ?? [])];
    this.dropping = false;
    // A panel's own drop zone took it already.
    if (files.length === 0 || event.defaultPrevented) return;
    event.preventDefault();
    this.tab = 'data';
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<TrajectoryStorage>('trajectory-storage')?.importFiles(files),
    );
  };
}

defineElement('trajectory-app', TrajectoryApp);

declare global {
  interface HTMLElementTagNameMap {
    'trajectory-app': TrajectoryApp;
  }
}
