/**
 * `<batch-compare>`: two filtered sets of trajectories paired by a key, from
 * `store.compareBatches(queryA, queryB, {by})`. Pick the two filters and the
 * key, see the totals and the pairs as a table sorted by what changed
 * (outcome flips first); each paired row opens the pair side by side.
 *
 * Fires `batch-change` (detail `{queryA, queryB, by}`) when a comparison is run,
 * `compare-open` (detail `{a, b}`: two ids) from a pair's row, and
 * `trajectory-select` ({id}) from a row with one side only.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { BatchComparison, BatchPair, BatchSide, TrajectoryFilter, TrajectoryStore } from '../../public-types.js';
import { batchComparisonMarkdown, comparisonJson, PAIR_CHANGE_TEXT } from '../../store/compare/export.js';
import { formatCost, formatScore, formatTokens } from '../format/numbers.js';
import { downloadFile, downloadName } from '../io/download.js';
import { defineElement, panelEvent } from './define.js';
import { controls, tokens } from './theme.js';
import './ts-error-notice.js';

type LoadState =
  | { kind: 'none' }
  | { kind: 'loading' }
  | { kind: 'loaded'; comparison: BatchComparison }
  | { kind: 'failed'; error: unknown };

/** The filter fields the form offers; each is a text input (dates as yyyy-mm-dd). */
const FIELDS = [
  { key: 'agentName', label: 'Agent' },
  { key: 'modelName', label: 'Model' },
  { key: 'createdFrom', label: 'Saved from', type: 'date' },
  { key: 'createdTo', label: 'Saved to', type: 'date' },
] as const;

/** Pairs shown at first; the rest on demand (the JSON export has them all). */
const FIRST_ROWS = 500;

export class BatchCompare extends LitElement {
  static override properties = {
    store: { attribute: false },
    queryA: { attribute: false },
    queryB: { attribute: false },
    by: { reflect: true },
    state: { state: true },
    shown: { state: true },
  };

  declare store: TrajectoryStore | undefined;
  /** Side A's filters. */
  declare queryA: TrajectoryFilter;
  /** Side B's filters. */
  declare queryB: TrajectoryFilter;
  /** The key pairs are made by: `taskId`, `sessionId` or `extra.<path>`. */
  declare by: string;
  declare private state: LoadState;
  declare private shown: number;
  private generation = 0;

  constructor() {
    super();
    this.store = undefined;
    this.queryA = {};
    this.queryB = {};
    this.by = 'taskId';
    this.state = { kind: 'none' };
    this.shown = FIRST_ROWS;
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: flex; flex-direction: column; gap: 0.9em; min-height: 0; }
    form { display: grid; gap: 0.7em; }
    .sides { display: flex; flex-wrap: wrap; gap: 1em; }
    fieldset { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.5em 0.8em 0.8em; display: grid; grid-template-columns: auto 1fr; gap: 0.35em 0.6em; align-items: center; min-width: 16em; }
    legend { font-weight: 700; padding: 0 0.3em; }
    label { font-size: 0.88em; color: var(--_muted); }
    .by { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; }
    .actions { display: flex; flex-wrap: wrap; gap: 0.4em; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { text-align: start; padding: 0.25em 0.7em; border-bottom: 1px solid var(--_border); vertical-align: top; }
    th { font-size: 0.8em; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; font-weight: 600; }
    td.num, th.num { text-align: end; }
    .pairs { overflow: auto; }
    tr.flip td { background: color-mix(in srgb, var(--_warning) 9%, transparent); }
    .change-only-a-succeeded, .change-both-failed { color: var(--_danger); font-weight: 600; }
    .change-only-b-succeeded, .change-both-succeeded { color: var(--_success); font-weight: 600; }
    .placeholder { color: var(--_muted); }
    .summary-line { font-size: 0.9em; color: var(--_muted); }
  `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store') && this.state.kind === 'none' && this.hasQuery()) void this.run();
  }

  /** Runs the comparison with the current filters and key. */
  async run(): Promise<void> {
    const generation = ++this.generation;
    const { store } = this;
    if (!store) return;
    this.state = { kind: 'loading' };
    this.shown = FIRST_ROWS;
    try {
      const comparison = await store.compareBatches(this.queryA, this.queryB, { by: this.by as 'taskId' });
      if (generation === this.generation) this.state = { kind: 'loaded', comparison };
    } catch (error) {
      if (generation === this.generation) this.state = { kind: 'failed', error };
    }
  }

  override render() {
    return html`
      <form @submit=${this.submit}>
        <div class="sides">${this.renderSide('A', this.queryA)}${this.renderSide('B', this.queryB)}</div>
        <div class="by">
          <label for="by">Pair by</label>
          <input id="by" name="by" list="by-options" .value=${this.by} placeholder="taskId, sessionId or extra.task_name" size="28" />
          <datalist id="by-options"><option value="taskId"></option><option value="sessionId"></option><option value="extra.task_name"></option></datalist>
          <button class="primary" type="submit">Compare</button>
        </div>
      </form>
      ${this.renderResult()}
    `;
  }

  private renderSide(side: 'A' | 'B', query: TrajectoryFilter): TemplateResult {
    const q = query as Record<string, unknown>;
    return html`<fieldset data-side=${side}>
      <legend>${side}</legend>
      ${FIELDS.map((f) => {
        const id = `${side}-${f.key}`;
        const value = typeof q[f.key] === 'string' ? (q[f.key] as string) : '';
        return html`<label for=${id}>${f.label}</label>
          <input id=${id} name=${id} type=${'type' in f ? f.type : 'text'} .value=${'type' in f ? value.slice(0, 10) : value} />`;
      })}
      <label for="${side}-kind">Kind</label>
      <select id="${side}-kind" name="${side}-kind" .value=${typeof q.kind === 'string' ? q.kind : ''}>
        <option value="">any</option><option value="atif">ATIF runs</option><option value="testgen">testgen sessions</option>
      </select>
    </fieldset>`;
  }

  private renderResult(): TemplateResult | typeof nothing {
    const s = this.state;
    if (s.kind === 'none')
      return html`<p class="placeholder">Choose what each side holds (two agents, two models, two date ranges) and compare.</p>`;
    if (s.kind === 'loading') return html`<p class="placeholder" role="status">Comparing…</p>`;
    if (s.kind === 'failed')
      return html`<ts-error-notice heading="The batches could not be compared" .error=${s.error}></ts-error-notice>`;
    const c = s.comparison;
    const { summary } = c;
    const totals: Array<[string, string, string]> = [
      ['Trajectories', String(summary.a.trajectories), String(summary.b.trajectories)],
      [`Distinct ${c.by}`, String(summary.a.keys), String(summary.b.keys)],
      ['Without a key', String(summary.a.unkeyed), String(summary.b.unkeyed)],
      ['Succeeded', String(summary.a.successes), String(summary.b.successes)],
      ['Failed', String(summary.a.failures), String(summary.b.failures)],
      ['Cost', formatCost(summary.a.costUsd), formatCost(summary.b.costUsd)],
      ['Cost per success', formatCost(summary.a.costPerSuccess), formatCost(summary.b.costPerSuccess)],
      ['Tokens', formatTokens(summary.a.tokens), formatTokens(summary.b.tokens)],
      ['Mean score', formatScore(summary.a.meanScore), formatScore(summary.b.meanScore)],
    ];
    return html`
      <div class="actions">
        <button @click=${() => this.download('md')}>Download Markdown</button>
        <button @click=${() => this.download('json')}>Download JSON</button>
      </div>
      <table aria-label="Batch totals">
        <thead><tr><th></th><th class="num">A</th><th class="num">B</th></tr></thead>
        <tbody>${totals.map(([label, a, b]) => html`<tr><th scope="row">${label}</th><td class="num">${a}</td><td class="num">${b}</td></tr>`)}</tbody>
      </table>
      <p class="summary-line" id="pair-summary">
        ${summary.paired} pairs: ${summary.onlyASucceeded} only A succeeded, ${summary.onlyBSucceeded} only B succeeded,
        ${summary.bothSucceeded} both, ${summary.bothFailed} neither; ${summary.onlyInA} only in A, ${summary.onlyInB} only in B.
        ${summary.score.pairs ? `Score change over ${summary.score.pairs} pairs: ${summary.score.meanDelta?.toFixed(2)} on average (${summary.score.improved} better, ${summary.score.worsened} worse).` : ''}
      </p>
      <div class="pairs">
        <table aria-label="Pairs">
          <thead><tr><th>${c.by}</th><th>Change</th><th>A</th><th>B</th><th class="num">Score Δ</th><th class="num">Cost Δ</th><th class="num">Tokens Δ</th><th></th></tr></thead>
          <tbody>${c.pairs.slice(0, this.shown).map((p) => this.renderPair(p))}</tbody>
        </table>
      </div>
      ${
        c.pairs.length > this.shown
          ? html`<button @click=${() => (this.shown += FIRST_ROWS * 4)}>Show more (${c.pairs.length - this.shown} left)</button>`
          : nothing
      }
    `;
  }

  private renderPair(p: BatchPair): TemplateResult {
    const flip = p.change === 'only-a-succeeded' || p.change === 'only-b-succeeded';
    const delta = (v: number | null, format: (n: number) => string) =>
      v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : ''}${format(Math.abs(v))}`;
    return html`<tr class=${flip ? 'flip' : ''} data-key=${p.key} data-change=${p.change}>
      <td class="mono">${p.key}</td>
      <td class="change-${p.change}">${PAIR_CHANGE_TEXT[p.change]}</td>
      <td>${this.sideText(p.a)}</td>
      <td>${this.sideText(p.b)}</td>
      <td class="num">${delta(p.scoreDelta, (n) => formatScore(n))}</td>
      <td class="num">${delta(p.costDelta, formatCost)}</td>
      <td class="num">${delta(p.tokensDelta, formatTokens)}</td>
      <td>${
        p.a && p.b
          ? html`<button @click=${() => this.dispatchEvent(panelEvent('compare-open', { a: p.a!.id, b: p.b!.id }))}>Open pair</button>`
          : html`<button @click=${() => this.dispatchEvent(panelEvent('trajectory-select', { id: (p.a ?? p.b)!.id }))}>Open</button>`
      }</td>
    </tr>`;
  }

  private sideText(side: BatchSide | null): string {
    if (!side) return '—';
    const parts: string[] = [side.status];
    if (side.score !== null) parts.push(`score ${formatScore(side.score)}`);
    if (side.runs > 1) parts.push(`${side.runs} runs`);
    return parts.join(', ');
  }

  private hasQuery(): boolean {
    return Object.keys(this.queryA).length > 0 || Object.keys(this.queryB).length > 0;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const read = (side: 'A' | 'B'): TrajectoryFilter => {
      const query: Record<string, string> = {};
      for (const f of FIELDS) {
        const value = String(data.get(`${side}-${f.key}`) ?? '').trim();
        if (!value) continue;
        // A date picked for "to" includes that whole day.
        query[f.key] =
          f.key === 'createdTo' ? `${value}T23:59:59.999Z` : f.key === 'createdFrom' ? `${value}T00:00:00.000Z` : value;
      }
      const kind = String(data.get(`${side}-kind`) ?? '');
      if (kind) query.kind = kind;
      return query as TrajectoryFilter;
    };
    this.queryA = read('A');
    this.queryB = read('B');
    this.by = String(data.get('by') ?? '').trim() || 'taskId';
    this.dispatchEvent(panelEvent('batch-change', { queryA: this.queryA, queryB: this.queryB, by: this.by }));
    void this.run();
  }

  private download(kind: 'md' | 'json'): void {
    if (this.state.kind !== 'loaded') return;
    const c = this.state.comparison;
    const text = kind === 'md' ? batchComparisonMarkdown(c) : comparisonJson(c);
    downloadFile(downloadName(kind, `compare-batches-by-${c.by}`), text, kind);
  }
}

defineElement('batch-compare', BatchCompare);

declare global {
  interface HTMLElementTagNameMap {
    'batch-compare': BatchCompare;
  }
}
