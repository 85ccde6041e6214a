/**
 * `<trajectory-detail>`: one stored trajectory, loaded by id from the store
 * and kept current while it changes (a live session being checkpointed):
 * its summary, then the ATIF step timeline or the test-generation report.
 * Delete (after a confirmation) and download it as JSON.
 *
 * Fires `trajectory-deleted` (detail `{id}`), `trajectory-select` (detail
 * `{id}`) for a linked parent or subagent run, and `close` from its back button.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { StoredTrajectory, TrajectoryStore } from '../../public-types.js';
import { formatCost, formatCount, formatDateTime, formatTokens } from '../format/numbers.js';
import { downloadFile, downloadName } from '../io/download.js';
import { changedIds, StoreChangesController } from './store-changes.js';
import { runBody } from './run-body.js';
import { conformanceBadge, kindBadge, statusBadge, summaryTitle } from './summary-parts.js';
import { controls, tokens } from './theme.js';
import { defineElement, panelEvent } from './define.js';
import type { AtifTimeline } from './atif-timeline.js';
import type { TsConfirmDialog } from './ts-confirm-dialog.js';
import './ts-confirm-dialog.js';
import './ts-error-notice.js';
import { isRecord } from '../../schema/json.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

type LoadState =
  | { kind: 'none' }
  | { kind: 'loading' }
  | { kind: 'loaded'; stored: StoredTrajectory }
  | { kind: 'missing' }
  | { kind: 'failed'; error: unknown };

export class TrajectoryDetail extends LitElement {
  static override properties = {
    store: { attribute: false },
    trajectoryId: { attribute: 'trajectory-id', reflect: true },
    closable: { type: Boolean },
    runningIds: { attribute: false },
    state: { state: true },
    actionError: { state: true },
  };

  declare store: TrajectoryStore | undefined;
  /** The id of the trajectory to show; null shows nothing. */
  declare trajectoryId: string | null;
  /** Shows a back button (the browser's narrow layout). */
  declare closable: boolean;
  /** Sessions a recorder is recording now: shown as running, whatever their last save says. */
  declare runningIds: ReadonlySet<string>;
  declare private state: LoadState;
  declare private actionError: unknown;
  private generation = 0;

  private readonly changes = new StoreChangesController(
    this,
    (changes) => {
      const ids = changedIds(changes);
      if (this.trajectoryId !== null && (ids === null || ids.has(this.trajectoryId))) void this.load(false);
    },
    // A live session grows while it is shown: keep up with its checkpoints.
    50,
    250,
  );

  constructor() {
    super();
    this.store = undefined;
    this.trajectoryId = null;
    this.closable = false;
    this.runningIds = new Set();
    this.state = { kind: 'none' };
    this.actionError = null;
  }

  static override styles = [
    tokens,
    controls,
    css`
    /*
     * A column: the header, then the steps filling the rest (they scroll in their own box) or the report.
     * When the header leaves the steps less than their minimum, the whole detail scrolls.
     */
    :host { display: flex; flex-direction: column; min-height: 0; overflow: auto; }
    .detail-head { flex: none; }
    atif-timeline { flex: 1 0 22em; }
    testgen-report { flex: none; }
    .detail-head { display: grid; gap: 0.6em; padding-bottom: 0.8em; border-bottom: 1px solid var(--_border); margin-bottom: 0.8em; }
    .title-row { display: flex; gap: 0.6em; align-items: center; flex-wrap: wrap; }
    h2 { font-size: 1.25em; overflow-wrap: anywhere; min-width: 0; }
    .actions { margin-inline-start: auto; display: flex; gap: 0.4em; }
    .ids { font-size: 0.82em; color: var(--_muted); display: flex; flex-wrap: wrap; gap: 0.2em 1em; }
    .ids span { overflow-wrap: anywhere; }
    .notes { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; color: var(--_muted); max-height: 6em; overflow: auto; }
    .links { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; font-size: 0.85em; }
    .placeholder { margin: auto; text-align: center; color: var(--_muted); max-width: 24em; padding: 2em 1em; }
    ts-error-notice { margin-bottom: 0.6em; }
  `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) this.changes.watch(this.store);
    if (changed.has('store') || changed.has('trajectoryId')) {
      this.actionError = null;
      void this.load(true);
    }
  }

  /** The run's steps, when an ATIF run is shown. */
  get timeline(): AtifTimeline | null {
    return this.renderRoot.querySelector('atif-timeline');
  }

  /** Loads the trajectory again. */
  refresh(): Promise<void> {
    return this.load(false);
  }

  override render() {
    const s = this.state;
    return html`
      <ts-error-notice heading="That did not work" .error=${this.actionError} @dismiss=${() => (this.actionError = null)}></ts-error-notice>
      ${s.kind === 'none' ? html`<p class="placeholder">Select a trajectory to see its steps or tests.</p>` : nothing}
      ${s.kind === 'loading' ? html`<p class="placeholder" role="status">Loading…</p>` : nothing}
      ${s.kind === 'missing' ? html`<p class="placeholder" role="status">This trajectory is not in the store (it may have been deleted).</p>` : nothing}
      ${s.kind === 'failed' ? html`<ts-error-notice heading="The trajectory could not be loaded" .error=${s.error}></ts-error-notice>` : nothing}
      ${s.kind === 'loaded' ? this.renderLoaded(s.stored) : nothing}
      <ts-confirm-dialog></ts-confirm-dialog>
    `;
  }

  private renderLoaded(stored: StoredTrajectory) {
    const { summary } = stored;
    const doc = isRecord(stored.trajectory) ? stored.trajectory : {};
    const extra = isRecord(doc.extra) ? doc.extra : {};
    const agent = isRecord(doc.agent) ? doc.agent : {};
    const status = this.runningIds.has(summary.id) ? 'running' : summary.status;
    const parent = str(extra.parent_session_id);
    const children = (Array.isArray(extra.subagents) ? extra.subagents : [])
      .filter(isRecord)
      .map((s) => str(s.session_id))
      .filter((id): id is string => id !== null);
    const embedded = Array.isArray(doc.subagent_trajectories) ? doc.subagent_trajectories.length : 0;
    return html`
      <header class="detail-head">
        <div class="title-row">
          ${this.closable ? html`<button class="quiet" @click=${() => this.dispatchEvent(new Event('close'))} aria-label="Back to the list">←</button>` : nothing}
          <h2>${summaryTitle(summary)}</h2>
          ${kindBadge(summary.kind)} ${statusBadge(status)} ${conformanceBadge(summary)}
          <div class="actions">
            <button @click=${() => this.dispatchEvent(panelEvent('compare-request', { id: summary.id }))}
              title="Then select the trajectory to compare it with">Compare with…</button>
            <button @click=${() => this.downloadJson(stored)} title="Download this trajectory as JSON">Download JSON</button>
            <button class="danger" @click=${() => this.confirmDelete(stored)}>Delete…</button>
          </div>
        </div>
        <div class="ids">
          <span>id <span class="mono">${summary.id}</span></span>
          ${summary.sessionId && summary.sessionId !== summary.id ? html`<span>session <span class="mono">${summary.sessionId}</span></span>` : nothing}
          <span>${summary.schemaVersion}</span>
          <span>saved ${formatDateTime(summary.createdAt)}</span>
          ${summary.updatedAt !== summary.createdAt ? html`<span>updated ${formatDateTime(summary.updatedAt)}</span>` : nothing}
        </div>
        ${
          summary.kind === 'atif'
            ? html`<dl class="facts" aria-label="Run figures">
              <div><dt>Agent</dt><dd>${summary.agentName}${summary.agentVersion ? html` <span class="muted">version ${summary.agentVersion}</span>` : nothing}</dd></div>
              <div><dt>Model</dt><dd>${summary.modelName ?? str(agent.model_name) ?? '—'}</dd></div>
              <div><dt>Steps</dt><dd>${formatCount(summary.stepCount)}</dd></div>
              <div><dt>Tokens</dt><dd>${formatTokens(summary.totalTokens)}</dd></div>
              <div><dt>Cost</dt><dd>${formatCost(summary.totalCostUsd)}</dd></div>
              <div><dt>Started</dt><dd>${formatDateTime(summary.firstStepAt)}</dd></div>
            </dl>`
            : nothing
        }
        ${str(doc.notes) ? html`<p class="notes">${doc.notes as string}</p>` : nothing}
        ${
          parent || children.length || embedded
            ? html`<div class="links">
              ${parent ? html`<button @click=${() => this.select(parent)}>Open parent run</button>` : nothing}
              ${children.map((id) => html`<button @click=${() => this.select(id)}>Open subagent <span class="mono">${id}</span></button>`)}
              ${embedded ? html`<span class="muted">${embedded} embedded subagent ${embedded === 1 ? 'trajectory' : 'trajectories'}</span>` : nothing}
            </div>`
            : nothing
        }
      </header>
      ${runBody(summary, stored, status)}
    `;
  }

  private async load(showLoading: boolean): Promise<void> {
    const generation = ++this.generation;
    const { store, trajectoryId: id } = this;
    if (!store || id === null) {
      this.state = { kind: 'none' };
      return;
    }
    if (showLoading) this.state = { kind: 'loading' };
    try {
      const stored = await store.getTrajectory(id);
      if (generation !== this.generation) return;
      this.state = stored ? { kind: 'loaded', stored } : { kind: 'missing' };
    } catch (error) {
      if (generation === this.generation) this.state = { kind: 'failed', error };
    }
  }

  private select(id: string): void {
    this.dispatchEvent(panelEvent('trajectory-select', { id }));
  }

  private downloadJson(stored: StoredTrajectory): void {
    const document = stored.summary.kind === 'testgen' ? { testgen: stored.testgen } : stored.trajectory;
    downloadFile(downloadName('json', stored.summary.id), JSON.stringify(document, null, 2), 'json');
  }

  private async confirmDelete(stored: StoredTrajectory): Promise<void> {
    const dialog = this.renderRoot.querySelector<TsConfirmDialog>('ts-confirm-dialog');
    const title = summaryTitle(stored.summary);
    const confirmed = await dialog?.ask({
      title: 'Delete this trajectory?',
      message: `"${title}" (${stored.summary.id}) will be removed from this browser, search index included. This cannot be undone; export it first to keep a copy.`,
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!confirmed || !this.store) return;
    try {
      await this.store.deleteTrajectory(stored.summary.id);
      this.dispatchEvent(panelEvent('trajectory-deleted', { id: stored.summary.id }));
      this.state = { kind: 'missing' };
    } catch (error) {
      this.actionError = error;
    }
  }
}

defineElement('trajectory-detail', TrajectoryDetail);

declare global {
  interface HTMLElementTagNameMap {
    'trajectory-detail': TrajectoryDetail;
  }
}
