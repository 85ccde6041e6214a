/**
 * `<testgen-report>`: one test-generation session: its status (failed and
 * incomplete sessions are marked plainly), score and figures, task,
 * environment, rounds per category, tests grouped by category with their
 * confidence, reflections in order, and uncertainties.
 */
import { css, html, LitElement, nothing } from 'lit';
import { jsonText } from '../format/content.js';
import {
  formatCount,
  formatDateTime,
  formatDuration,
  formatPercent,
  formatScore,
  formatTokens,
} from '../format/numbers.js';
import { readTestGen, type CategoryView, type TestGenView, type TestView } from '../format/testgen-view.js';
import { statusBadge } from './summary-parts.js';
import { controls, tokens } from './theme.js';
import { defineElement } from './define.js';

export class TestgenReport extends LitElement {
  static override properties = {
    data: { attribute: false },
    status: {},
    tokens: { attribute: false },
  };

  /** The session as stored (`getTrajectory(id).testgen`). */
  declare data: unknown;
  /** Its status as the summary (or a recorder in this tab) says it; else the document's. */
  declare status: string | null;
  /** Its tokens as the summary says (null: unknown, e.g. a session that reported none yet); else the document's. */
  declare tokens: number | null | undefined;

  constructor() {
    super();
    this.data = null;
    this.status = null;
    this.tokens = undefined;
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: block; }
    section { margin-top: 1.3em; }
    h3 { font-size: 1em; margin-bottom: 0.55em; display: flex; gap: 0.6em; align-items: baseline; flex-wrap: wrap; }
    h3 .muted { font-weight: 400; font-size: 0.9em; }
    .banner { padding: 0.6em 0.85em; border-radius: var(--_radius); margin-bottom: 1em; border: 1px solid; }
    .banner.failed { color: var(--_danger); background: color-mix(in srgb, var(--_danger) 8%, var(--_bg)); }
    .banner.running { color: var(--_accent); background: color-mix(in srgb, var(--_accent) 8%, var(--_bg)); }
    .banner.incomplete { color: var(--_warning); background: color-mix(in srgb, var(--_warning) 9%, var(--_bg)); }
    .banner p { margin: 0.2em 0 0; color: var(--_text); overflow-wrap: anywhere; }
    .description { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
    .chips { display: flex; flex-wrap: wrap; gap: 0.35em; }
    .chip { padding: 0.1em 0.55em; border-radius: 0.8em; background: var(--_surface); border: 1px solid var(--_border); font-size: 0.85em; max-width: 100%; overflow-wrap: anywhere; }
    table { border-collapse: collapse; width: 100%; max-width: 32em; font-size: 0.9em; }
    th, td { text-align: start; padding: 0.25em 0.6em 0.25em 0; border-bottom: 1px solid var(--_border); }
    td.n { font-variant-numeric: tabular-nums; width: 4em; }
    .bar { height: 0.5em; border-radius: 999px; background: var(--_accent); min-width: 2px; }
    .category { margin-top: 1em; }
    .category h4 { font-size: 0.95em; margin-bottom: 0.45em; display: flex; gap: 0.6em; align-items: baseline; flex-wrap: wrap; }
    .category h4 .muted { font-weight: 400; }
    ol.tests { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5em; }
    .test { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.6em 0.8em; background: var(--_raised); display: grid; gap: 0.35em; }
    .test-head { display: flex; gap: 0.6em; align-items: center; font-size: 0.85em; color: var(--_muted); }
    .test-id { font-family: var(--_mono); color: var(--_text); font-weight: 600; }
    .confidence { margin-inline-start: auto; display: inline-flex; align-items: center; gap: 0.4em; font-variant-numeric: tabular-nums; }
    meter { width: 5em; height: 0.6em; }
    .label { font-size: 0.78em; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; }
    .reasoning { margin: 0; color: var(--_muted); overflow-wrap: anywhere; }
    ol.reflections { margin: 0; padding-inline-start: 1.5em; display: grid; gap: 0.45em; }
    ol.reflections li { overflow-wrap: anywhere; }
    ul.uncertainties { margin: 0; padding-inline-start: 1.3em; }
  `,
  ];

  override render() {
    if (this.data === null || this.data === undefined) return nothing;
    const read = readTestGen(this.data);
    const v = this.status ? { ...read, status: this.status } : read;
    return html`
      ${this.renderBanner(v)}
      <dl class="facts" aria-label="Session figures">
        <div><dt>Status</dt><dd>${statusBadge(v.status)}</dd></div>
        <div><dt>Score</dt><dd>${formatScore(v.score)}</dd></div>
        <div><dt>Tests</dt><dd>${formatCount(v.totalTests)}</dd></div>
        <div><dt>Rounds</dt><dd>${formatCount(v.totalRounds)}</dd></div>
        <div><dt>Tokens</dt><dd>${formatTokens(this.tokens === undefined ? v.totalTokensUsed : this.tokens)}</dd></div>
        <div><dt>Duration</dt><dd>${formatDuration(v.durationMs)}</dd></div>
        ${v.modelName ? html`<div><dt>Model</dt><dd>${v.modelName}</dd></div>` : nothing}
        ${v.startedAt ? html`<div><dt>Started</dt><dd>${formatDateTime(v.startedAt)}</dd></div>` : nothing}
      </dl>
      ${
        v.taskDescription
          ? html`<section aria-labelledby="task"><h3 id="task">Task <span class="muted mono">${v.taskId}</span></h3>
        <p class="description">${v.taskDescription}</p></section>`
          : nothing
      }
      ${this.renderEnvironment(v)}
      ${this.renderRounds(v)}
      <section aria-labelledby="tests">
        <h3 id="tests">Tests <span class="muted">${formatCount(v.categories.reduce((n, c) => n + c.tests.length, 0))} in ${v.categories.length} categories</span></h3>
        ${v.categories.length === 0 ? html`<p class="muted">No tests were generated.</p>` : v.categories.map((c) => this.renderCategory(c))}
      </section>
      <section aria-labelledby="reflections">
        <h3 id="reflections">Reflections <span class="muted">${v.reflections.length}, in order</span></h3>
        ${
          v.reflections.length === 0
            ? html`<p class="muted">None.</p>`
            : html`<ol class="reflections">${v.reflections.map(
                (r) => html`<li>
              ${r.category ? html`<span class="chip">${r.category}</span> ` : nothing}${r.action ? html`<span class="muted">${r.action}:</span> ` : nothing}${r.text}
            </li>`,
              )}</ol>`
        }
      </section>
      <section aria-labelledby="uncertainties">
        <h3 id="uncertainties">Uncertainties</h3>
        ${
          v.uncertainties.length === 0
            ? html`<p class="muted">None recorded.</p>`
            : html`<ul class="uncertainties">${v.uncertainties.map((u) => html`<li>${u}</li>`)}</ul>`
        }
      </section>
    `;
  }

  private renderBanner(v: TestGenView) {
    if (v.status === 'failed') {
      return html`<div class="banner failed" role="note"><strong>This session failed.</strong>${v.error ? html`<p>${v.error}</p>` : nothing}</div>`;
    }
    if (v.status === 'running') {
      return html`<div class="banner running" role="note"><strong>This session is being recorded.</strong>
        <p>What has arrived so far is shown, and it grows as the feed sends more.</p></div>`;
    }
    if (v.status === 'incomplete') {
      return html`<div class="banner incomplete" role="note"><strong>This session is incomplete.</strong>
        <p>The feed stopped before it finished; what arrived until then is kept.</p></div>`;
    }
    return nothing;
  }

  private renderEnvironment(v: TestGenView) {
    const env = v.environment;
    if (!env) return nothing;
    return html`<section aria-labelledby="env">
      <h3 id="env">Environment</h3>
      <dl class="facts">
        <div><dt>Platform</dt><dd>${env.platform ?? '—'}</dd></div>
        <div><dt>Files</dt><dd>${formatCount(env.fileCount)}</dd></div>
        <div><dt>Languages</dt><dd><span class="chips">${env.languages.length ? env.languages.map((l) => html`<span class="chip">${l}</span>`) : '—'}</span></dd></div>
        <div><dt>Prohibited tools</dt><dd><span class="chips">${env.prohibitedTools.length ? env.prohibitedTools.map((t) => html`<span class="chip">${t}</span>`) : '—'}</span></dd></div>
      </dl>
      ${
        env.filePreviews !== undefined && env.filePreviews !== null
          ? html`<details><summary>File previews</summary><pre>${jsonText(env.filePreviews)}</pre></details>`
          : nothing
      }
    </section>`;
  }

  private renderRounds(v: TestGenView) {
    if (v.rounds.length === 0) return nothing;
    const most = Math.max(1, ...v.rounds.map((r) => r.rounds));
    return html`<section aria-labelledby="rounds">
      <h3 id="rounds">Rounds per category</h3>
      <table>
        <thead><tr><th scope="col">Category</th><th scope="col">Rounds</th><th scope="col"><span class="visually-hidden">Share</span></th></tr></thead>
        <tbody>${v.rounds.map(
          (r) => html`<tr><td>${r.category}</td><td class="n">${r.rounds}</td>
          <td><div class="bar" style="width: ${Math.round((r.rounds / most) * 100)}%"></div></td></tr>`,
        )}</tbody>
      </table>
    </section>`;
  }

  private renderCategory(c: CategoryView) {
    return html`<div class="category" role="group" aria-label="${c.category} tests">
      <h4>${c.category} <span class="muted">${c.tests.length} ${c.tests.length === 1 ? 'test' : 'tests'}${c.rounds !== null ? ` · ${c.rounds} ${c.rounds === 1 ? 'round' : 'rounds'}` : ''}${c.averageConfidence !== null ? ` · confidence ${formatPercent(c.averageConfidence)} on average` : ''}</span></h4>
      <ol class="tests">${c.tests.map((t) => this.renderTest(t))}</ol>
    </div>`;
  }

  private renderTest(t: TestView) {
    return html`<li class="test">
      <div class="test-head">
        ${t.id ? html`<span class="test-id">${t.id}</span>` : nothing}
        ${
          t.confidence !== null
            ? html`<span class="confidence">confidence <meter min="0" max="1" low="0.5" high="0.8" optimum="1" .value=${t.confidence}
              aria-label="Confidence ${formatPercent(t.confidence)}"></meter> ${formatPercent(t.confidence)}</span>`
            : nothing
        }
      </div>
      <div><div class="label">Input</div><pre>${t.input}</pre></div>
      <div><div class="label">Expected output</div>${t.expectedOutput === null ? html`<span class="muted">none given</span>` : html`<pre>${t.expectedOutput}</pre>`}</div>
      ${t.reasoning ? html`<p class="reasoning">${t.reasoning}</p>` : nothing}
    </li>`;
  }
}

defineElement('testgen-report', TestgenReport);

declare global {
  interface HTMLElementTagNameMap {
    'testgen-report': TestgenReport;
  }
}
