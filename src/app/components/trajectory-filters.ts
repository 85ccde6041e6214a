/**
 * `<trajectory-filters>`: the search box, filters and sort of the browser.
 * Fires `view-change` (detail: the new BrowserView) as the person edits it;
 * typing in the search box is debounced.
 */
import { css, html, LitElement, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { ORDER_BY, type OrderBy } from '../../schema/query.js';
import { TRAJECTORY_STATUSES } from '../../schema/status.js';
import { EMPTY_VIEW, isNarrowed, ORDER_BY_LABELS, STATUS_LABELS, type BrowserView } from '../data/browser-view.js';
import { debounce } from '../data/debounce.js';
import { controls, tokens } from './theme.js';
import { defineElement, panelEvent } from './define.js';

const SEARCH_DEBOUNCE_MS = 250;

export class TrajectoryFilters extends LitElement {
  static override properties = {
    view: { attribute: false },
    agents: { attribute: false },
    models: { attribute: false },
    expanded: { type: Boolean, reflect: true },
  };

  declare view: BrowserView;
  /** Agent and model names to offer (from the store's stats). */
  declare agents: string[];
  declare models: string[];
  /** The less used filters are shown. */
  declare expanded: boolean;

  private pendingText: string | null = null;
  private readonly commitText = debounce(() => {
    if (this.pendingText !== null) this.change({ text: this.pendingText });
    this.pendingText = null;
  }, SEARCH_DEBOUNCE_MS);

  constructor() {
    super();
    this.view = EMPTY_VIEW;
    this.agents = [];
    this.models = [];
    this.expanded = false;
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: block; }
    form { display: grid; gap: 0.55em; }
    .row { display: flex; flex-wrap: wrap; gap: 0.45em; align-items: center; }
    .search { flex: 1 1 16em; display: flex; }
    .search input { flex: 1; padding-block: 0.45em; }
    label.field { display: inline-flex; flex-direction: column; gap: 0.1em; font-size: 0.8em; color: var(--_muted); }
    label.field > :is(input, select) { font-size: 1.25em; color: var(--_text); }
    .more { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5em, 1fr)); gap: 0.5em 0.6em; padding: 0.6em;
      border: 1px dashed var(--_border); border-radius: var(--_radius); }
    .pair { display: flex; flex-wrap: wrap; gap: 0.3em; }
    .pair input { flex: 1 1 0; min-width: 0; width: 100%; }
    /* A date field needs room for the whole date and its picker button. */
    fieldset.dates { grid-column: 1 / -1; }
    .pair input[type='date'] { flex: 1 1 10.5em; min-width: 10.5em; max-width: 14em; }
    fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
    legend { font-size: 0.8em; color: var(--_muted); padding: 0; margin-bottom: 0.1em; }
    select { max-width: 12em; }
    .selects { display: contents; }
    /* Narrow screens: the search and the Filters button; the rest opens with it. */
    @media (max-width: 600px) {
      .selects { display: none; }
      :host([expanded]) .selects { display: flex; flex-wrap: wrap; gap: 0.45em; flex-basis: 100%; order: 5; }
      :host([expanded]) .selects select { flex: 1 1 45%; max-width: none; }
    }
  `,
  ];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.commitText.cancel();
  }

  override render() {
    const v = this.view;
    const narrowed = isNarrowed(v);
    const withCurrent = (names: string[], current: string) =>
      current && !names.includes(current) ? [current, ...names] : names;
    return html`
      <form role="search" aria-label="Search and filter trajectories" @submit=${(e: Event) => e.preventDefault()}>
        <div class="row">
          <div class="search">
            <input type="search" name="text" aria-label="Search trajectories" placeholder="Search messages, tools, tests…" title="Words, &quot;exact phrase&quot;, pars* (prefix), -word (without), a OR b"
              .value=${live(this.pendingText ?? v.text)} @input=${this.typed} @keydown=${this.searchKey} />
          </div>
          <div class="selects">
          <select aria-label="Kind" .value=${live(v.kind)} @change=${(e: Event) => this.change({ kind: value(e) as BrowserView['kind'] })}>
            <option value="">All kinds</option>
            <option value="atif">Agent runs (ATIF)</option>
            <option value="testgen">Test generation</option>
          </select>
          <select aria-label="Status" .value=${live(v.status)} @change=${(e: Event) => this.change({ status: value(e) as BrowserView['status'] })}>
            <option value="">Any status</option>
            ${TRAJECTORY_STATUSES.map((status) => html`<option value=${status} ?selected=${status === v.status}>${STATUS_LABELS[status]}</option>`)}
          </select>
          <select aria-label="Agent" .value=${live(v.agentName)} @change=${(e: Event) => this.change({ agentName: value(e) })}>
            <option value="">All agents</option>
            ${withCurrent(this.agents, v.agentName).map((name) => html`<option .value=${name} ?selected=${name === v.agentName}>${name}</option>`)}
          </select>
          <select aria-label="Model" .value=${live(v.modelName)} @change=${(e: Event) => this.change({ modelName: value(e) })}>
            <option value="">All models</option>
            ${withCurrent(this.models, v.modelName).map((name) => html`<option .value=${name} ?selected=${name === v.modelName}>${name}</option>`)}
          </select>
          <select aria-label="Sort by" .value=${live(v.orderBy)} @change=${(e: Event) => this.change({ orderBy: value(e) as '' | OrderBy })}>
            <option value="">${v.text.trim() ? 'Best match' : 'Newest'}</option>
            ${ORDER_BY.map((key) => html`<option value=${key} ?selected=${key === v.orderBy}>${ORDER_BY_LABELS[key]}</option>`)}
          </select>
          <button type="button" ?disabled=${!v.orderBy} aria-label=${v.order === 'desc' ? 'Sort order: descending (change to ascending)' : 'Sort order: ascending (change to descending)'}
            title=${v.order === 'desc' ? 'Descending' : 'Ascending'} @click=${() => this.change({ order: v.order === 'desc' ? 'asc' : 'desc' })}>
            ${v.order === 'desc' ? '↓' : '↑'}
          </button>
          </div>
          <button type="button" aria-expanded=${this.expanded ? 'true' : 'false'} aria-controls="more" @click=${() => (this.expanded = !this.expanded)}>
            Filters${this.countMore() > 0 ? html` <span class="badge running">${this.countMore()}</span>` : nothing}
          </button>
          ${narrowed ? html`<button type="button" class="quiet" @click=${this.clear}>Clear</button>` : nothing}
        </div>
        <div class="more" id="more" ?hidden=${!this.expanded}>
          <label class="field">Task
            <input type="text" .value=${live(v.taskId)} placeholder="task id" @change=${(e: Event) => this.change({ taskId: value(e) })} />
          </label>
          <fieldset class="dates">
            <legend>Saved between</legend>
            <div class="pair">
              <input type="date" aria-label="Saved from" .value=${live(v.createdFrom)} @change=${(e: Event) => this.change({ createdFrom: value(e) })} />
              <input type="date" aria-label="Saved until" .value=${live(v.createdTo)} @change=${(e: Event) => this.change({ createdTo: value(e) })} />
            </div>
          </fieldset>
          <fieldset>
            <legend>Cost (USD)</legend>
            <div class="pair">
              <input type="number" min="0" step="0.01" aria-label="Minimum cost in US dollars" placeholder="min"
                .value=${live(v.minCostUsd)} @change=${(e: Event) => this.change({ minCostUsd: value(e) })} />
              <input type="number" min="0" step="0.01" aria-label="Maximum cost in US dollars" placeholder="max"
                .value=${live(v.maxCostUsd)} @change=${(e: Event) => this.change({ maxCostUsd: value(e) })} />
            </div>
          </fieldset>
          <fieldset>
            <legend>Score (1–10)</legend>
            <div class="pair">
              <input type="number" min="1" max="10" step="0.5" aria-label="Minimum score" placeholder="min"
                .value=${live(v.minScore)} @change=${(e: Event) => this.change({ minScore: value(e) })} />
              <input type="number" min="1" max="10" step="0.5" aria-label="Maximum score" placeholder="max"
                .value=${live(v.maxScore)} @change=${(e: Event) => this.change({ maxScore: value(e) })} />
            </div>
          </fieldset>
        </div>
      </form>
    `;
  }

  /** Puts the focus in the search box. */
  focusSearch(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=search]')?.focus();
  }

  private countMore(): number {
    const v = this.view;
    return [
      v.taskId.trim(),
      v.createdFrom || v.createdTo,
      v.minCostUsd || v.maxCostUsd,
      v.minScore || v.maxScore,
    ].filter(Boolean).length;
  }

  private typed(event: Event): void {
    this.pendingText = value(event);
    this.commitText();
  }

  private searchKey(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    // Enter searches at once.
    this.commitText.cancel();
    if (this.pendingText !== null) this.change({ text: this.pendingText });
    this.pendingText = null;
  }

  private clear(): void {
    this.commitText.cancel();
    this.pendingText = null;
    this.change({ ...EMPTY_VIEW });
  }

  private change(patch: Partial<BrowserView>): void {
    this.view = { ...this.view, ...patch };
    this.dispatchEvent(panelEvent('view-change', this.view));
  }
}

function value(event: Event): string {
  return (event.target as HTMLInputElement | HTMLSelectElement).value;
}

defineElement('trajectory-filters', TrajectoryFilters);

declare global {
  interface HTMLElementTagNameMap {
    'trajectory-filters': TrajectoryFilters;
  }
}
