/**
 * `<trajectory-browser>`: search, filters and sort over every stored
 * trajectory, the virtualized list, and the detail of the one selected
 * (beside the list when there is room, in its place when not).
 *
 * Fires `view-change` (detail: BrowserView) so that other panels (the
 * dashboard, exports) can follow the same selection, `selection-change`
 * (detail `{id}`, null when the detail closes) whenever another trajectory is
 * shown, and re-fires `trajectory-select` from the list.
 */
import { css, html, LitElement, type PropertyValues } from 'lit';
import type { TrajectoryStore } from '../../public-types.js';
import { EMPTY_VIEW, isNarrowed, searchText, viewFilter, type BrowserView } from '../data/browser-view.js';
import { formatCountOf } from '../format/numbers.js';
import { controls, tokens } from './theme.js';
import { defineElement, panelEvent } from './define.js';
import type { AtifTimeline } from './atif-timeline.js';
import type { TrajectoryList } from './trajectory-list.js';
import './trajectory-detail.js';
import './trajectory-filters.js';
import './trajectory-list.js';

export class TrajectoryBrowser extends LitElement {
  static override properties = {
    store: { attribute: false },
    view: { attribute: false },
    selectedId: { attribute: 'selected-id', reflect: true },
    runningIds: { attribute: false },
    agents: { state: true },
    models: { state: true },
    matching: { state: true },
    listed: { state: true },
  };

  declare store: TrajectoryStore | undefined;
  declare view: BrowserView;
  declare selectedId: string | null;
  /** Sessions a recorder is recording now (their stored status says incomplete until they end). */
  declare runningIds: ReadonlySet<string>;
  declare private agents: string[];
  declare private models: string[];
  /** How many trajectories the filters select (unknown while searching). */
  declare private matching: number | null;
  /** How many rows the list shows when it shows every one (no search): the count that matches them exactly. */
  declare private listed: number | null;
  private countGeneration = 0;

  constructor() {
    super();
    this.store = undefined;
    this.view = EMPTY_VIEW;
    this.selectedId = null;
    this.runningIds = new Set();
    this.agents = [];
    this.models = [];
    this.matching = null;
    this.listed = null;
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: flex; flex-direction: column; min-height: 0; gap: 0.7em; container-type: inline-size; }
    .panes { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(19em, 26em) 1fr; gap: 1em; }
    .list-pane { display: flex; flex-direction: column; min-height: 0; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_bg); overflow: hidden; }
    .list-head { padding: 0.45em 0.8em; font-size: 0.82em; color: var(--_muted); border-bottom: 1px solid var(--_border); background: var(--_surface); }
    trajectory-list { flex: 1; min-height: 0; }
    trajectory-detail { min-height: 0; min-width: 0; }
    @container (max-width: 760px) {
      .panes { grid-template-columns: 1fr; }
      :host([selected-id]) .list-pane { display: none; }
      :host(:not([selected-id])) trajectory-detail { display: none; }
    }
  `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store') || changed.has('view')) {
      this.listed = null;
      void this.loadCounts();
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('selectedId') && changed.get('selectedId') !== undefined)
      this.dispatchEvent(panelEvent('selection-change', { id: this.selectedId }));
  }

  /** Opens one trajectory's detail. */
  open(id: string): void {
    this.selectedId = id;
  }

  /** Focuses the search box. */
  focusSearch(): void {
    this.renderRoot.querySelector('trajectory-filters')?.focusSearch();
  }

  /** The open run's steps, if one is shown (for the page's keys). */
  get timeline(): AtifTimeline | null {
    return this.renderRoot.querySelector('trajectory-detail')?.timeline ?? null;
  }

  /** The list element, for a host that wants to refresh it. */
  get list(): TrajectoryList | null {
    return this.renderRoot.querySelector('trajectory-list');
  }

  override render() {
    return html`
      <trajectory-filters .view=${this.view} .agents=${this.agents} .models=${this.models} @view-change=${this.viewChanged}></trajectory-filters>
      <div class="panes">
        <section class="list-pane" aria-label="Trajectory list">
          <div class="list-head" role="status">${this.countText()}</div>
          <trajectory-list .store=${this.store} .view=${this.view} .selectedId=${this.selectedId} .runningIds=${this.runningIds}
            label=${searchText(this.view) === null ? 'Trajectories' : 'Search results'}
            @trajectory-select=${this.listSelected} @results-change=${this.resultsChanged}></trajectory-list>
        </section>
        <trajectory-detail .store=${this.store} .trajectoryId=${this.selectedId} .runningIds=${this.runningIds} ?closable=${true}
          @trajectory-select=${this.linkSelected} @trajectory-deleted=${this.deleted}
          @close=${this.closeDetail}></trajectory-detail>
      </div>
    `;
  }

  private countText() {
    if (searchText(this.view) !== null)
      return `Search results${isNarrowed({ ...this.view, text: '' }) ? ', filtered' : ''}, best match first unless sorted`;
    const count = this.listed ?? this.matching;
    if (count === null) return 'Counting…';
    return formatCountOf(
      count,
      isNarrowed(this.view) ? 'matching trajectory' : 'trajectory',
      isNarrowed(this.view) ? 'matching trajectories' : 'trajectories',
    );
  }

  private async loadCounts(): Promise<void> {
    const store = this.store;
    if (!store) return;
    const generation = ++this.countGeneration;
    try {
      const [all, filtered] = await Promise.all([
        store.getStats(),
        isNarrowed({ ...this.view, text: '' }) ? store.getStats(viewFilter(this.view)) : null,
      ]);
      if (generation !== this.countGeneration) return;
      this.agents = all.byAgent.map((g) => g.agentName).sort((a, b) => a.localeCompare(b));
      this.models = all.byModel
        .map((g) => g.modelName)
        .filter((m): m is string => m !== null)
        .sort((a, b) => a.localeCompare(b));
      this.matching = (filtered ?? all).totals.count;
    } catch {
      // The list shows the store's errors; the counts are a nicety.
    }
  }

  /**
   * The list's rows changed (it reloads on every store change): the count follows them at once, so that the
   * header never says 4 over 5 rows. A list that shows every row is its own count; else the store counts.
   */
  private resultsChanged(event: CustomEvent<{ loaded: number; complete: boolean }>): void {
    const { loaded, complete } = event.detail;
    this.listed = complete && searchText(this.view) === null ? loaded : null;
    void this.loadCounts();
  }

  private viewChanged(event: CustomEvent<BrowserView>): void {
    event.stopPropagation();
    this.view = event.detail;
    this.dispatchEvent(panelEvent('view-change', this.view));
  }

  private listSelected(event: CustomEvent<{ id: string }>): void {
    this.selectedId = event.detail.id;
  }

  private linkSelected(event: CustomEvent<{ id: string }>): void {
    event.stopPropagation();
    this.open(event.detail.id);
  }

  private deleted(): void {
    this.selectedId = null;
    // Where the focus was (the detail's Delete button, about to go): the list. Not if the person moved on while
    // the delete was under way, say into the search box: their typing must not land in the list.
    if (focusLeftIn(this.renderRoot.querySelector('trajectory-detail'))) this.list?.focusList();
  }

  private closeDetail(): void {
    this.selectedId = null;
    void this.updateComplete.then(() => this.list?.focusList());
  }
}

/** True when the focus is inside `element` (through shadow roots), or on nothing (the page's body). */
function focusLeftIn(element: Element | null): boolean {
  let focused = document.activeElement;
  if (focused === null || focused === document.body) return true;
  for (;;) {
    if (focused === element) return true;
    const inner: Element | null | undefined = focused?.shadowRoot?.activeElement;
    if (!inner) return false;
    focused = inner;
  }
}

defineElement('trajectory-browser', TrajectoryBrowser);

declare global {
  interface HTMLElementTagNameMap {
    'trajectory-browser': TrajectoryBrowser;
  }
}
