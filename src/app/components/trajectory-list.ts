/**
 * `<trajectory-list>`: every stored trajectory that the view selects, in a
 * virtualized listbox: only the rows in sight are in the DOM, and keyset
 * pages are loaded as the person scrolls towards the end, so it stays smooth
 * at 100,000 trajectories. Arrow keys, Page Up/Down, Home and End move
 * through it; the selection follows after a short pause, Enter opens at once.
 *
 * Fires `trajectory-select` (detail `{id}`) and `results-change` (detail
 * `{loaded, complete}`).
 */
import '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { TrajectoryStore } from '../../public-types.js';
import { EMPTY_VIEW, isNarrowed, searchText, viewQuery, type BrowserView } from '../data/browser-view.js';
import { debounce } from '../data/debounce.js';
import { ResultPages, type ResultRow } from '../data/result-pages.js';
import { formatRelative } from '../format/numbers.js';
import { StoreChangesController } from './store-changes.js';
import {
  conformanceBadge,
  kindBadge,
  renderSnippet,
  statusBadge,
  summaryFigures,
  summaryTitle,
} from './summary-parts.js';
import { controls, tokens } from './theme.js';
import { defineElement, panelEvent } from './define.js';
import './ts-error-notice.js';

/** Rows per keyset page. */
const PAGE_SIZE = 100;
/** Load the next page when the rows in sight come this close to the end of what is loaded. */
const PREFETCH_ROWS = 40;
const KEY_SELECT_DELAY_MS = 250;

export class TrajectoryList extends LitElement {
  static override properties = {
    store: { attribute: false },
    view: { attribute: false },
    selectedId: { attribute: 'selected-id', reflect: true },
    runningIds: { attribute: false },
    label: {},
    activeIndex: { state: true },
    pagesVersion: { state: true },
  };

  declare store: TrajectoryStore | undefined;
  declare view: BrowserView;
  declare selectedId: string | null;
  /** Sessions a recorder is recording now: shown as running, whatever their last save says. */
  declare runningIds: ReadonlySet<string>;
  /** The listbox's accessible name. */
  declare label: string;
  declare private activeIndex: number;
  /** Bumped whenever the loaded rows change, to re-render. */
  declare private pagesVersion: number;

  private pages: ResultPages | null = null;
  // Any save may add, move or drop rows in sight (order, filters): reload what is shown, soon enough that a
  // running row keeps pace with the recorder's checkpoints (and its live card).
  private readonly changes = new StoreChangesController(this, () => void this.pages?.reload(), 50, 250);
  private readonly selectActive = debounce(() => this.selectIndex(this.activeIndex), KEY_SELECT_DELAY_MS);

  constructor() {
    super();
    this.store = undefined;
    this.view = EMPTY_VIEW;
    this.selectedId = null;
    this.runningIds = new Set();
    this.label = 'Trajectories';
    this.activeIndex = -1;
    this.pagesVersion = 0;
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: flex; flex-direction: column; min-height: 0; }
    lit-virtualizer { flex: 1; min-height: 8em; outline: none; border-radius: var(--_radius); contain: strict; }
    lit-virtualizer:focus-visible { box-shadow: var(--_focus); }
    .row {
      width: 100%; display: grid; grid-template-columns: 1fr auto; gap: 0.15em 0.6em; padding: 0.6em 0.8em;
      border-bottom: 1px solid var(--_border); cursor: pointer; background: var(--_bg);
    }
    .row:hover { background: var(--_surface); }
    .row.active { box-shadow: inset 3px 0 0 var(--_accent); background: var(--_surface); }
    .row[aria-selected='true'] { background: var(--_tint); box-shadow: inset 3px 0 0 var(--_accent); }
    .title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
    .when { font-size: 0.8em; color: var(--_muted); white-space: nowrap; }
    .meta { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 0.35em; align-items: center; font-size: 0.85em; color: var(--_muted); min-width: 0; }
    .figures { grid-column: 1 / -1; font-size: 0.85em; color: var(--_muted); }
    .meta .model { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 16em; }
    .snippet { grid-column: 1 / -1; font-size: 0.85em; color: var(--_muted); overflow: hidden; display: -webkit-box;
      -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow-wrap: anywhere; }
    .footer { padding: 0.45em 0.8em; font-size: 0.8em; color: var(--_muted); border-top: 1px solid var(--_border); }
    .empty { padding: 2em 1em; text-align: center; color: var(--_muted); }
  `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) this.changes.watch(this.store);
    if (changed.has('store') || changed.has('view')) this.restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.selectActive.cancel();
  }

  /** Reads the shown rows again (after changes the store did not announce to this page). */
  refresh(): Promise<void> {
    return this.pages?.reload() ?? Promise.resolve();
  }

  /** Puts the keyboard focus on the list. */
  focusList(): void {
    this.virtualizer()?.focus();
  }

  /** The rows loaded so far. */
  get rows(): readonly ResultRow[] {
    return this.pages?.rows ?? [];
  }

  override render() {
    const pages = this.pages;
    const rows = pages?.rows ?? [];
    const active = this.activeIndex >= 0 && this.activeIndex < rows.length ? this.activeIndex : -1;
    const empty = pages !== null && !pages.loading && rows.length === 0 && !pages.error;
    return html`
      <ts-error-notice heading="The list could not be loaded" .error=${pages?.error ?? null}></ts-error-notice>
      <lit-virtualizer scroller role="listbox" tabindex="0" aria-label=${this.label}
        aria-activedescendant=${active >= 0 ? `row-${active}` : nothing}
        aria-busy=${pages?.loading ? 'true' : 'false'}
        ?hidden=${empty}
        .items=${rows}
        .keyFunction=${(row: ResultRow) => row.id}
        .renderItem=${(row: ResultRow, index: number) => this.renderRow(row, index, index === active, pages?.complete ? rows.length : -1)}
        @rangeChanged=${this.rangeChanged}
        @keydown=${this.keydown}
        @focus=${this.focused}
      ></lit-virtualizer>
      ${empty ? html`<p class="empty" role="status">${this.emptyText()}</p>` : nothing}
      <div class="footer" role="status" aria-live="polite">${this.footerText(rows.length)}</div>
    `;
  }

  private renderRow(row: ResultRow, index: number, active: boolean, setSize: number) {
    const selected = row.id === this.selectedId;
    return html`
      <div class="row ${active ? 'active' : ''}" role="option" id="row-${index}" data-id=${row.id}
        aria-selected=${selected ? 'true' : 'false'} aria-posinset=${index + 1} aria-setsize=${setSize}
        @click=${() => this.clicked(index)}>
        <span class="title">${summaryTitle(row)}</span>
        <span class="when" title=${row.createdAt}>${formatRelative(row.createdAt)}</span>
        <span class="meta">
          ${kindBadge(row.kind)} ${statusBadge(this.runningIds.has(row.id) ? 'running' : row.status)} ${conformanceBadge(row)}
          ${row.modelName ? html`<span class="model">${row.modelName}</span>` : nothing}
        </span>
        <span class="figures">${summaryFigures(row)}</span>
        ${row.snippet?.text ? html`<span class="snippet">${renderSnippet(row.snippet)}</span>` : nothing}
      </div>
    `;
  }

  private emptyText(): string {
    if (searchText(this.view) !== null) return 'Nothing matches this search. Try fewer or other words.';
    if (isNarrowed(this.view)) return 'No trajectory matches these filters.';
    return 'No trajectories yet. They appear here as a HUD streams sessions, or import a snapshot.';
  }

  private footerText(loaded: number): string {
    const pages = this.pages;
    if (!pages) return 'No store connected.';
    if (pages.loading && loaded === 0) return 'Loading…';
    if (loaded === 0) return '';
    const searching = searchText(this.view) !== null;
    const noun = searching ? (loaded === 1 ? 'match' : 'matches') : loaded === 1 ? 'trajectory' : 'trajectories';
    if (!pages.complete) return `${loaded.toLocaleString()} ${noun} loaded; scroll for more`;
    // The browser's header counts the listed trajectories; a search's matches are only counted here.
    return searching ? `${loaded.toLocaleString()} ${noun}` : 'End of the list';
  }

  private restart(): void {
    this.pages?.abandon();
    this.pages = null;
    this.activeIndex = -1;
    const store = this.store;
    if (!store) return;
    const view = this.view;
    const text = searchText(view);
    const pages = new ResultPages(
      (cursor, limit = PAGE_SIZE) => {
        const query = viewQuery(view, Math.max(PAGE_SIZE, limit), cursor);
        return text === null ? store.listTrajectories(query) : store.searchTrajectories(text, query);
      },
      () => {
        if (this.pages !== pages) return;
        this.pagesVersion++;
        this.dispatchEvent(panelEvent('results-change', { loaded: pages.rows.length, complete: pages.complete }));
      },
    );
    this.pages = pages;
    void pages.loadMore();
  }

  private rangeChanged(event: RangeChangedEvent): void {
    const pages = this.pages;
    if (pages && event.last >= pages.rows.length - PREFETCH_ROWS) void pages.loadMore();
  }

  private focused(): void {
    if (this.activeIndex >= 0 || this.rows.length === 0) return;
    const selected = this.rows.findIndex((row) => row.id === this.selectedId);
    this.activeIndex = Math.max(selected, 0);
  }

  private keydown(event: KeyboardEvent): void {
    const count = this.rows.length;
    if (count === 0) return;
    const pageRows = 10;
    let next: number | null = null;
    switch (event.key) {
      case 'ArrowDown':
      case 'j':
        next = this.activeIndex + 1;
        break;
      case 'ArrowUp':
      case 'k':
        next = this.activeIndex - 1;
        break;
      case 'PageDown':
        next = this.activeIndex + pageRows;
        break;
      case 'PageUp':
        next = this.activeIndex - pageRows;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = count - 1;
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.selectActive.cancel();
        this.selectIndex(this.activeIndex);
        return;
      default:
        return;
    }
    event.preventDefault();
    this.moveTo(Math.max(0, Math.min(count - 1, next)));
    this.selectActive();
  }

  private moveTo(index: number): void {
    this.activeIndex = index;
    this.virtualizer()?.element(index)?.scrollIntoView({ block: 'nearest' });
    if (index >= this.rows.length - PREFETCH_ROWS) void this.pages?.loadMore();
  }

  private clicked(index: number): void {
    this.activeIndex = index;
    this.selectActive.cancel();
    this.selectIndex(index);
  }

  private selectIndex(index: number): void {
    const row = this.rows[index];
    if (!row || row.id === this.selectedId) return;
    this.selectedId = row.id;
    this.dispatchEvent(panelEvent('trajectory-select', { id: row.id }));
  }

  private virtualizer(): LitVirtualizer | null {
    return this.renderRoot.querySelector('lit-virtualizer');
  }
}

defineElement('trajectory-list', TrajectoryList);

declare global {
  interface HTMLElementTagNameMap {
    'trajectory-list': TrajectoryList;
  }
}
