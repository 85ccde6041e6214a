/**
 * `<trajectory-team>`: the Team setting (a team server's URL and a member's token, kept in this browser;
 * the token is never shown again), pushing the local store there (`store.sync()`, with its progress), and
 * the team's trajectories: search and browse the server, open one (fetched when opened), import a
 * selection into the local store (by the identity rule), and compare an opened team run with any local
 * run (the one of the same id offered first). The filters (agent, model, kind, status, days) and sorts are the local list's (`viewFilter`, `viewOrdering`), plus member.
 *
 * Events: `compare-trajectories` ({a, b}: two local ids to show side by side).
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { type TeamQuery, TeamClient } from '../../client/team-client.js';
import type {
  StoreChange,
  SyncTargetStatus,
  TeamHit,
  TeamSummary,
  TeamTrajectory,
  TrajectoryStore,
} from '../../public-types.js';
import {
  type BrowserView,
  EMPTY_VIEW,
  ORDER_BY_LABELS,
  STATUS_LABELS,
  viewFilter,
  viewOrdering,
} from '../data/browser-view.js';
import { ORDER_BY } from '../../schema/query.js';
import { formatCount } from '../format/numbers.js';
import { TRAJECTORY_STATUSES } from '../../schema/status.js';
import { importTeamTrajectories, teamKey } from '../team/team-import.js';
import { loadTeamSettings, saveTeamSettings, type TeamSettings } from '../team/team-settings.js';
import { defineElement, panelEvent } from './define.js';
import { controls, tokens } from './theme.js';
import { runBody } from './run-body.js';
import { statusBadge, summaryFigures, summaryTitle } from './summary-parts.js';
import './ts-error-notice.js';

type SyncEvent = Extract<StoreChange, { type: 'sync' }>;
type TeamRow = TeamSummary | TeamHit;

export class TrajectoryTeam extends LitElement {
  static override properties = {
    store: { attribute: false },
    settings: { state: true },
    editing: { state: true },
    member: { state: true },
    syncing: { state: true },
    syncText: { state: true },
    rows: { state: true },
    nextCursor: { state: true },
    selected: { state: true },
    opened: { state: true },
    localOfOpened: { state: true },
    message: { state: true },
    error: { state: true },
    errorHeading: { state: true },
    busy: { state: true },
  };

  declare store: TrajectoryStore | undefined;
  declare private settings: TeamSettings | null;
  declare private editing: boolean;
  declare private member: string | null;
  declare private syncing: boolean;
  declare private syncText: string;
  declare private rows: TeamRow[];
  declare private nextCursor: string | undefined;
  declare private selected: Set<string>;
  declare private opened: TeamTrajectory | null;
  /** Whether the local store holds a trajectory under the opened one's id. */
  declare private localOfOpened: boolean;
  declare private message: string;
  declare private error: unknown;
  declare private errorHeading: string;
  declare private busy: boolean;
  private searchText = '';
  /** The filters of the last search: the local list's fields, as the server takes them. */
  private filter: TeamQuery = {};
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.store = undefined;
    this.settings = loadTeamSettings();
    this.editing = this.settings === null;
    this.member = null;
    this.syncing = false;
    this.syncText = '';
    this.rows = [];
    this.nextCursor = undefined;
    this.selected = new Set();
    this.opened = null;
    this.localOfOpened = false;
    this.message = '';
    this.error = null;
    this.errorHeading = '';
    this.busy = false;
  }

  static override styles = [
    tokens,
    controls,
    css`
    :host { display: grid; gap: 1.2em; align-content: start; max-width: 72em; }
    section { padding: 1em 1.1em; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_raised); display: grid; gap: 0.7em; }
    h2 { font-size: 1.05em; margin: 0; }
    p { margin: 0; }
    form, .buttons { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: end; }
    label { display: grid; gap: 0.2em; }
    label input { min-width: 18em; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.3em 0.5em; border-bottom: 1px solid var(--_border); vertical-align: top; }
    th { font-weight: 600; color: var(--_muted); font-size: 0.9em; }
    /* The opened run reads like a local one; the timeline's steps scroll in their own box. */
    atif-timeline { height: 32em; }
    details summary { cursor: pointer; color: var(--_muted); }
    pre { max-height: 30em; overflow: auto; margin: 0; padding: 0.6em; background: var(--_surface); border-radius: var(--_radius); font-family: var(--_mono); font-size: 0.85em; white-space: pre-wrap; word-break: break-word; }
  `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store')) {
      this.unsubscribe?.();
      this.unsubscribe = this.store?.subscribe((change) => {
        if (change.type === 'sync') this.syncText = syncSentence(change);
      });
      void this.showSyncStatus();
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.settings && this.member === null) void this.connect(this.settings);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  override render() {
    return html`
      <section aria-labelledby="team-server-h">
        <h2 id="team-server-h">Team server</h2>
        ${this.editing || !this.settings ? this.renderForm() : this.renderConnection(this.settings)}
      </section>
      ${this.error ? html`<ts-error-notice .heading=${this.errorHeading} .error=${this.error} @dismiss=${() => (this.error = null)}></ts-error-notice>` : nothing}
      ${this.message ? html`<p role="status" class="message">${this.message}</p>` : nothing}
      ${this.settings && !this.editing ? this.renderTeam() : nothing}
    `;
  }

  private renderForm() {
    return html`
      <p class="muted">Push this browser's trajectories to a team server (<span class="mono">trajectory-store serve-team</span>)
        and browse the team's. The URL and token stay in this browser; the token is not shown again.</p>
      <form @submit=${this.saveForm}>
        <label>Server URL <input name="url" type="url" required placeholder="https://team.example.com" .value=${this.settings?.url ?? ''}></label>
        <label>Token <input name="token" type="password" required autocomplete="off" spellcheck="false" placeholder=${this.settings ? 'a token is saved: type a new one' : 'tst_…'}></label>
        <button class="primary" type="submit" ?disabled=${this.busy}>Save</button>
        ${this.settings ? html`<button type="button" @click=${() => (this.editing = false)}>Cancel</button>` : nothing}
      </form>
    `;
  }

  private renderConnection(settings: TeamSettings) {
    return html`
      <p>Connected to <span class="mono">${settings.url}</span>${this.member ? html` as <strong>${this.member}</strong>` : nothing}
        <span class="muted">(token saved, not shown)</span></p>
      <div class="buttons">
        <button class="primary" ?disabled=${this.syncing} @click=${() => this.syncNow()}>Push to the team</button>
        <button @click=${() => (this.editing = true)}>Change…</button>
        <button class="quiet danger" @click=${() => this.forget()}>Forget</button>
      </div>
      <p class="sync-status" role="status">${this.syncText}</p>
    `;
  }

  private renderTeam() {
    return html`
      <section aria-labelledby="team-runs-h">
        <h2 id="team-runs-h">The team's trajectories</h2>
        <form @submit=${this.submitSearch}>
          <input type="search" name="q" aria-label="Search the team's trajectories" placeholder="Search the team (empty: newest first)">
          <input name="member" aria-label="Member" placeholder="Member">
          <input name="agentName" aria-label="Agent" placeholder="Agent">
          <input name="modelName" aria-label="Model" placeholder="Model">
          <select name="kind" aria-label="Kind">
            <option value="">Any kind</option>
            <option value="atif">ATIF runs</option>
            <option value="testgen">testgen sessions</option>
          </select>
          <select name="status" aria-label="Status">
            <option value="">Any status</option>
            ${TRAJECTORY_STATUSES.map((status) => html`<option value=${status}>${STATUS_LABELS[status]}</option>`)}
          </select>
          <input type="date" name="createdFrom" aria-label="Saved from">
          <input type="date" name="createdTo" aria-label="Saved until">
          <select name="orderBy" aria-label="Sort by">
            <option value="">Newest</option>
            ${ORDER_BY.map((key) => html`<option value=${key}>${ORDER_BY_LABELS[key]}</option>`)}
          </select>
          <select name="order" aria-label="Sort order">
            <option value="desc">Descending</option>
            <option value="asc">Ascending</option>
          </select>
          <button type="submit" ?disabled=${this.busy}>Search</button>
          <button type="button" ?disabled=${this.busy || this.selected.size === 0} @click=${() => this.importSelected()}>
            Import ${this.selected.size > 0 ? formatCount(this.selected.size) : ''} selected</button>
        </form>
        ${this.rows.length === 0 ? html`<p class="muted">No trajectories to show.</p>` : this.renderRows()}
        ${this.nextCursor ? html`<button ?disabled=${this.busy} @click=${() => this.load(true)}>More</button>` : nothing}
      </section>
      ${this.opened ? this.renderOpened(this.opened) : nothing}
    `;
  }

  private renderRows() {
    return html`<table>
      <thead><tr><th></th><th>Member</th><th>Id</th><th>Agent</th><th>Model</th><th>Status</th><th>Saved</th><th></th></tr></thead>
      <tbody>${this.rows.map((row) => {
        const key = teamKey(row);
        return html`<tr data-key=${key}>
          <td><input type="checkbox" aria-label="Select ${row.id}" .checked=${this.selected.has(key)} @change=${() => this.toggle(key)}></td>
          <td>${row.member}</td><td class="mono">${row.id}</td><td>${row.agentName}</td><td>${row.modelName ?? '—'}</td>
          <td>${row.status}</td><td>${row.updatedAt.slice(0, 16).replace('T', ' ')}</td>
          <td><button class="quiet" @click=${() => this.open(row)}>Open</button></td>
        </tr>`;
      })}</tbody>
    </table>`;
  }

  private renderOpened(opened: TeamTrajectory) {
    const { summary } = opened;
    return html`
      <section aria-labelledby="team-opened-h" class="opened">
        <h2 id="team-opened-h">${summary.member} / <span class="mono">${summary.id}</span></h2>
        <p class="muted">${summaryTitle(summary)}${summary.modelName ? ` · ${summary.modelName}` : ''} · ${summaryFigures(summary)} ${statusBadge(summary.status)}</p>
        <div class="buttons">
          <button @click=${() => this.importRows([summary])} ?disabled=${this.busy}>Import</button>
          ${this.localOfOpened ? html`<button @click=${() => this.compareOpened(summary, summary.id)} ?disabled=${this.busy}>Compare with the local ${summary.id}</button>` : nothing}
          <button class="quiet" @click=${() => (this.opened = null)}>Close</button>
        </div>
        <form class="compare-local" @submit=${(event: SubmitEvent) => this.submitCompare(event, summary)}>
          <label>Compare with a local run <input name="local" required spellcheck="false" placeholder="a local trajectory's id"></label>
          <button type="submit" ?disabled=${this.busy}>Compare</button>
        </form>
        ${runBody(summary, opened, summary.status)}
        <details>
          <summary>The document as pushed (JSON)</summary>
          <pre>${JSON.stringify(opened.testgen ?? opened.trajectory, null, 2)}</pre>
        </details>
      </section>
    `;
  }

  private client(settings = this.settings): TeamClient | null {
    return settings ? new TeamClient(settings.url, settings.token, { retryWithinMs: 0 }) : null;
  }

  /** Runs a task against the server, showing its failure under `heading`. */
  private async task(heading: string, work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await work();
    } catch (error) {
      this.errorHeading = heading;
      this.error = error;
    } finally {
      this.busy = false;
    }
  }

  private async saveForm(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const settings = { url: String(data.get('url') ?? '').trim(), token: String(data.get('token') ?? '').trim() };
    await this.task('The team server did not take these settings', async () => {
      await this.connect(settings, true);
      saveTeamSettings(settings);
      this.settings = settings;
      this.editing = false;
    });
  }

  /** Asks the server whose the token is, then shows the team's newest trajectories. */
  private async connect(settings: TeamSettings, throwing = false): Promise<void> {
    try {
      this.member = (await this.client(settings)!.me()).member;
    } catch (error) {
      if (throwing) throw error;
      this.errorHeading = 'The team server could not be reached';
      this.error = error;
      return;
    }
    this.settings = settings;
    await this.load(false);
  }

  private forget(): void {
    saveTeamSettings(null);
    this.settings = null;
    this.member = null;
    this.editing = true;
    this.rows = [];
    this.opened = null;
  }

  private async syncNow(): Promise<void> {
    if (!this.store || !this.settings) return;
    this.syncing = true;
    this.error = null;
    try {
      const report = await this.store.sync(this.settings);
      const sent = Object.values(report.counts).reduce((sum, n) => sum + n, 0);
      this.message = `Pushed ${formatCount(sent)} trajectories: ${formatCount(report.counts.inserted)} new, ${formatCount(report.counts.replaced)} updated${
        report.notTaken.length > 0
          ? `, ${formatCount(report.notTaken.length)} not taken (${report.notTaken.map((n) => `${n.id}: ${n.outcome}`).join(', ')})`
          : ''
      }.`;
    } catch (error) {
      this.errorHeading = 'Pushing to the team failed';
      this.error = error;
    } finally {
      this.syncing = false;
      await this.showSyncStatus();
    }
  }

  private async showSyncStatus(): Promise<void> {
    const statuses = await this.store?.syncStatus().catch(() => [] as SyncTargetStatus[]);
    const mine = statuses?.find((s) => s.server === this.client()?.url && s.member === this.member);
    if (!mine) return;
    const pending = mine.pending === 0 ? 'everything is on the team server' : `${formatCount(mine.pending)} to push`;
    this.syncText = `${pending}${mine.lastError ? `; the last attempt failed: ${mine.lastError.message}` : ''}`;
  }

  private async submitSearch(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const field = (name: string) => String(data.get(name) ?? '').trim();
    this.searchText = field('q');
    const view: BrowserView = {
      ...EMPTY_VIEW,
      text: this.searchText,
      agentName: field('agentName'),
      modelName: field('modelName'),
      kind: field('kind') as BrowserView['kind'],
      status: field('status') as BrowserView['status'],
      createdFrom: field('createdFrom'),
      createdTo: field('createdTo'),
      orderBy: field('orderBy') as BrowserView['orderBy'],
      order: field('order') === 'asc' ? 'asc' : 'desc',
    };
    // A search with no sort chosen comes newest first from the server (its default), not by rank.
    this.filter = {
      ...viewFilter(view),
      ...viewOrdering(view),
      ...(field('member') ? { member: field('member') } : {}),
    };
    await this.load(false);
  }

  /** The first page of the search (or of the newest), or the next one. */
  private async load(more: boolean): Promise<void> {
    const client = this.client();
    if (!client) return;
    await this.task('The team server did not answer', async () => {
      const cursor = more ? this.nextCursor : undefined;
      const query = { ...this.filter, limit: 50, ...(cursor ? { cursor } : {}) };
      const page = this.searchText ? await client.search(this.searchText, query) : await client.list(query);
      this.rows = more ? [...this.rows, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
      if (!more) this.selected = new Set();
    });
  }

  private toggle(key: string): void {
    const selected = new Set(this.selected);
    if (!selected.delete(key)) selected.add(key);
    this.selected = selected;
  }

  private async open(row: TeamRow): Promise<void> {
    const client = this.client();
    if (!client || !this.store) return;
    const store = this.store;
    await this.task('The trajectory could not be fetched', async () => {
      this.opened = await client.get(row.member, row.id);
      this.localOfOpened = (await store.getTrajectory(row.id)) !== null;
    });
    // The opened run is below the list: bring it into sight (its timeline draws only the steps in sight).
    await this.updateComplete;
    this.renderRoot.querySelector('.opened')?.scrollIntoView({ block: 'start' });
  }

  private async importSelected(): Promise<void> {
    await this.importRows(this.rows.filter((row) => this.selected.has(teamKey(row))));
  }

  private async importRows(rows: ReadonlyArray<Pick<TeamSummary, 'member' | 'id'>>): Promise<Map<string, string>> {
    const client = this.client();
    let localIds = new Map<string, string>();
    if (!client || !this.store) return localIds;
    const store = this.store;
    await this.task('The import failed', async () => {
      const imported = await importTeamTrajectories(client, store, rows);
      localIds = imported.localIds;
      const { inserted, replaced, unchanged, renamed, rejected } = imported.result;
      this.message = `Imported ${formatCount(rows.length)}: ${formatCount(inserted - renamed.length)} new, ${formatCount(replaced)} updated, ${formatCount(unchanged)} already here${
        renamed.length > 0
          ? `, ${formatCount(renamed.length)} kept beside a different local run (${renamed.map((r) => r.id).join(', ')})`
          : ''
      }${rejected.length > 0 ? `, ${formatCount(rejected.length)} refused` : ''}.`;
    });
    return localIds;
  }

  private async submitCompare(event: SubmitEvent, summary: TeamSummary): Promise<void> {
    event.preventDefault();
    const local = String(new FormData(event.target as HTMLFormElement).get('local') ?? '').trim();
    if (local) await this.compareOpened(summary, local);
  }

  /**
   * Imports the opened team run (by the identity rule: beside a different local run of its id, never over it), then
   * compares the local run `localId` (A) with it (B) in the compare tab.
   */
  private async compareOpened(summary: TeamSummary, localId: string): Promise<void> {
    if (!this.store) return;
    if ((await this.store.getTrajectory(localId).catch(() => null)) === null) {
      this.message = `There is no local trajectory ${localId}.`;
      return;
    }
    const teamCopy = (await this.importRows([summary])).get(teamKey(summary));
    if (!teamCopy) return;
    if (teamCopy === localId) {
      this.message = `The team's ${summary.id} is the same run as the local ${localId}.`;
      return;
    }
    this.dispatchEvent(panelEvent('compare-trajectories', { a: localId, b: teamCopy }));
  }
}

/** One sentence for a sync change told through subscribe. */
function syncSentence(change: SyncEvent): string {
  switch (change.state) {
    case 'pushing':
      return `Pushing: ${formatCount(change.pushed)} sent, ${formatCount(change.pending)} to go`;
    case 'retrying':
      return `Retrying: ${change.error?.message ?? ''}`;
    case 'failed':
      return `Failed: ${change.error?.message ?? ''}`;
    case 'done':
      return change.pushed > 0 ? `Done: ${formatCount(change.pushed)} pushed` : 'Nothing new to push';
  }
}

defineElement('trajectory-team', TrajectoryTeam);

declare global {
  interface HTMLElementTagNameMap {
    'trajectory-team': TrajectoryTeam;
  }
}
