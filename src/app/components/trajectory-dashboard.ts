/**
 * `<trajectory-dashboard>`: totals, and counts, tokens and cost per day by
 * agent or by model (Chart.js), with tables by agent and by model. Follows
 * a BrowserView's filters (not its search text: stats cover filters only)
 * and refreshes as the store changes. Fires `dashboard-change` (detail
 * `{range, groupBy}`) when the person picks a range or a grouping.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { StatsGroup, TrajectoryStats, TrajectoryStore } from '../../public-types.js';
import { EMPTY_VIEW, isNarrowed, viewFilter, type BrowserView } from '../data/browser-view.js';
import { timeSeries, NO_MODEL_LABEL, type DaySpan, type GroupBy } from '../data/chart-series.js';
import {
  isTimeRange,
  rangeSpan,
  startedWithin,
  TIME_RANGE_LABELS,
  TIME_RANGES,
  type TimeRange,
} from '../data/time-range.js';
import { formatCost, formatCount, formatScore, formatTokens, knownShare, UNKNOWN } from '../format/numbers.js';
import { StoreChangesController } from './store-changes.js';
import { controls, tokens } from './theme.js';
import { defineElement, panelEvent } from './define.js';
import type { DashboardState } from '../data/app-route.js';
import './stats-chart.js';
import './ts-error-notice.js';

export class TrajectoryDashboard extends LitElement {
  static override properties = {
    store: { attribute: false },
    view: { attribute: false },
    groupBy: { attribute: 'group-by' },
    range: {},
    stats: { state: true },
    span: { state: true },
    error: { state: true },
  };

  declare store: TrajectoryStore | undefined;
  /** The filters to follow (its search text is ignored). */
  declare view: BrowserView;
  declare groupBy: GroupBy;
  /** The runs that started in the last N days (`7`, `30`, `90`, `365`, `730`), or `all`. */
  declare range: TimeRange;
  declare private stats: TrajectoryStats | null;
  /** The days the charts cover at least: the range's, as it was when the figures were read. */
  declare private span: DaySpan | null;
  declare private error: unknown;
  private generation = 0;
  private readonly changes = new StoreChangesController(this, () => void this.load(), 1_000, 5_000);

  constructor() {
    super();
    this.store = undefined;
    this.view = EMPTY_VIEW;
    this.groupBy = 'agent';
    this.range = 'all';
    this.stats = null;
    this.span = null;
    this.error = null;
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: block; }
    .head { display: flex; flex-wrap: wrap; gap: 0.6em; align-items: center; justify-content: space-between; margin-bottom: 1em; }
    .scope { font-size: 0.85em; color: var(--_muted); }
    .segmented { display: inline-flex; border: 1px solid var(--_border); border-radius: calc(var(--_radius) - 2px); overflow: hidden; }
    .segmented button { border: 0; border-radius: 0; }
    .segmented button[aria-pressed='true'] { background: var(--_accent); color: var(--_accent-text); }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9em, 1fr)); gap: 0.7em; margin-bottom: 1.2em; }
    .card { padding: 0.8em 0.9em; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_raised); }
    .card .value { font-size: 1.5em; font-weight: 700; font-variant-numeric: tabular-nums; }
    .note { font-size: 0.78em; color: var(--_muted); font-weight: 400; }
    .card .name { font-size: 0.8em; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; }
    .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 24em), 1fr)); gap: 1em; margin-bottom: 1.2em; }
    figure { margin: 0; padding: 0.8em; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_raised); }
    figcaption { font-weight: 600; margin-bottom: 0.5em; }
    .tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 24em), 1fr)); gap: 1em; }
    table { width: 100%; border-collapse: collapse; font-size: 0.9em; }
    caption { text-align: start; font-weight: 600; margin-bottom: 0.4em; }
    th, td { padding: 0.35em 0.5em; border-bottom: 1px solid var(--_border); text-align: end; font-variant-numeric: tabular-nums; }
    th:first-child, td:first-child { text-align: start; overflow-wrap: anywhere; }
    thead th { font-size: 0.8em; color: var(--_muted); font-weight: 600; }
  `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) this.changes.watch(this.store);
    if (changed.has('store') || changed.has('view') || changed.has('range')) void this.load();
  }

  override render() {
    const stats = this.stats;
    const narrowed = isNarrowed({ ...this.view, text: '' });
    return html`
      <div class="head">
        <span class="scope">${narrowed ? 'Trajectories matching the browser’s filters' : 'Every stored trajectory'}${this.view.text.trim() ? ' (the search text does not apply here)' : ''}</span>
        <select aria-label="Runs started in" title="Runs by the day they started (their first step, else when they were saved)" .value=${this.range} @change=${this.rangeChanged}>
          ${TIME_RANGES.map((value) => html`<option value=${value} ?selected=${value === this.range}>${TIME_RANGE_LABELS[value]}</option>`)}
        </select>
        <div class="segmented" role="group" aria-label="Group charts by">
          ${(['agent', 'model'] as const).map((g) => html`<button aria-pressed=${this.groupBy === g ? 'true' : 'false'} @click=${() => this.choose({ groupBy: g })}>By ${g}</button>`)}
        </div>
      </div>
      <ts-error-notice heading="The figures could not be loaded" .error=${this.error}></ts-error-notice>
      ${stats ? this.renderStats(stats) : html`<p class="muted" role="status">Loading…</p>`}
    `;
  }

  private renderStats(stats: TrajectoryStats) {
    const t = stats.totals;
    const by = this.groupBy;
    const money = (v: number) => formatCost(v);
    // A line needs a few days to say anything; before that, bars like the other charts.
    const span = this.span ?? undefined;
    const count = timeSeries(stats, by, 'count', undefined, span);
    const tokens = timeSeries(stats, by, 'totalTokens', undefined, span);
    const cost = timeSeries(stats, by, 'totalCostUsd', undefined, span);
    const per = count.bucket;
    return html`
      <div class="cards">
        <div class="card"><div class="name">Trajectories</div><div class="value">${formatCount(t.count)}</div></div>
        <div class="card"><div class="name">Steps</div><div class="value">${formatCount(t.stepCount)}</div></div>
        <div class="card"><div class="name">Tokens</div><div class="value">${formatTokens(t.totalTokens)}</div>${cardNote(t.totalTokens, t.countWithTokens, t.count)}</div>
        <div class="card"><div class="name">Cost</div><div class="value">${formatCost(t.totalCostUsd)}</div>${cardNote(t.totalCostUsd, t.countWithCost, t.count)}</div>
        <div class="card"><div class="name">Average score</div><div class="value">${formatScore(t.averageScore)}</div></div>
      </div>
      <div class="charts">
        <figure>
          <figcaption>Trajectories per ${per}, by ${by}</figcaption>
          <stats-chart type="bar" whole-numbers label="Trajectories per ${per} by ${by}" .data=${count}></stats-chart>
        </figure>
        <figure>
          <figcaption>Tokens per ${per}, by ${by}</figcaption>
          <stats-chart type="bar" label="Tokens per ${per} by ${by}" .data=${tokens} .formatValue=${formatTokens}></stats-chart>
        </figure>
        <figure>
          <figcaption>Cost per ${per} (USD), by ${by}</figcaption>
          <stats-chart type=${cost.days.length < 3 ? 'bar' : 'line'} label="Cost per ${per} by ${by}" .data=${cost} .formatValue=${money}></stats-chart>
        </figure>
      </div>
      <div class="tables">
        ${this.renderTable(
          'By agent',
          'Agent',
          stats.byAgent.map((g) => ({ name: g.agentName, group: g })),
        )}
        ${this.renderTable(
          'By model',
          'Model',
          stats.byModel.map((g) => ({ name: g.modelName ?? NO_MODEL_LABEL, group: g })),
        )}
      </div>
    `;
  }

  private renderTable(caption: string, column: string, rows: Array<{ name: string; group: StatsGroup }>) {
    return html`<table>
      <caption>${caption}</caption>
      <thead><tr><th scope="col">${column}</th><th scope="col">Trajectories</th><th scope="col">Steps</th><th scope="col">Tokens</th><th scope="col">Cost</th><th scope="col">Avg score</th></tr></thead>
      <tbody>
        ${rows.length === 0 ? html`<tr><td colspan="6" class="muted">None</td></tr>` : nothing}
        ${rows.map(
          ({
            name,
            group,
          }) => html`<tr><th scope="row">${name}</th><td>${formatCount(group.count)}</td><td>${formatCount(group.stepCount)}</td>
          <td>${partial(formatTokens(group.totalTokens), group.countWithTokens, group.count)}</td><td>${partial(formatCost(group.totalCostUsd), group.countWithCost, group.count)}</td><td>${formatScore(group.averageScore)}</td></tr>`,
        )}
      </tbody>
    </table>`;
  }

  private rangeChanged(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    if (isTimeRange(value)) this.choose({ range: value });
  }

  /** The person chose a range or grouping: show it, and tell the page (which keeps it in the URL). */
  private choose(choice: Partial<DashboardState>): void {
    const next: DashboardState = { range: this.range, groupBy: this.groupBy, ...choice };
    this.range = next.range;
    this.groupBy = next.groupBy;
    this.dispatchEvent(panelEvent('dashboard-change', next));
  }

  private async load(): Promise<void> {
    const store = this.store;
    if (!store) return;
    const generation = ++this.generation;
    const span = rangeSpan(this.range);
    try {
      const stats = await store.getStats({ ...viewFilter(this.view), ...(span ? startedWithin(span) : {}) });
      if (generation !== this.generation) return;
      this.stats = stats;
      this.span = span;
      this.error = null;
    } catch (error) {
      if (generation === this.generation) this.error = error;
    }
  }
}

/** Under a card's sum: "unknown" when no trajectory reports the figure, "3 of 5 known" when only some do. */
function cardNote(sum: number | null, known: number, count: number) {
  const note = sum === null ? (count > 0 ? 'unknown' : null) : knownShare(known, count);
  return note ? html`<div class="note">${note}</div>` : nothing;
}

/** A table's sum, with how many it covers when that is not all. */
function partial(text: string, known: number, count: number) {
  const share = knownShare(known, count);
  return text === UNKNOWN || !share ? text : html`${text} <span class="note">(${share})</span>`;
}

defineElement('trajectory-dashboard', TrajectoryDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'trajectory-dashboard': TrajectoryDashboard;
  }
}
