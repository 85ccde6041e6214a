/**
 * A follower's side of forwarding: posts its page's calls to the leader's
 * inbox, matches replies and progress to them, and when the leader goes,
 * settles every call that was sent to it and not answered.
 *
 * A call that never reached a leader is never failed here: it waits in the
 * shared store until some worker leads. A call that reached a leader that
 * then went may or may not have committed:
 * - one that is safe to repeat (isRepeatSafe) fails with `busy`, and the
 *   page's client repeats it on the next leader;
 * - one that is not (insertMany with keep-both) carries a claim: a Web Lock
 *   this worker holds from before sending it, and the leader takes (steals)
 *   before running it. When the leader goes, the lock manager says which
 *   happened: still held here, the call never ran and goes on to the next
 *   leader (CallNotRun); taken, it may have run, and fails with
 *   `interrupted`. A message could not tell: the leader's last messages and
 *   the news of its end arrive in no set order.
 */
import { TrajectoryStoreError } from '../errors.js';
import type { ProgressListener } from '../schema/query.js';
import { isRepeatSafe } from '../contract/methods.js';
import type { StoreCall } from '../protocol/calls.js';
import { valueOfReply } from '../protocol/forwarded-reply.js';
import { randomId } from '../util/random-id.js';
import { reportProgress } from '../util/report-progress.js';
import { acquireLock, isHeld } from './locks.js';
import type { DatabaseNames } from './names.js';
import { InboxMessageSchema, parseMessage, PROTOCOL_VERSION, type InboxMessage } from './wire.js';

interface SentCall {
  leaderId: string;
  call: StoreCall;
  onProgress: ProgressListener | undefined;
  /** The call's claim lock (unsafe calls only): its name, and the release of this worker's hold. */
  claim?: { name: string; release: () => void };
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** What a call sent `toPage` resolves with: its outcome went to the page. */
export const REPLIED_TO_PAGE: unique symbol = Symbol('replied to the page');

/** The call never ran on the leader that went: it may go to the next leader, whatever the call. */
export class CallNotRun extends Error {
  constructor(method: string) {
    super(`${method}: the tab that held the database went before running the call`);
  }
}

export class Follower {
  private readonly inbox: BroadcastChannel;
  private readonly sent = new Map<string, SentCall>();
  private readonly leaderInboxes = new Map<string, BroadcastChannel>();
  /** Leaders known to be gone: nothing more is sent to them. */
  private readonly goneLeaders = new Set<string>();

  constructor(
    private readonly names: DatabaseNames,
    private readonly workerId: string,
  ) {
    this.inbox = new BroadcastChannel(names.inbox(workerId));
    this.inbox.onmessage = (event: MessageEvent) => {
      const message = parseMessage(InboxMessageSchema, event.data);
      if (message) this.receive(message);
    };
  }

  /**
   * Sends `call` to the leader and resolves with its result; `pageCallId` (the page's id for the call): the
   * leader answers the page itself, and this resolves with REPLIED_TO_PAGE once it has.
   */
  async send(leaderId: string, call: StoreCall, onProgress?: ProgressListener, pageCallId?: string): Promise<unknown> {
    // Nothing is sent to a leader known to be gone: the call goes on to the next one.
    if (this.goneLeaders.has(leaderId)) throw new CallNotRun(call.method);
    const callId = pageCallId ?? randomId();
    let claim: SentCall['claim'];
    if (!isRepeatSafe(call.method, call.args)) {
      const name = this.names.claimLock(callId);
      claim = { name, release: await acquireLock(name) };
      if (this.goneLeaders.has(leaderId)) {
        // The leader went while the claim was being taken: the call was never sent.
        claim.release();
        throw new CallNotRun(call.method);
      }
    }
    return new Promise((resolve, reject) => {
      this.sent.set(callId, { leaderId, call, onProgress, ...(claim ? { claim } : {}), resolve, reject });
      try {
        this.leaderInbox(leaderId).postMessage({
          type: 'call',
          protocol: PROTOCOL_VERSION,
          callId,
          from: this.workerId,
          call,
          wantsProgress: onProgress !== undefined,
          claim: claim !== undefined,
          toPage: pageCallId !== undefined,
        } satisfies InboxMessage);
      } catch (error) {
        // Arguments that cannot be cloned never left this worker.
        this.settle(callId, () => {
          throw new TrajectoryStoreError(
            'validation',
            `${call.method}: its arguments cannot be sent to the tab that holds the database (${(error as Error).message})`,
          );
        });
      }
    });
  }

  /** The leader is gone: its unanswered calls are settled as the comment at the top says. */
  leaderGone(leaderId: string): void {
    this.goneLeaders.add(leaderId);
    this.leaderInboxes.get(leaderId)?.close();
    this.leaderInboxes.delete(leaderId);
    for (const [callId, sent] of this.sent) {
      if (sent.leaderId !== leaderId) continue;
      if (!sent.claim) {
        this.settle(callId, () => {
          throw new TrajectoryStoreError(
            'busy',
            `${sent.call.method}: the tab that held the database closed during the call; it is safe to repeat.`,
          );
        });
        continue;
      }
      const { name } = sent.claim;
      void isHeld(name).then((stillOurs) =>
        this.settle(callId, () => {
          if (stillOurs) throw new CallNotRun(sent.call.method);
          throw new TrajectoryStoreError(
            'interrupted',
            `${sent.call.method}: the tab that held the database closed during the call, which may or may not have been saved. ` +
              'It was not repeated, because repeating it could store a second copy; check what was saved before trying again.',
          );
        }),
      );
    }
  }

  close(): void {
    this.inbox.close();
    for (const channel of this.leaderInboxes.values()) channel.close();
    this.leaderInboxes.clear();
    for (const callId of [...this.sent.keys()]) {
      this.settle(callId, () => {
        throw new TrajectoryStoreError('closed', 'The store was closed before the call was answered.');
      });
    }
  }

  private receive(message: InboxMessage): void {
    if (message.type === 'call') return;
    const sent = this.sent.get(message.callId);
    if (!sent) return;
    if (message.type === 'progress') return reportProgress(sent.onProgress, message.done, message.total);
    if (message.type === 'answered') return this.settle(message.callId, () => REPLIED_TO_PAGE);
    void valueOfReply(message, sent.call.method).then(
      (value) => this.settle(message.callId, () => value),
      (error: unknown) =>
        this.settle(message.callId, () => {
          throw error;
        }),
    );
  }

  /** Ends a sent call (once) with what `outcome` returns or throws, and lets go of its claim. */
  private settle(callId: string, outcome: () => unknown): void {
    const sent = this.sent.get(callId);
    if (!sent) return;
    this.sent.delete(callId);
    sent.claim?.release();
    try {
      sent.resolve(outcome());
    } catch (error) {
      sent.reject(error);
    }
  }

  private leaderInbox(leaderId: string): BroadcastChannel {
    let channel = this.leaderInboxes.get(leaderId);
    if (!channel) {
      channel = new BroadcastChannel(this.names.inbox(leaderId));
      this.leaderInboxes.set(leaderId, channel);
    }
    return channel;
  }
}
