/**
 * `<compare-panel>`: the compare tab: two runs side by side
 * (`<trajectory-compare>`, chosen by id) or two batches task by task
 * (`<batch-compare>`), and the switch between them. Its whole state is a
 * CompareState (data/compare-url.ts), which the app keeps in the URL.
 *
 * Fires `compare-change` (detail: the new CompareState) whenever the person
 * changes what is compared; `trajectory-select` ({id}) bubbles from the views.
 */
import { css, html, LitElement, type TemplateResult } from 'lit';
import type { TrajectoryFilter, TrajectoryStore } from '../../public-types.js';
import { type CompareState, EMPTY_COMPARE } from '../data/compare-url.js';
import { defineElement, panelEvent } from './define.js';
import { controls, tokens } from './theme.js';
import './batch-compare.js';
import './trajectory-compare.js';

export class ComparePanel extends LitElement {
  static override properties = {
    store: { attribute: false },
    state: { attribute: false },
  };

  declare store: TrajectoryStore | undefined;
  declare state: CompareState;

  constructor() {
    super();
    this.store = undefined;
    this.state = EMPTY_COMPARE;
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: flex; flex-direction: column; gap: 0.9em; min-height: 100%; }
    .modes { display: flex; gap: 0.3em; }
    .modes button[aria-pressed='true'] { background: var(--_accent); border-color: var(--_accent); color: var(--_accent-text); }
    form.ids { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; }
    form.ids input { width: 18em; font-family: var(--_mono); }
    label { font-weight: 600; }
    trajectory-compare, batch-compare { flex: 1; min-height: 0; }
  `,
  ];

  override render() {
    const s = this.state;
    return html`
      <div class="modes" role="group" aria-label="What to compare">
        <button aria-pressed=${s.mode === 'runs' ? 'true' : 'false'} @click=${() => this.switchTo('runs')}>Two runs</button>
        <button aria-pressed=${s.mode === 'batches' ? 'true' : 'false'} @click=${() => this.switchTo('batches')}>Two batches</button>
      </div>
      ${s.mode === 'runs' ? this.renderRuns(s) : this.renderBatches(s)}
    `;
  }

  private renderRuns(s: Extract<CompareState, { mode: 'runs' }>): TemplateResult {
    return html`
      <form class="ids" @submit=${this.submitIds}>
        <label for="compare-a">A</label><input id="compare-a" name="a" .value=${s.a} placeholder="trajectory id" required />
        <label for="compare-b">B</label><input id="compare-b" name="b" .value=${s.b} placeholder="trajectory id" required />
        <button class="primary" type="submit">Compare</button>
        <button type="button" @click=${() => this.change({ mode: 'runs', a: s.b, b: s.a })} ?disabled=${!s.a && !s.b}>Swap A and B</button>
      </form>
      <trajectory-compare .store=${this.store} .a=${s.a} .b=${s.b}></trajectory-compare>
    `;
  }

  private renderBatches(s: Extract<CompareState, { mode: 'batches' }>): TemplateResult {
    return html`<batch-compare .store=${this.store} .queryA=${s.queryA} .queryB=${s.queryB} .by=${s.by}
      @batch-change=${(e: CustomEvent<{ queryA: TrajectoryFilter; queryB: TrajectoryFilter; by: string }>) =>
        this.change({ mode: 'batches', ...e.detail })}
      @compare-open=${(e: CustomEvent<{ a: string; b: string }>) => this.change({ mode: 'runs', ...e.detail })}
    ></batch-compare>`;
  }

  private switchTo(mode: CompareState['mode']): void {
    if (mode === this.state.mode) return;
    this.change(mode === 'runs' ? EMPTY_COMPARE : { mode: 'batches', queryA: {}, queryB: {}, by: 'taskId' });
  }

  private submitIds(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this.change({ mode: 'runs', a: String(data.get('a') ?? '').trim(), b: String(data.get('b') ?? '').trim() });
  }

  private change(state: CompareState): void {
    this.state = state;
    this.dispatchEvent(panelEvent('compare-change', state));
  }
}

defineElement('compare-panel', ComparePanel);

declare global {
  interface HTMLElementTagNameMap {
    'compare-panel': ComparePanel;
  }
}
