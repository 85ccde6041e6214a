/**
 * The leader: the one worker (of all the tabs of an origin) that holds the
 * database. It runs its own page's calls and the calls other tabs' workers
 * forward to its inbox, one at a time (each runs to completion on the
 * synchronous core), and tells every tab of every committed change.
 */
import type { ProgressListener } from '../schema/query.js';
import type { StoreChange } from '../contract/results.js';
import type { StoreCall } from '../protocol/calls.js';
import type { ForwardedReply } from '../protocol/forwarded-reply.js';
import { failure, success, type Outcome } from '../protocol/outcome.js';
import { TrajectoryStoreError } from '../errors.js';
import { LruMap } from '../util/lru.js';
import { CallQueue } from './call-queue.js';
import type { QuotaRecovery } from './quota-recovery.js';
import type { OpenedDatabase } from './databases.js';
import { stealLock } from './locks.js';
import type { DatabaseNames } from './names.js';
import {
  callOf,
  InboxMessageSchema,
  parseMessage,
  PROTOCOL_VERSION,
  type BroadcastMessage,
  type CallMessage,
  type InboxMessage,
} from './wire.js';

/** Reply channels (workers' and pages' inboxes) kept open at once; a tab that reloads comes back as a new worker. */
const MAX_REPLY_CHANNELS = 64;

/**
 * A result for another tab: bytes (a snapshot) go as a Blob, which a BroadcastChannel passes as a handle to
 * bytes the browser holds rather than cloning them (the 1 MiB chunks sent before took 98 s for 64 MiB, the Blob
 * 0.5 s: bench/transport-trial.ts, ARCHITECTURE.md).
 */
function asSendable(value: unknown): unknown {
  return value instanceof Uint8Array ? new Blob([value as Uint8Array<ArrayBuffer>]) : value;
}

export class Leader {
  private readonly inbox: BroadcastChannel;
  /** Open reply channels by name; the least recently used is closed when there are too many. */
  private readonly replyChannels = new LruMap<string, BroadcastChannel>(MAX_REPLY_CHANNELS, (channel) =>
    channel.close(),
  );
  private readonly unsubscribe: () => void;
  private readonly queue = new CallQueue();
  private closed = false;

  constructor(
    private readonly database: OpenedDatabase,
    /** Runs each call: diagnoses storage failures, and lets a delete through a full quota. */
    private readonly recovery: QuotaRecovery,
    private readonly names: DatabaseNames,
    readonly leaderId: string,
    /** Posts to every other tab. */
    private readonly broadcast: (message: BroadcastMessage) => void,
    /** This worker's own page. */
    onChange: (change: StoreChange) => void,
  ) {
    this.inbox = new BroadcastChannel(names.inbox(leaderId));
    this.inbox.onmessage = (event: MessageEvent) => {
      const message = parseMessage(InboxMessageSchema, event.data);
      // A call that never ran gets no reply: its tab learns that this leader went, and sends it on.
      if (message?.type === 'call') this.queue.push({ run: () => this.serve(message), abandon: () => {} });
    };
    this.unsubscribe = database.core.subscribe((change) => {
      this.broadcast({ type: 'change', protocol: PROTOCOL_VERSION, change });
      onChange(change);
    });
  }

  announce(): void {
    this.broadcast({ type: 'leader', protocol: PROTOCOL_VERSION, leaderId: this.leaderId });
  }

  /** A call of this worker's own page, in turn with the other tabs' calls. */
  run(call: StoreCall, onProgress?: ProgressListener): Promise<unknown> {
    return this.queue.run(
      () => this.recovery.run(call.method, () => this.database.run(call, onProgress)),
      () => new TrajectoryStoreError('closed', `${call.method}: the store was closed before the call ran`),
    );
  }

  /**
   * A call forwarded by another tab's worker: run it, then reply to that worker's inbox, or (`toPage`) send
   * its progress and outcome to that tab's page and tell the worker only that it was answered. The page's
   * reply is posted first: the worker's word settles the call, and should this tab go between the two posts,
   * the call is settled as unanswered (follower.ts), which is true of the page's reply as well if it is lost.
   */
  private async serve(message: CallMessage): Promise<void> {
    // From here on the call may run: its tab, should this leader go, can tell (follower.ts).
    if (message.claim) await stealLock(this.names.claimLock(message.callId));
    if (this.closed) return; // closed while taking the claim: the call may not run now, and its tab says so
    const { callId, from } = message;
    const worker = this.names.inbox(from);
    const replies = message.toPage ? this.names.pageInbox(from) : worker;
    const post = (payload: ForwardedReply) => this.channelTo(replies).postMessage(payload);
    const onProgress: ProgressListener | undefined = message.wantsProgress
      ? ({ done, total }) => post({ type: 'progress', protocol: PROTOCOL_VERSION, callId, done, total })
      : undefined;
    let outcome: Outcome<unknown>;
    try {
      const call = callOf(message);
      outcome = success(asSendable(await this.recovery.run(call.method, () => this.database.run(call, onProgress))));
    } catch (error) {
      outcome = failure(error, message.call.method);
    }
    try {
      post({ type: 'reply', protocol: PROTOCOL_VERSION, callId, outcome });
    } catch (error) {
      post({
        type: 'reply',
        protocol: PROTOCOL_VERSION,
        callId,
        outcome: failure(error, `${message.call.method} reply`),
      });
    }
    if (message.toPage) {
      this.channelTo(worker).postMessage({
        type: 'answered',
        protocol: PROTOCOL_VERSION,
        callId,
      } satisfies InboxMessage);
    }
  }

  private channelTo(name: string): BroadcastChannel {
    let channel = this.replyChannels.get(name);
    if (!channel) {
      channel = new BroadcastChannel(name);
      this.replyChannels.set(name, channel);
    }
    return channel;
  }

  /** Stops serving and closes the database, letting go of its files. */
  close(): void {
    this.closed = true;
    this.inbox.close();
    this.queue.close();
    this.unsubscribe();
    this.replyChannels.clear();
    this.database.close();
  }
}
