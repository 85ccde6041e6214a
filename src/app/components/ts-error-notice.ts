/**
 * `<ts-error-notice>`: a failure shown to the person, readably: the message,
 * what they can do about it, and every validation issue with its field path.
 * Fires `dismiss` when closed.
 */
import { css, html, LitElement, nothing } from 'lit';
import { describeError, errorHint } from '../format/errors.js';
import { controls, tokens } from './theme.js';
import { defineElement } from './define.js';

const SHOWN_ISSUES = 20;

export class TsErrorNotice extends LitElement {
  static override properties = {
    error: { attribute: false },
    heading: {},
  };

  declare error: unknown;
  /** What was being done, e.g. "Import failed". */
  declare heading: string;

  constructor() {
    super();
    this.error = null;
    this.heading = 'Something went wrong';
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: block; }
    .notice {
      display: grid; grid-template-columns: 1fr auto; gap: 0.25em 0.75em; padding: 0.7em 0.9em;
      border: 1px solid color-mix(in srgb, var(--_danger) 55%, transparent); border-radius: var(--_radius);
      background: color-mix(in srgb, var(--_danger) 8%, var(--_bg));
    }
    strong { color: var(--_danger); }
    p { margin: 0; grid-column: 1; overflow-wrap: anywhere; }
    ul { margin: 0.3em 0 0; padding-inline-start: 1.2em; grid-column: 1 / -1; max-height: 12em; overflow: auto; }
    li { overflow-wrap: anywhere; }
    code { font-family: var(--_mono); font-size: 0.9em; }
    button { grid-column: 2; grid-row: 1; align-self: start; }
  `,
  ];

  override render() {
    if (this.error === null || this.error === undefined) return nothing;
    const { message, code, issues } = describeError(this.error);
    const hint = errorHint(code);
    return html`
      <div class="notice" role="alert">
        <strong>${this.heading}${code ? html` <span class="muted">(${code})</span>` : nothing}</strong>
        <button class="quiet" aria-label="Dismiss this message" @click=${this.dismiss}>✕</button>
        <p>${message}</p>
        ${hint ? html`<p class="muted">${hint}</p>` : nothing}
        ${
          issues.length > 0
            ? html`<ul aria-label="Problems found">
              ${issues.slice(0, SHOWN_ISSUES).map((issue) => html`<li><code>${issue.path || '(document)'}</code>: ${issue.message}</li>`)}
              ${issues.length > SHOWN_ISSUES ? html`<li>and ${issues.length - SHOWN_ISSUES} more</li>` : nothing}
            </ul>`
            : nothing
        }
      </div>
    `;
  }

  private dismiss(): void {
    this.error = null;
    this.dispatchEvent(new Event('dismiss'));
  }
}

defineElement('ts-error-notice', TsErrorNotice);

declare global {
  interface HTMLElementTagNameMap {
    'ts-error-notice': TsErrorNotice;
  }
}
