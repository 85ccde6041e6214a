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
import { nextFailedStep } from '../format/step-errors.js';
import { renderAtifStep } from './atif-step.js';
import { controls, tokens } from './theme.js';
import { defineElement, panelEvent } from './define.js';

export class AtifTimeline extends LitElement {
  static override properties = {
    steps: { attribute: false },
    current: { state: true },
    notice: { state: true },
  };

  /** The trajectory's `steps` array, as stored. */
  declare steps: readonly unknown[];
  /** The step the keys move from (j/k, n/p); -1 before any. */
  declare private current: number;
  /** What the last n/p found, said to screen readers too. */
  declare private notice: string;

  constructor() {
    super();
    this.steps = [];
    this.current = -1;
    this.notice = '';
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('steps') && this.current >= this.steps.length) this.current = -1;
  }

  /** Moves to the next (1) or previous (-1) step: `j` / `k`. */
  moveStep(direction: 1 | -1): void {
    const next = Math.max(0, Math.min(this.steps.length - 1, this.current + direction));
    this.goToIndex(next);
  }

  /** Jumps to the next (1) or previous (-1) error or failed tool call: `n` / `p`. */
  moveToFailure(direction: 1 | -1): void {
    const found = nextFailedStep(this.steps, this.current, direction);
    if (found === null) {
      this.notice = `No ${direction === 1 ? 'later' : 'earlier'} error or failed tool call.`;
      return;
    }
    this.notice = `Step ${found + 1}: an error or a failed tool call.`;
    this.goToIndex(found);
  }

  private goToIndex(index: number): void {
    if (index < 0 || index >= this.steps.length) return;
    this.current = index;
    const virtualizer = this.renderRoot.querySelector<LitVirtualizer>('lit-virtualizer');
    virtualizer?.element(index)?.scrollIntoView({ block: 'start' });
    virtualizer?.focus();
  }

  private stepKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const move: Record<string, () => void> = {
      j: () => this.moveStep(1),
      k: () => this.moveStep(-1),
      n: () => this.moveToFailure(1),
      p: () => this.moveToFailure(-1),
    };
    const action = move[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
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
    .slot { width: 100%; }
    .slot.current .step { box-shadow: var(--_focus); }
    .notice { margin: 0.3em 0 0; font-size: 0.85em; color: var(--_muted); min-height: 1.2em; }
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
      <lit-virtualizer scroller role="list" aria-label="Steps (j and k move, n and p jump to errors)" tabindex="0"
        .items=${this.steps as unknown[]} @keydown=${this.stepKey}
        .renderItem=${(step: unknown, index: number) => html`<div class="slot ${index === this.current ? 'current' : ''}" data-index=${index}>${renderAtifStep(step, index, (id) => this.dispatchEvent(panelEvent('trajectory-select', { id })))}</div>`}
      ></lit-virtualizer>
      <p class="notice" role="status">${this.notice}</p>
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
