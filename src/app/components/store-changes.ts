/**
 * Keeps a panel current: subscribes to its store's changes while the panel is
 * in the page, and calls back once changes pause (debounced, but at least
 * every few seconds while a live feed keeps writing).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StoreChange, TrajectoryStore } from '../../public-types.js';
import { debounce, type Debounced } from '../data/debounce.js';

export class StoreChangesController implements ReactiveController {
  private store: TrajectoryStore | undefined;
  private unsubscribe: (() => void) | undefined;
  private pending: StoreChange[] = [];
  private readonly flush: Debounced;
  private connected = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly onChanges: (changes: StoreChange[]) => void,
    waitMs = 400,
    maxWaitMs = 2_000,
  ) {
    host.addController(this);
    this.flush = debounce(
      () => {
        const changes = this.pending;
        this.pending = [];
        if (changes.length > 0) this.onChanges(changes);
      },
      waitMs,
      maxWaitMs,
    );
  }

  /** Follows this store from now on (call whenever the panel's `store` is set). */
  watch(store: TrajectoryStore | undefined): void {
    if (store === this.store) return;
    this.stop();
    this.store = store;
    if (this.connected) this.start();
  }

  hostConnected(): void {
    this.connected = true;
    this.start();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stop();
  }

  private start(): void {
    if (!this.store || this.unsubscribe) return;
    this.unsubscribe = this.store.subscribe((change) => {
      if (change.type === 'sync') return; // a push to a team server changes no trajectory
      this.pending.push(change);
      this.flush();
    });
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.flush.cancel();
    this.pending = [];
  }
}

/** The ids a batch of changes touched, or null when it touched everything (an import). */
export function changedIds(changes: StoreChange[]): Set<string> | null {
  const ids = new Set<string>();
  for (const change of changes) {
    if (change.type === 'imported') return null;
    if (change.type === 'sync') continue;
    for (const id of change.ids) ids.add(id);
  }
  return ids;
}
