/**
 * `<trajectory-storage>`: where the data lives (OPFS or, with a clear
 * warning, memory only), how much, and whether the browser promised to keep
 * it; exports of the browser's current selection (SQLite snapshot, JSONL,
 * CSV) as downloads; and the import of files by picker or drag and drop, with
 * progress and a report: whatever the store reads (importTrajectories: ATIF
 * .json and .jsonl, the streamed form, agent logs, .sqlite snapshots merged),
 * or a snapshot that replaces everything (after a confirmation).
 *
 * `importFiles(files)` imports files dropped elsewhere on the host page.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { ExportFormat, ImportResult, Issue, StoreInfo, TrajectoryStore } from '../../public-types.js';
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
/** What the last import did, file by file, for the report under the import section. */
type ImportReport = Array<{ file: string; result: ImportResult }>;

/** File names taken for snapshots: the only files `replace` applies to. */
const SNAPSHOT_NAME = /\.(sqlite|sqlite3|db)$/i;
/** What the picker offers: every format importTrajectories reads (any other file can still be dropped). */
const ACCEPTED =
  '.json,.jsonl,.ndjson,.eval,.sqlite,.sqlite3,.db,application/json,application/x-ndjson,application/vnd.sqlite3,application/x-sqlite3';
/** Rejected items and warnings listed per file; the rest are counted. */
const LISTED = 10;

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
    report: { state: true },
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
  declare private report: ImportReport;
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
    this.report = [];
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
    .report { margin: 0; padding-left: 1.2em; display: grid; gap: 0.3em; }
    .report ul { padding-left: 1.2em; margin: 0.2em 0 0; color: var(--_muted); }
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
        <h2 id="import-h">Import</h2>
        <p class="muted">ATIF documents (.json, .jsonl, the streamed form), this store's JSONL export, snapshots (.sqlite),
          and the logs of Claude Code, Codex, Inspect AI and OpenTelemetry GenAI. A different trajectory under a stored id
          is kept beside it; an identical one is left as it is.</p>
        <fieldset ?disabled=${busy}>
          <legend>A snapshot (.sqlite)</legend>
          <label class="choice"><input type="radio" name="mode" value="merge" .checked=${this.mode === 'merge'} @change=${() => (this.mode = 'merge')} />
            Merge: add the file's trajectories to the stored ones, by the same rule as other files</label>
          <label class="choice"><input type="radio" name="mode" value="replace" .checked=${this.mode === 'replace'} @change=${() => (this.mode = 'replace')} />
            Replace: the file's trajectories take the place of every stored one</label>
        </fieldset>
        <div class="drop ${this.dragging ? 'dragging' : ''}" @dragover=${this.dragOver} @dragleave=${() => (this.dragging = false)} @drop=${this.dropped}>
          <span>Drop files here, or</span>
          <input type="file" multiple class="visually-hidden" tabindex="-1" aria-hidden="true" accept=${ACCEPTED}
            ?disabled=${busy} @change=${this.picked} />
          <button type="button" ?disabled=${busy} @click=${this.openPicker}>Choose files…</button>
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
      ${this.renderReport()}
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

  /** What went wrong or was warned about in the last import, file by file (counts are in the message). */
  private renderReport() {
    const shown = this.report.filter(
      ({ result }) => result.rejected.length + result.warnings.length + result.inputWarnings.length > 0,
    );
    if (shown.length === 0) return nothing;
    const issues = (list: readonly Issue[]) => list.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`).join('; ');
    const at = (item: { index: number; line?: number }) =>
      item.line === undefined ? `item ${item.index + 1}` : `line ${item.line}`;
    const more = (count: number) =>
      count > LISTED ? html`<li>… and ${formatCount(count - LISTED)} more</li>` : nothing;
    return html`<ul class="report" aria-label="Import report">
      ${shown.map(({ file, result }) => {
        const warned = [
          ...result.inputWarnings.map((w) => issues([w])),
          ...result.warnings.map((w) => `${at(w)} (${w.id}): ${issues(w.warnings)}`),
        ];
        return html`<li data-file=${file}>${file}
          ${
            result.rejected.length > 0
              ? html`<ul data-list="rejected">${result.rejected
                  .slice(0, LISTED)
                  .map(
                    (r) => html`<li>Not imported, ${at(r)}: ${issues(r.issues)}</li>`,
                  )}${more(result.rejected.length)}</ul>`
              : nothing
          }
          ${
            warned.length > 0
              ? html`<ul data-list="warnings">${warned
                  .slice(0, LISTED)
                  .map((w) => html`<li>Warning, ${w}</li>`)}${more(warned.length)}</ul>`
              : nothing
          }
        </li>`;
      })}
    </ul>`;
  }

  /** Imports files one after another: each as importTrajectories reads it, or a snapshot replacing everything. */
  async importFiles(files: readonly File[], mode: ImportMode = this.mode): Promise<void> {
    if (files.length === 1) return this.importFile(files[0]!, mode);
    const store = this.store;
    if (!store || this.task || files.length === 0) return;
    if (mode === 'replace') {
      this.clearOutcome();
      this.errorHeading = 'Import failed';
      this.error = new Error('Replace takes one snapshot at a time: drop or choose a single .sqlite file.');
      return;
    }
    const report: ImportReport = [];
    const lines: string[] = [];
    await this.run(`Importing ${formatCount(files.length)} files…`, 'Import failed', async (progress) => {
      for (const file of files) {
        const result = await this.importOne(store, file, progress);
        report.push({ file: file.name, result });
        lines.push(describeImport(file.name, result));
        this.report = [...report];
      }
    });
    if (lines.length > 0) this.message = lines.join(' ');
  }

  /** Imports one file (asks first when the mode is `replace`, which applies to snapshots only). */
  async importFile(file: File, mode: ImportMode = this.mode): Promise<void> {
    const store = this.store;
    if (!store || this.task) return;
    this.mode = mode;
    this.clearOutcome();
    if (mode === 'replace' && SNAPSHOT_NAME.test(file.name)) {
      const count = this.info?.trajectoryCount ?? 0;
      const confirmed = await this.dialog()?.ask({
        title: 'Replace every stored trajectory?',
        message: `The ${formatCount(count)} trajectories stored in this browser will be replaced by those in "${file.name}". This cannot be undone; export a snapshot first to keep them.`,
        confirmLabel: 'Replace',
        danger: true,
      });
      if (!confirmed) return;
      await this.run(`Importing ${file.name}…`, 'Import failed', async (progress) => {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const { trajectories } = await store.importSnapshot(bytes, { mode, onProgress: progress });
        this.message = `Replaced with ${formatCount(trajectories)} trajectories from ${file.name}.`;
      });
      return;
    }
    await this.run(`Importing ${file.name}…`, 'Import failed', async (progress) => {
      const result = await this.importOne(store, file, progress);
      this.report = [{ file: file.name, result }];
      this.message = describeImport(file.name, result);
    });
  }

  /** One file through importTrajectories: the store's worker reads the File itself, a slice at a time. */
  private importOne(
    store: TrajectoryStore,
    file: File,
    progress: (p: { done: number; total: number }) => void,
  ): Promise<ImportResult> {
    // A file named as a snapshot is read as one, so that a damaged one is refused as a snapshot, not as text.
    return store.importTrajectories(file, {
      onProgress: progress,
      ...(SNAPSHOT_NAME.test(file.name) ? { format: 'sqlite' as const } : {}),
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
    // A progress report can arrive after the work has settled (the worker's messages race its answer under
    // load): it must not bring the finished task back, which would leave every button disabled for good.
    let settled = false;
    try {
      await work(({ done, total }) => {
        if (!settled) this.task = { label, done, total };
      });
    } catch (error) {
      this.errorHeading = failure;
      this.error = error;
    } finally {
      settled = true;
      this.task = null;
      void this.loadInfo();
    }
  }

  private clearOutcome(): void {
    this.error = null;
    this.message = null;
    this.report = [];
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
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length > 0) void this.importFiles(files);
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
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) void this.importFiles(files);
  }
}

/** One sentence of what an import did: counts that are not zero, and the format read. */
function describeImport(file: string, result: ImportResult): string {
  if (result.format === 'sqlite') return `Merged ${formatCount(result.merged)} trajectories from ${file}.`;
  const counts = [
    [result.inserted - result.renamed.length, 'new'],
    [result.renamed.length, 'kept beside a different one (renamed)'],
    [result.replaced, 'replaced'],
    [result.unchanged, 'unchanged'],
    [result.skipped, 'skipped'],
    [result.rejected.length, 'not imported'],
    [result.warnings.length, 'with warnings'],
  ] as const;
  const said = counts.filter(([n]) => n > 0).map(([n, what]) => `${formatCount(n)} ${what}`);
  return `${file} (${result.format}): ${said.length > 0 ? said.join(', ') : 'no trajectories'}.`;
}

defineElement('trajectory-storage', TrajectoryStorage);

declare global {
  interface HTMLElementTagNameMap {
    'trajectory-storage': TrajectoryStorage;
  }
}
