/**
 * One database on OPFS shared by every tab of an origin.
 *
 * opfs-sahpool holds its files exclusively, so exactly one worker may open
 * them. Every tab's worker asks for the database's election lock (Web Locks);
 * the one that gets it opens the database and leads, and the others follow:
 * they forward their page's calls to the leader over BroadcastChannels. The
 * lock is released only when its holder closed the database and let go of
 * the files (pauseVfs), or when its tab is gone; the next worker in the lock's
 * queue then opens the files and leads. Nobody opens them before holding the
 * lock, so no tab meets NoModificationAllowedError.
 *
 * A follower learns who leads from the leader's announcement, and learns that
 * it has gone by waiting on the leader's "alive" lock.
 */
import type { StoreChange } from '../contract/results.js';
import type { StoreRole } from '../contract/store.js';
import { toStoreError, TrajectoryStoreError } from '../errors.js';
import type { ProgressListener } from '../schema/query.js';
import type { StoreBackend } from './backend.js';
import type { StoreCall } from '../protocol/calls.js';
import { openOpfsDatabase } from './databases.js';
import { CallNotRun, Follower } from './follower.js';
import { Leader } from './leader.js';
import { quotaRecoveryFor } from './quota-recovery.js';
import { acquireLock, whenReleased } from './locks.js';
import { randomId } from '../util/random-id.js';
import type { DatabaseNames } from './names.js';
import { BroadcastMessageSchema, parseMessage, PROTOCOL_VERSION, type BroadcastMessage } from './wire.js';

/** While a call waits for a leader, how often to ask again (announcements normally arrive first). */
const WHO_LEADS_INTERVAL_MS = 1_000;

export class SharedBackend implements StoreBackend {
  role: StoreRole = 'follower';
  private readonly workerId = randomId();
  private readonly channel: BroadcastChannel;
  private readonly follower: Follower;
  private leader: Leader | null = null;
  private remote: { leaderId: string; protocol: number; stopWatching: AbortController } | null = null;
  /** Why this worker cannot serve: it was elected and could not open the database. */
  private failure: TrajectoryStoreError | null = null;
  private closed = false;
  private readonly stopElection = new AbortController();
  private releaseLocks: Array<() => void> = [];
  private waiting: Array<() => void> = [];
  private askTimer: ReturnType<typeof setInterval> | undefined;

  private constructor(
    private readonly names: DatabaseNames,
    private readonly onChange: (change: StoreChange) => void,
  ) {
    this.channel = new BroadcastChannel(names.broadcastChannel);
    this.channel.onmessage = (event: MessageEvent) => {
      const message = parseMessage(BroadcastMessageSchema, event.data);
      if (message) this.hear(message);
    };
    this.follower = new Follower(names, this.workerId);
  }

  /**
   * Joins the database's tabs; resolves once some worker holds the database: this one, which opened it, or
   * another tab's, which announces itself only once it has. Fails as a call would fail then (this worker
   * could not open the database, or the holding tab runs another release).
   */
  static async start(names: DatabaseNames, onChange: (change: StoreChange) => void): Promise<SharedBackend> {
    const backend = new SharedBackend(names, onChange);
    backend.post({ type: 'who-leads', protocol: PROTOCOL_VERSION });
    void backend.runForLeader();
    try {
      await backend.holder('Opening the store');
    } catch (error) {
      await backend.close();
      throw error;
    }
    return backend;
  }

  /** The channel on which leaders answer this worker's page directly (its calls sent with a page call id). */
  get pageInbox(): string {
    return this.names.pageInbox(this.workerId);
  }

  async run(call: StoreCall, onProgress?: ProgressListener, pageCallId?: string): Promise<unknown> {
    for (;;) {
      const holder = await this.holder(call.method);
      if (holder instanceof Leader) return holder.run(call, onProgress);
      try {
        return await this.follower.send(holder, call, onProgress, pageCallId);
      } catch (error) {
        if (!(error instanceof CallNotRun)) throw error;
        // Given back by a leader that closed: on to the next one.
      }
    }
  }

  /** Who runs calls now, once some worker holds the database: this worker's Leader, or the leader id of another's. */
  private async holder(what: string): Promise<Leader | string> {
    for (;;) {
      if (this.closed) throw new TrajectoryStoreError('closed', `${what}: the store is closed`);
      if (this.failure) throw this.failure;
      if (this.leader) return this.leader;
      if (this.remote && this.remote.protocol !== PROTOCOL_VERSION) {
        throw new TrajectoryStoreError(
          'busy',
          `${what}: another tab holds this database with a different release of trajectory-store ` +
            `(protocol ${this.remote.protocol}, this tab ${PROTOCOL_VERSION}); reload or close that tab.`,
        );
      }
      if (this.remote) return this.remote.leaderId;
      await this.someoneLeads();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopElection.abort();
    this.remote?.stopWatching.abort();
    this.remote = null;
    try {
      // Close the database and let go of its files before the locks: the next leader opens them when it gets the lock.
      this.leader?.close();
    } finally {
      this.leader = null;
      for (const release of this.releaseLocks) release();
      this.releaseLocks = [];
    }
    this.follower.close();
    this.channel.close();
    this.wakeWaiting();
  }

  /** Waits in the election lock's queue; when granted, opens the database and leads. */
  private async runForLeader(): Promise<void> {
    let releaseElection: () => void;
    try {
      releaseElection = await acquireLock(this.names.electionLock, this.stopElection.signal);
    } catch {
      return; // closed while waiting
    }
    // Hold the alive lock before anyone can learn this worker's id: followers wait on it.
    const releaseAlive = await acquireLock(this.names.aliveLock(this.workerId));
    const release = () => {
      releaseAlive();
      releaseElection();
    };
    if (this.closed) return release();
    try {
      const database = await openOpfsDatabase(this.names);
      if (this.closed) {
        database.close();
        return release();
      }
      this.leader = new Leader(
        database,
        quotaRecoveryFor(database, this.names),
        this.names,
        this.workerId,
        (message) => this.post(message),
        this.onChange,
      );
    } catch (error) {
      // The files were left as they were; the next worker in the queue will try in its turn.
      this.failure = toStoreError(error, 'Opening the database');
      release();
      this.wakeWaiting();
      return;
    }
    this.releaseLocks = [releaseAlive, releaseElection];
    this.role = 'leader';
    this.remote?.stopWatching.abort();
    this.remote = null;
    this.leader.announce();
    this.wakeWaiting();
  }

  private hear(message: BroadcastMessage): void {
    switch (message.type) {
      case 'who-leads':
        this.leader?.announce();
        break;
      case 'leader':
        this.follow(message.leaderId, message.protocol);
        break;
      case 'change':
        // Only the leader posts changes, and a channel never hears its own posts: this is another tab's leader.
        this.onChange(message.change);
        break;
    }
  }

  private follow(leaderId: string, protocol: number): void {
    if (this.leader || this.closed || this.remote?.leaderId === leaderId) return;
    if (this.failure) {
      // Another tab opened what this one could not: the failure passed. Follow it, and stand for leader again.
      this.failure = null;
      void this.runForLeader();
    }
    this.remote?.stopWatching.abort();
    const stopWatching = new AbortController();
    this.remote = { leaderId, protocol, stopWatching };
    whenReleased(this.names.aliveLock(leaderId), stopWatching.signal, () => this.leaderGone(leaderId));
    this.wakeWaiting();
  }

  private leaderGone(leaderId: string): void {
    this.follower.leaderGone(leaderId);
    if (this.remote?.leaderId !== leaderId) return;
    this.remote = null;
    this.post({ type: 'who-leads', protocol: PROTOCOL_VERSION });
  }

  /** Resolves when something changed that may let a waiting call proceed. */
  private someoneLeads(): Promise<void> {
    this.askTimer ??= setInterval(
      () => this.post({ type: 'who-leads', protocol: PROTOCOL_VERSION }),
      WHO_LEADS_INTERVAL_MS,
    );
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private wakeWaiting(): void {
    clearInterval(this.askTimer);
    this.askTimer = undefined;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  private post(message: BroadcastMessage): void {
    if (!this.closed) this.channel.postMessage(message);
  }
}
