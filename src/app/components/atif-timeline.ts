/**
 * `<atif-timeline>`: an ATIF trajectory's steps, virtualized: only the steps
 * in sight are in the DOM, so a 10,000-step run opens at once and scrolls
 * smoothly. The steps scroll in their own box (give the element a height, or
 * let a flex layout size it); a "go to step" field jumps anywhere. Fires
 * `trajectory-select` (detail `{id}`) when a subagent run is opened from an observation.
 */
import '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import { css, html, LitElement, nothing } from 'lit';
import { renderAtifStep } from './atif-step.js';
import { controls, tokens } from './theme.js';
import { defineElement, panelEvent } from './define.js';

export class AtifTimeline extends LitElement {
  static override properties = {
    steps: { attribute: false },
  };

  /** The trajectory's `steps` array, as stored. */
  declare steps: readonly unknown[];

  constructor() {
    super();
    this.steps = [];
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: flex; flex-direction: column; min-height: 0; }
    .bar { display: flex; align-items: center; gap: 0.5em; padding: 0.4em 0; font-size: 0.85em; color: var(--_muted); }
    .bar input { width: 6em; }
    lit-virtualizer { flex: 1; min-height: 0; border-radius: var(--_radius); }
    lit-virtualizer:focus-visible { box-shadow: var(--_focus); }
    .step {
      width: 100%; display: grid; gap: 0.45em; padding: 0.75em 0.9em 0.85em; margin-bottom: 0.5em;
      border: 1px solid var(--_border); border-left: 3px solid var(--_border); border-radius: var(--_radius); background: var(--_raised);
    }
    .step.source-agent { border-left-color: var(--_accent); }
    .step.source-user { border-left-color: var(--_success); }
    .step.source-system { border-left-color: var(--_muted); }
    .step-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.3em 0.7em; font-size: 0.85em; color: var(--_muted); }
    .step-id { font-weight: 700; color: var(--_text); font-variant-numeric: tabular-nums; }
    .source { text-transform: uppercase; letter-spacing: 0.05em; font-weight: 600; font-size: 0.9em; }
    .source-agent .source { color: var(--_accent); }
    .source-user .source { color: var(--_success); }
    .model { font-family: var(--_mono); font-size: 0.95em; }
    .metrics { margin-inline-start: auto; font-variant-numeric: tabular-nums; }
    .text { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 30em; overflow: auto; }
    .media { font-style: italic; color: var(--_muted); }
    details.reasoning { border-inline-start: 2px solid var(--_border); padding-inline-start: 0.7em; color: var(--_muted); }
    details.reasoning summary { cursor: pointer; font-size: 0.85em; font-weight: 600; }
    .calls, .results { display: grid; gap: 0.4em; }
    .tool-call, .observation { display: grid; gap: 0.3em; }
    .tool-head, .obs-head { display: flex; gap: 0.6em; align-items: baseline; font-size: 0.85em; }
    .tool-name { font-family: var(--_mono); font-weight: 700; color: var(--_accent); }
    .tool-name::before { content: 'ƒ '; color: var(--_muted); font-weight: 400; }
    .call-id { font-family: var(--_mono); color: var(--_muted); font-size: 0.95em; }
    .obs-head { color: var(--_muted); }
    .observation { padding-inline-start: 0.7em; border-inline-start: 2px solid color-mix(in srgb, var(--_success) 50%, transparent); }
    .subagent { justify-self: start; font-size: 0.85em; }
    .step-extra { display: flex; gap: 0.5em; align-items: baseline; font-size: 0.85em; }
    .step-error { color: var(--_danger); overflow-wrap: anywhere; }
  `,
  ];

  /** Scrolls step number `stepNumber` (1-based position) into view. */
  goToStep(stepNumber: number): void {
    const index = Math.max(0, Math.min(this.steps.length - 1, Math.round(stepNumber) - 1));
    this.renderRoot
      .querySelector<LitVirtualizer>('lit-virtualizer')
      ?.element(index)
      ?.scrollIntoView({ block: 'start' });
  }

  override render() {
    const count = this.steps.length;
    if (count === 0) return html`<p class="muted">This trajectory has no steps.</p>`;
    return html`
      <div class="bar">
        <span>${count.toLocaleString()} ${count === 1 ? 'step' : 'steps'}</span>
        ${
          count > 20
            ? html`<label>Go to step <input type="number" min="1" max=${count} @change=${this.jump} @keydown=${this.jumpKey} /></label>`
            : nothing
        }
      </div>
      <lit-virtualizer scroller role="list" aria-label="Steps" tabindex="0"
        .items=${this.steps as unknown[]}
        .renderItem=${(step: unknown, index: number) => renderAtifStep(step, index, (id) => this.dispatchEvent(panelEvent('trajectory-select', { id })))}
      ></lit-virtualizer>
    `;
  }

  private jump(event: Event): void {
    const n = Number((event.target as HTMLInputElement).value);
    if (Number.isFinite(n) && n >= 1) this.goToStep(n);
  }

  private jumpKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') this.jump(event);
  }
}

defineElement('atif-timeline', AtifTimeline);

declare global {
  interface HTMLElementTagNameMap {
    'atif-timeline': AtifTimeline;
  }
}
