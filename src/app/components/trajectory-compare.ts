/**
 * `<trajectory-compare>`: two stored trajectories side by side, from
 * `store.compareTrajectories(a, b)`. ATIF runs: the totals compared at the
 * top, then the aligned steps in two columns (virtualized: 10,000-step runs
 * stay smooth), the first divergence marked and a button that jumps to it,
 * changed tool arguments as a before/after diff. Testgen sessions: totals,
 * rounds per category, and the tests matched side by side. Exports the
 * comparison as Markdown or JSON. Everything from stored data is text.
 *
 * Fires `trajectory-select` ({id}) from a side's title.
 */
import '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type {
  AtifComparison,
  StepAlignment,
  StepBrief,
  TestgenComparison,
  TrajectoryComparison,
  TrajectoryStore,
  TrajectorySummary,
} from '../../public-types.js';
import { comparisonJson, comparisonMarkdown } from '../../store/compare/export.js';
import { formatCost, formatDuration, formatScore, formatTokens } from '../format/numbers.js';
import { downloadFile, downloadName } from '../io/download.js';
import { defineElement, panelEvent } from './define.js';
import { StoreChangesController, changedIds } from './store-changes.js';
import { summaryTitle } from './summary-parts.js';
import { controls, tokens } from './theme.js';
import './ts-error-notice.js';

type LoadState =
  | { kind: 'none' }
  | { kind: 'loading' }
  | { kind: 'loaded'; comparison: TrajectoryComparison }
  | { kind: 'failed'; error: unknown };

const OP_LABEL: Record<StepAlignment['op'], string> = {
  same: 'same',
  changed: 'changed',
  inserted: 'only in B',
  deleted: 'only in A',
};

/** An argument value on one line. */
function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A number with its sign, for B − A. */
function signed(value: number | null, format: (n: number) => string = (n) => n.toLocaleString()): string {
  if (value === null) return '—';
  if (value === 0) return '0';
  return `${value > 0 ? '+' : '−'}${format(Math.abs(value))}`;
}

export class TrajectoryCompare extends LitElement {
  static override properties = {
    store: { attribute: false },
    a: { reflect: true },
    b: { reflect: true },
    state: { state: true },
  };

  declare store: TrajectoryStore | undefined;
  /** The id of trajectory A. */
  declare a: string;
  /** The id of trajectory B. */
  declare b: string;
  declare private state: LoadState;
  private generation = 0;

  private readonly changes = new StoreChangesController(
    this,
    (changes) => {
      const ids = changedIds(changes);
      if (ids === null || ids.has(this.a) || ids.has(this.b)) void this.load(false);
    },
    500,
    3_000,
  );

  constructor() {
    super();
    this.store = undefined;
    this.a = '';
    this.b = '';
    this.state = { kind: 'none' };
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: flex; flex-direction: column; min-height: 0; gap: 0.8em; }
    .head { display: flex; flex-wrap: wrap; gap: 0.5em 1em; align-items: center; }
    .head h2 { font-size: 1.15em; }
    .actions { margin-inline-start: auto; display: flex; flex-wrap: wrap; gap: 0.4em; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { text-align: start; padding: 0.25em 0.8em; border-bottom: 1px solid var(--_border); vertical-align: top; }
    th { font-size: 0.8em; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; font-weight: 600; }
    td.num, th.num { text-align: end; }
    .side-title { background: none; border: 0; padding: 0; color: var(--_accent); font-weight: 600; cursor: pointer; }
    .counts { font-size: 0.9em; color: var(--_muted); }
    details.tools summary { cursor: pointer; font-weight: 600; font-size: 0.9em; }
    .columns-head, .row { display: grid; grid-template-columns: minmax(0, 1fr) 6.5em minmax(0, 1fr); gap: 0.6em; }
    .columns-head { font-size: 0.8em; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; font-weight: 600; }
    lit-virtualizer { flex: 1 0 20em; min-height: 20em; }
    .row { width: 100%; padding: 0.35em 0.4em; border-bottom: 1px solid var(--_border); }
    .row.divergence { box-shadow: inset 3px 0 0 var(--_danger); background: color-mix(in srgb, var(--_danger) 7%, transparent); }
    .op { font-size: 0.78em; font-weight: 700; text-transform: uppercase; letter-spacing: 0.04em; text-align: center; align-self: start; }
    .op-same .op { color: var(--_muted); }
    .op-changed .op { color: var(--_warning); }
    .op-inserted .op { color: var(--_success); }
    .op-deleted .op { color: var(--_danger); }
    .cell { min-width: 0; display: grid; gap: 0.15em; }
    .cell.empty { color: var(--_muted); font-style: italic; font-size: 0.85em; }
    .cell-head { font-size: 0.82em; color: var(--_muted); display: flex; flex-wrap: wrap; gap: 0.2em 0.6em; }
    .cell-head b { color: var(--_text); }
    .tool { font-family: var(--_mono); color: var(--_accent); }
    .text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.92em; }
    .error { color: var(--_danger); font-size: 0.82em; font-weight: 600; }
    .diff { grid-column: 1 / -1; display: grid; gap: 0.2em; font-family: var(--_mono); font-size: 0.84em; padding-inline-start: 0.5em; }
    .diff del { color: var(--_danger); text-decoration: line-through; overflow-wrap: anywhere; }
    .diff ins { color: var(--_success); text-decoration: none; overflow-wrap: anywhere; }
    .moved { font-size: 0.8em; color: var(--_muted); }
    .placeholder { color: var(--_muted); padding: 1em 0; }
    .testgen-tables { display: flex; flex-wrap: wrap; gap: 1.2em; align-items: flex-start; }
  `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) this.changes.watch(this.store);
    if (changed.has('store') || changed.has('a') || changed.has('b')) void this.load(true);
  }

  /** Scrolls to the first aligned row where the two runs part ways. */
  jumpToDivergence(): void {
    if (this.state.kind !== 'loaded' || this.state.comparison.kind !== 'atif') return;
    const row = this.state.comparison.summary.firstDivergence?.row;
    if (row === undefined) return;
    const virtualizer = this.renderRoot.querySelector<LitVirtualizer>('lit-virtualizer');
    virtualizer?.element(row)?.scrollIntoView({ block: 'center' });
  }

  override render() {
    const s = this.state;
    if (s.kind === 'none') return html`<p class="placeholder">Choose two trajectories to compare.</p>`;
    if (s.kind === 'loading') return html`<p class="placeholder" role="status">Comparing…</p>`;
    if (s.kind === 'failed') {
      return html`<ts-error-notice heading="These two cannot be compared" .error=${s.error}></ts-error-notice>`;
    }
    const c = s.comparison;
    return html`
      <div class="head">
        <h2>Comparing ${this.sideButton('A', c.a)} with ${this.sideButton('B', c.b)}</h2>
        <div class="actions">
          ${
            c.kind === 'atif' && c.summary.firstDivergence
              ? html`<button class="primary" @click=${() => this.jumpToDivergence()}>Jump to the divergence</button>`
              : nothing
          }
          <button @click=${() => this.download('md')}>Download Markdown</button>
          <button @click=${() => this.download('json')}>Download JSON</button>
        </div>
      </div>
      ${c.kind === 'atif' ? this.renderAtif(c) : this.renderTestgen(c)}
    `;
  }

  private sideButton(side: 'A' | 'B', summary: TrajectorySummary): TemplateResult {
    return html`<button class="side-title" title=${summary.id} @click=${() => this.dispatchEvent(panelEvent('trajectory-select', { id: summary.id }))}
      >${side}: ${summaryTitle(summary)}${summary.modelName ? ` (${summary.modelName})` : ''}</button>`;
  }

  private renderAtif(c: AtifComparison): TemplateResult {
    const { summary } = c;
    const rows: Array<[string, number | null, number | null, number | null, (n: number) => string]> = [
      ['Steps', summary.a.steps, summary.b.steps, summary.delta.steps, (n) => n.toLocaleString()],
      ['Tool calls', summary.a.toolCalls, summary.b.toolCalls, summary.delta.toolCalls, (n) => n.toLocaleString()],
      ['Steps with errors', summary.a.errors, summary.b.errors, summary.delta.errors, (n) => n.toLocaleString()],
      [
        'Failed tool results',
        summary.a.failedToolResults,
        summary.b.failedToolResults,
        summary.delta.failedToolResults,
        (n) => n.toLocaleString(),
      ],
      ['Tokens', summary.a.tokens, summary.b.tokens, summary.delta.tokens, formatTokens],
      ['Cost', summary.a.costUsd, summary.b.costUsd, summary.delta.costUsd, formatCost],
      ['Duration', summary.a.durationMs, summary.b.durationMs, summary.delta.durationMs, formatDuration],
    ];
    const { counts } = summary;
    const divergence = summary.firstDivergence;
    return html`
      <table aria-label="Totals">
        <thead><tr><th></th><th class="num">A</th><th class="num">B</th><th class="num">B − A</th></tr></thead>
        <tbody>
          ${rows.map(
            ([label, a, b, d, format]) =>
              html`<tr><th scope="row">${label}</th><td class="num">${a === null ? '—' : format(a)}</td><td class="num">${b === null ? '—' : format(b)}</td><td class="num">${signed(d, format)}</td></tr>`,
          )}
        </tbody>
      </table>
      <p class="counts" id="counts">
        ${counts.same.toLocaleString()} same, ${counts.changed.toLocaleString()} changed,
        ${counts.deleted.toLocaleString()} only in A, ${counts.inserted.toLocaleString()} only in B${counts.moved ? ` (${counts.moved} moved)` : ''}.
        ${divergence ? `They part ways at row ${divergence.row + 1}.` : 'They do the same thing step for step.'}
      </p>
      ${
        summary.tools.length
          ? html`<details class="tools"><summary>Tool calls by name</summary>
          <table aria-label="Tool calls by name">
            <thead><tr><th>Tool</th><th class="num">A</th><th class="num">B</th><th class="num">Added</th><th class="num">Removed</th><th class="num">Changed arguments</th></tr></thead>
            <tbody>${summary.tools.map((t) => html`<tr><td class="mono">${t.name}</td><td class="num">${t.a}</td><td class="num">${t.b}</td><td class="num">${t.added}</td><td class="num">${t.removed}</td><td class="num">${t.changedArguments}</td></tr>`)}</tbody>
          </table></details>`
          : nothing
      }
      <div class="columns-head" aria-hidden="true"><span>A</span><span></span><span>B</span></div>
      <lit-virtualizer scroller role="list" aria-label="Aligned steps" tabindex="0"
        .items=${c.alignment as unknown[]}
        .renderItem=${(row: StepAlignment, index: number) => this.renderAlignedRow(c, row, index)}
      ></lit-virtualizer>
    `;
  }

  private renderAlignedRow(c: AtifComparison, row: StepAlignment, index: number): TemplateResult {
    const divergence = c.summary.firstDivergence?.row === index;
    const a = row.a === null ? undefined : c.steps.a[row.a];
    const b = row.b === null ? undefined : c.steps.b[row.b];
    return html`<div class="row op-${row.op} ${divergence ? 'divergence' : ''}" role="listitem" data-op=${row.op} data-row=${index}>
      ${this.renderCell(a, row.movedTo === undefined ? null : `moved to B #${c.steps.b[row.movedTo]?.stepId ?? '?'}`)}
      <span class="op">${divergence ? 'diverges · ' : ''}${OP_LABEL[row.op]}</span>
      ${this.renderCell(b, row.movedFrom === undefined ? null : `moved from A #${c.steps.a[row.movedFrom]?.stepId ?? '?'}`)}
      ${row.op === 'changed' ? this.renderDiff(row, a, b) : nothing}
    </div>`;
  }

  private renderCell(brief: StepBrief | undefined, moved: string | null): TemplateResult {
    if (!brief) return html`<div class="cell empty">—</div>`;
    return html`<div class="cell">
      <div class="cell-head"><b>#${brief.stepId}</b><span>${brief.source}</span>
        ${brief.tools.map((t) => html`<span class="tool">${t}</span>`)}
        ${brief.error ? html`<span class="error">error</span>` : nothing}
        ${brief.failedResults ? html`<span class="error">${brief.failedResults} failed result${brief.failedResults === 1 ? '' : 's'}</span>` : nothing}
      </div>
      ${brief.text ? html`<div class="text">${brief.text}</div>` : nothing}
      ${moved ? html`<div class="moved">${moved}</div>` : nothing}
    </div>`;
  }

  private renderDiff(row: StepAlignment, a: StepBrief | undefined, b: StepBrief | undefined): TemplateResult {
    const lines: TemplateResult[] = [];
    if (row.messageChanged) {
      lines.push(html`<div>message: <del>${a?.text || '(empty)'}</del> → <ins>${b?.text || '(empty)'}</ins></div>`);
    }
    for (const change of row.toolChanges ?? []) {
      if (change.change === 'added') lines.push(html`<div><ins>+ ${change.name}</ins> called only in B</div>`);
      else if (change.change === 'removed') lines.push(html`<div><del>− ${change.name}</del> called only in A</div>`);
      else {
        for (const arg of change.arguments ?? []) {
          lines.push(html`<div class="arg-change">${change.name} ${arg.path || '(arguments)'}:
            <del>${arg.a === undefined ? '(absent)' : compactJson(arg.a)}</del> →
            <ins>${arg.b === undefined ? '(absent)' : compactJson(arg.b)}</ins></div>`);
        }
      }
    }
    if (row.toolOrderChanged) lines.push(html`<div>tool calls in another order</div>`);
    return html`<div class="diff">${lines}</div>`;
  }

  private renderTestgen(c: TestgenComparison): TemplateResult {
    const { summary } = c;
    const n = (v: number) => v.toLocaleString();
    const rows: Array<[string, string, string, string]> = [
      ['Status', summary.a.status, summary.b.status, ''],
      ['Score', formatScore(summary.a.score), formatScore(summary.b.score), signed(summary.delta.score)],
      ['Tests', n(summary.a.tests), n(summary.b.tests), signed(summary.delta.tests)],
      ['Rounds', n(summary.a.rounds), n(summary.b.rounds), signed(summary.delta.rounds)],
      [
        'Tokens',
        formatTokens(summary.a.tokens),
        formatTokens(summary.b.tokens),
        signed(summary.delta.tokens, formatTokens),
      ],
      [
        'Duration',
        formatDuration(summary.a.durationMs),
        formatDuration(summary.b.durationMs),
        signed(summary.delta.durationMs, formatDuration),
      ],
    ];
    const { counts } = summary;
    return html`
      <div class="testgen-tables">
        <table aria-label="Totals">
          <thead><tr><th></th><th class="num">A</th><th class="num">B</th><th class="num">B − A</th></tr></thead>
          <tbody>${rows.map(([label, a, b, d]) => html`<tr><th scope="row">${label}</th><td class="num">${a}</td><td class="num">${b}</td><td class="num">${d}</td></tr>`)}</tbody>
        </table>
        <table aria-label="By category">
          <thead><tr><th>Category</th><th class="num">Tests A</th><th class="num">Tests B</th><th class="num">Rounds A</th><th class="num">Rounds B</th><th class="num">Added</th><th class="num">Removed</th><th class="num">Changed</th></tr></thead>
          <tbody>${summary.categories.map(
            (k) =>
              html`<tr><td class="mono">${k.category}</td><td class="num">${k.testsA}</td><td class="num">${k.testsB}</td><td class="num">${k.roundsA ?? '—'}</td><td class="num">${k.roundsB ?? '—'}</td><td class="num">${k.added}</td><td class="num">${k.removed}</td><td class="num">${k.changed}</td></tr>`,
          )}</tbody>
        </table>
      </div>
      <p class="counts" id="counts">Tests: ${counts.same} same, ${counts.changed} changed, ${counts.removed} only in A, ${counts.added} only in B.</p>
      <div class="columns-head" aria-hidden="true"><span>A</span><span></span><span>B</span></div>
      <div role="list" aria-label="Matched tests">
        ${c.tests.map((row) => {
          const a = row.a === null ? undefined : c.testBriefs.a[row.a];
          const b = row.b === null ? undefined : c.testBriefs.b[row.b];
          const op = row.op === 'added' ? 'inserted' : row.op === 'removed' ? 'deleted' : row.op;
          const cell = (t: typeof a) =>
            t
              ? html`<div class="cell"><div class="cell-head"><span class="tool">${t.category}</span>${t.id ? html`<span>${t.id}</span>` : nothing}</div>
                  <div class="text">${t.input}</div>
                  <div class="cell-head">expects ${t.expectedOutput ?? '(nothing)'}</div></div>`
              : html`<div class="cell empty">—</div>`;
          return html`<div class="row op-${op}" role="listitem" data-op=${row.op}>${cell(a)}<span class="op">${
            row.op === 'added' ? 'only in B' : row.op === 'removed' ? 'only in A' : row.op
          }</span>${cell(b)}${row.changedFields ? html`<div class="diff">changed: ${row.changedFields.join(', ')}</div>` : nothing}</div>`;
        })}
      </div>
    `;
  }

  private download(kind: 'md' | 'json'): void {
    if (this.state.kind !== 'loaded') return;
    const c = this.state.comparison;
    const text = kind === 'md' ? comparisonMarkdown(c) : comparisonJson(c);
    downloadFile(downloadName(kind, `compare-${c.a.id}-${c.b.id}`), text, kind);
  }

  private async load(showLoading: boolean): Promise<void> {
    const generation = ++this.generation;
    const { store, a, b } = this;
    if (!store || !a || !b) {
      this.state = { kind: 'none' };
      return;
    }
    if (showLoading) this.state = { kind: 'loading' };
    try {
      const comparison = await store.compareTrajectories(a, b);
      if (generation === this.generation) this.state = { kind: 'loaded', comparison };
    } catch (error) {
      if (generation === this.generation) this.state = { kind: 'failed', error };
    }
  }
}

defineElement('trajectory-compare', TrajectoryCompare);

declare global {
  interface HTMLElementTagNameMap {
    'trajectory-compare': TrajectoryCompare;
  }
}
