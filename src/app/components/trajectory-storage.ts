/**
 * `<trajectory-storage>`: where the data lives (OPFS or, with a clear
 * warning, memory only), how much, and whether the browser promised to keep
 * it; exports of the browser's current selection (SQLite snapshot, JSONL,
 * CSV) as downloads; and snapshot import by file picker or drag and drop,
 * with progress, merging or (after a confirmation) replacing everything.
 *
 * `importFile(file)` imports a file dropped elsewhere on the host page.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { ExportFormat, StoreInfo, TrajectoryStore } from '../../public-types.js';
import {
  describeView,
  EMPTY_VIEW,
  isNarrowed,
  viewExport,
  viewSelection,
  type BrowserView,
} from '../data/browser-view.js';
import { formatBytes, formatCount } from '../format/numbers.js';
import { downloadFile, downloadName } from '../io/download.js';
import { StoreChangesController } from './store-changes.js';
import { controls, tokens } from './theme.js';
import { defineElement } from './define.js';
import type { TsConfirmDialog } from './ts-confirm-dialog.js';
import './ts-confirm-dialog.js';
import './ts-error-notice.js';

type Task = { label: string; done: number; total: number } | null;
type ImportMode = 'merge' | 'replace';

export class TrajectoryStorage extends LitElement {
  static override properties = {
    store: { attribute: false },
    view: { attribute: false },
    info: { state: true },
    task: { state: true },
    error: { state: true },
    errorHeading: { state: true },
    message: { state: true },
    mode: { state: true },
    dragging: { state: true },
  };

  declare store: TrajectoryStore | undefined;
  /** The browser's selection: what the exports contain. */
  declare view: BrowserView;
  declare private info: StoreInfo | null;
  declare private task: Task;
  declare private error: unknown;
  declare private errorHeading: string;
  declare private message: string | null;
  declare private mode: ImportMode;
  declare private dragging: boolean;
  private readonly changes = new StoreChangesController(this, () => void this.loadInfo(), 600, 4_000);

  constructor() {
    super();
    this.store = undefined;
    this.view = EMPTY_VIEW;
    this.info = null;
    this.task = null;
    this.error = null;
    this.errorHeading = '';
    this.message = null;
    this.mode = 'merge';
    this.dragging = false;
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: grid; gap: 1.2em; align-content: start; max-width: 64em; }
    section { padding: 1em 1.1em; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_raised); display: grid; gap: 0.7em; }
    h2 { font-size: 1.05em; }
    p { margin: 0; }
    .warning { padding: 0.7em 0.9em; border-radius: var(--_radius); border: 1px solid var(--_danger); color: var(--_danger);
      background: color-mix(in srgb, var(--_danger) 8%, var(--_bg)); font-weight: 600; }
    .warning span { display: block; font-weight: 400; color: var(--_text); margin-top: 0.2em; }
    .buttons { display: flex; flex-wrap: wrap; gap: 0.5em; }
    .drop {
      display: grid; place-items: center; gap: 0.5em; padding: 1.4em 1em; text-align: center; border: 2px dashed var(--_border);
      border-radius: var(--_radius); color: var(--_muted);
    }
    .drop.dragging { border-color: var(--_accent); background: var(--_tint); color: var(--_text); }
    fieldset { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 0.4em 1.2em; }
    legend { font-weight: 600; margin-bottom: 0.3em; padding: 0; }
    label.choice { display: inline-flex; gap: 0.4em; align-items: baseline; }
    progress { width: 100%; height: 0.6em; }
    .done { color: var(--_success); }
  `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) {
      this.changes.watch(this.store);
      void this.loadInfo();
    }
  }

  override render() {
    const busy = this.task !== null;
    const narrowed = isNarrowed(this.view);
    return html`
      <section aria-labelledby="storage-h">
        <h2 id="storage-h">Storage</h2>
        ${this.renderInfo()}
      </section>
      <section aria-labelledby="export-h">
        <h2 id="export-h">Export</h2>
        <p class="muted">${narrowed ? `The trajectories the browser shows: ${describeView(this.view)}.` : 'Every stored trajectory.'}
          A snapshot is a SQLite file that any SQLite tool opens, and that imports here again.</p>
        <div class="buttons">
          <button ?disabled=${busy} @click=${() => this.exportSnapshot()}>Snapshot (.sqlite)</button>
          <button ?disabled=${busy} @click=${() => this.exportText('jsonl')}>JSONL</button>
          <button ?disabled=${busy} @click=${() => this.exportText('csv')}>CSV</button>
        </div>
      </section>
      <section aria-labelledby="import-h">
        <h2 id="import-h">Import a snapshot</h2>
        <fieldset ?disabled=${busy}>
          <legend>When ids are already stored</legend>
          <label class="choice"><input type="radio" name="mode" value="merge" .checked=${this.mode === 'merge'} @change=${() => (this.mode = 'merge')} />
            Merge: add the file's trajectories, replacing those with the same id</label>
          <label class="choice"><input type="radio" name="mode" value="replace" .checked=${this.mode === 'replace'} @change=${() => (this.mode = 'replace')} />
            Replace: the file's trajectories take the place of every stored one</label>
        </fieldset>
        <div class="drop ${this.dragging ? 'dragging' : ''}" @dragover=${this.dragOver} @dragleave=${() => (this.dragging = false)} @drop=${this.dropped}>
          <span>Drop a .sqlite snapshot here, or</span>
          <input type="file" class="visually-hidden" tabindex="-1" aria-hidden="true" accept=".sqlite,.sqlite3,.db,application/vnd.sqlite3,application/x-sqlite3"
            ?disabled=${busy} @change=${this.picked} />
          <button type="button" ?disabled=${busy} @click=${this.openPicker}>Choose a snapshot file…</button>
        </div>
      </section>
      ${
        this.task
          ? html`<div role="status" aria-live="polite"><p>${this.task.label}</p>
            ${
              // Without a total the bar is indeterminate: no value at all (setting it to undefined throws).
              this.task.total
                ? html`<progress max=${this.task.total} .value=${this.task.done} aria-label=${this.task.label}></progress>`
                : html`<progress aria-label=${this.task.label}></progress>`
            }</div>`
          : nothing
      }
      ${this.message ? html`<p class="done" role="status">${this.message}</p>` : nothing}
      <ts-error-notice .heading=${this.errorHeading} .error=${this.error} @dismiss=${() => (this.error = null)}></ts-error-notice>
      <ts-confirm-dialog></ts-confirm-dialog>
    `;
  }

  private renderInfo() {
    const info = this.info;
    if (!info) return html`<p class="muted">Reading…</p>`;
    return html`
      ${
        info.storage === 'memory'
          ? html`<p class="warning" role="alert" data-storage="memory">Memory only: nothing here survives closing this page.
            <span>This browser gives the page no private file system (OPFS) here, e.g. in a private window or outside a secure (https or localhost) origin. Export a snapshot to keep your data.</span></p>`
          : nothing
      }
      <dl class="facts">
        <div><dt>Where</dt><dd data-storage=${info.storage}>${info.storage === 'opfs' ? 'This browser (OPFS)' : 'Memory'}</dd></div>
        <div><dt>Trajectories</dt><dd>${formatCount(info.trajectoryCount)}</dd></div>
        <div><dt>Size</dt><dd>${formatBytes(info.sizeBytes)}</dd></div>
        <div><dt>Kept</dt><dd>${info.storage === 'memory' ? 'until the page closes' : info.persisted ? 'persistent' : 'may be evicted by the browser'}</dd></div>
        <div><dt>SQLite</dt><dd>${info.sqliteVersion}</dd></div>
        <div><dt>Schema</dt><dd>${info.schemaVersion}</dd></div>
        <div><dt>This tab</dt><dd>${info.role}</dd></div>
      </dl>
    `;
  }

  /** Imports a snapshot file (asks first when the mode is `replace`). */
  async importFile(file: File, mode: ImportMode = this.mode): Promise<void> {
    const store = this.store;
    if (!store || this.task) return;
    this.mode = mode;
    this.clearOutcome();
    if (mode === 'replace') {
      const count = this.info?.trajectoryCount ?? 0;
      const confirmed = await this.dialog()?.ask({
        title: 'Replace every stored trajectory?',
        message: `The ${formatCount(count)} trajectories stored in this browser will be replaced by those in "${file.name}". This cannot be undone; export a snapshot first to keep them.`,
        confirmLabel: 'Replace',
        danger: true,
      });
      if (!confirmed) return;
    }
    await this.run(`Importing ${file.name}…`, 'Import failed', async (progress) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const { trajectories } = await store.importSnapshot(bytes, { mode, onProgress: progress });
      this.message = `${mode === 'replace' ? 'Replaced with' : 'Merged'} ${formatCount(trajectories)} trajectories from ${file.name}.`;
    });
  }

  private async exportSnapshot(): Promise<void> {
    const store = this.store;
    if (!store) return;
    await this.run('Writing the snapshot…', 'Export failed', async (progress) => {
      if (!isNarrowed(this.view)) {
        const bytes = await store.exportSnapshot({ onProgress: progress });
        downloadFile(downloadName('sqlite'), bytes, 'sqlite');
        this.message = 'Snapshot of every trajectory downloaded.';
        return;
      }
      let count = 0;
      const bytes = await store.exportSnapshot({
        ...viewSelection(this.view),
        onProgress: (p) => {
          count = p.total;
          progress(p);
        },
      });
      downloadFile(downloadName('sqlite', 'trajectories-selection'), bytes, 'sqlite');
      this.message = `Snapshot of ${formatCount(count)} trajectories downloaded.`;
    });
  }

  private async exportText(format: Extract<ExportFormat, 'jsonl' | 'csv'>): Promise<void> {
    const store = this.store;
    if (!store) return;
    await this.run(`Writing ${format.toUpperCase()}…`, 'Export failed', async () => {
      const text = await store.exportTrajectories(viewExport(this.view, format));
      const count = format === 'jsonl' ? text.split('\n').filter((l) => l.trim()).length : null;
      downloadFile(
        downloadName(format, isNarrowed(this.view) ? 'trajectories-selection' : 'trajectories'),
        text,
        format,
      );
      this.message =
        count === null
          ? `${format.toUpperCase()} downloaded.`
          : `${formatCount(count)} trajectories downloaded as ${format.toUpperCase()}.`;
    });
  }

  /** Runs one long task with progress; shows its failure. */
  private async run(
    label: string,
    failure: string,
    work: (progress: (p: { done: number; total: number }) => void) => Promise<void>,
  ): Promise<void> {
    this.clearOutcome();
    this.task = { label, done: 0, total: 0 };
    try {
      await work(({ done, total }) => (this.task = { label, done, total }));
    } catch (error) {
      this.errorHeading = failure;
      this.error = error;
    } finally {
      this.task = null;
      void this.loadInfo();
    }
  }

  private clearOutcome(): void {
    this.error = null;
    this.message = null;
  }

  private async loadInfo(): Promise<void> {
    try {
      this.info = (await this.store?.info()) ?? null;
    } catch (error) {
      this.errorHeading = 'The storage could not be read';
      this.error = error;
    }
  }

  private dialog(): TsConfirmDialog | null {
    return this.renderRoot.querySelector('ts-confirm-dialog');
  }

  private openPicker(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  }

  private picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.importFile(file);
  }

  private dragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  private dropped(event: DragEvent): void {
    // Handled here: a host that also takes drops sees defaultPrevented.
    event.preventDefault();
    this.dragging = false;
    const file = event.dataTransfer?.files[0];
    if (file) void this.importFile(file);
  }
}

defineElement('trajectory-storage', TrajectoryStorage);

declare global {
  interface HTMLElementTagNameMap {
    'trajectory-storage': TrajectoryStorage;
  }
}
