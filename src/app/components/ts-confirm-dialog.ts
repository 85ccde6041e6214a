/**
 * `<ts-confirm-dialog>`: asks before something that cannot be undone (a
 * delete, an import that replaces everything). A modal <dialog>: focus is
 * kept inside it, Escape cancels, and the safe choice has the focus first.
 */
import { css, html, LitElement } from 'lit';
import { controls, tokens } from './theme.js';
import { defineElement } from './define.js';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  /** Shown in the danger colour. */
  danger?: boolean;
}

export class TsConfirmDialog extends LitElement {
  static override properties = { request: { state: true } };

  declare private request: ConfirmRequest | null;
  private answer: ((confirmed: boolean) => void) | null = null;

  constructor() {
    super();
    this.request = null;
  }

  static override styles = [
    tokens,
    controls,
    css`
    dialog {
      max-width: min(32em, calc(100vw - 2em)); padding: 1.2em 1.3em; border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) + 4px); background: var(--_raised); color: var(--_text);
      box-shadow: 0 20px 50px rgb(0 0 0 / 0.25);
    }
    dialog::backdrop { background: rgb(10 12 18 / 0.45); }
    h2 { font-size: 1.1em; margin-bottom: 0.5em; }
    p { margin: 0 0 1.1em; overflow-wrap: anywhere; }
    .actions { display: flex; justify-content: flex-end; gap: 0.5em; }
  `,
  ];

  /** Shows the question; resolves true if the person confirms. */
  ask(request: ConfirmRequest): Promise<boolean> {
    this.answer?.(false);
    this.request = request;
    return new Promise<boolean>((resolve) => {
      this.answer = resolve;
      void this.updateComplete.then(() => {
        const dialog = this.renderRoot.querySelector('dialog');
        if (dialog && !dialog.open) dialog.showModal();
        this.renderRoot.querySelector<HTMLButtonElement>('button[value=cancel]')?.focus();
      });
    });
  }

  override render() {
    const r = this.request;
    return html`
      <dialog aria-labelledby="title" aria-describedby="message" @close=${this.closed}>
        <form method="dialog">
          <h2 id="title">${r?.title ?? ''}</h2>
          <p id="message">${r?.message ?? ''}</p>
          <div class="actions">
            <button value="cancel">Cancel</button>
            <button value="confirm" class=${r?.danger ? 'primary danger' : 'primary'}>${r?.confirmLabel ?? 'OK'}</button>
          </div>
        </form>
      </dialog>
    `;
  }

  private closed(event: Event): void {
    const dialog = event.target as HTMLDialogElement;
    const confirmed = dialog.returnValue === 'confirm';
    dialog.returnValue = '';
    const answer = this.answer;
    this.answer = null;
    answer?.(confirmed);
  }
}

defineElement('ts-confirm-dialog', TsConfirmDialog);

declare global {
  interface HTMLElementTagNameMap {
    'ts-confirm-dialog': TsConfirmDialog;
  }
}
