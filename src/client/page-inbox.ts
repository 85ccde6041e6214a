/**
 * The page's own reply channel, for a store shared with other tabs. When another tab holds the database,
 * this page's worker forwards each call to it, and that tab sends the call's progress and outcome here,
 * straight to the page: a result is cloned once, where going through this page's worker cloned it twice
 * (worker to worker, then worker to page: getStats at 2,000 trajectories took 7-39 ms more from another tab
 * than from the holding one, about 1 ms more since).
 *
 * The worker still tracks each call (ids, claims, the holding tab going: worker/follower.ts) and answers
 * too: with the outcome when it ran the call itself, or settled it without a reply (`busy`, `interrupted`,
 * `closed`), or with word that the reply went here. Whichever comes first settles the call.
 */
import { TrajectoryStoreError } from '../errors.js';
import { type ForwardedReply, ForwardedReplySchema, parseMessage, valueOfReply } from '../protocol/forwarded-reply.js';
import { unwrap } from '../protocol/outcome.js';
import type { CallAnswer } from '../protocol/worker-api.js';
import type { ProgressListener } from '../schema/query.js';
import { randomId } from '../util/random-id.js';
import { reportProgress } from '../util/report-progress.js';

interface Waiting {
  method: string;
  onProgress: ProgressListener | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class PageInbox {
  private readonly channel: BroadcastChannel;
  private readonly waiting = new Map<string, Waiting>();

  constructor(name: string) {
    this.channel = new BroadcastChannel(name);
    this.channel.onmessage = (event: MessageEvent) => {
      const message = parseMessage(ForwardedReplySchema, event.data);
      if (message) this.receive(message);
    };
  }

  /**
   * One call, sent to the worker by `send` under a fresh call id: resolves or rejects with the first word
   * on it, the holding tab's reply here or the worker's answer.
   */
  async call(
    method: string,
    onProgress: ProgressListener | undefined,
    send: (pageCallId: string) => Promise<CallAnswer>,
  ): Promise<unknown> {
    const callId = randomId();
    const replied = new Promise<unknown>((resolve, reject) =>
      this.waiting.set(callId, { method, onProgress, resolve, reject }),
    );
    const answered = send(callId).then((answer) => ('repliedToPage' in answer ? replied : unwrap(answer)));
    try {
      return await Promise.race([replied, answered]);
    } finally {
      this.waiting.delete(callId);
    }
  }

  close(): void {
    this.channel.close();
    for (const waiting of this.waiting.values()) {
      waiting.reject(new TrajectoryStoreError('closed', `${waiting.method}: the store was closed during the call`));
    }
    this.waiting.clear();
  }

  private receive(message: ForwardedReply): void {
    const waiting = this.waiting.get(message.callId);
    if (!waiting) return;
    if (message.type === 'progress') return reportProgress(waiting.onProgress, message.done, message.total);
    void valueOfReply(message, waiting.method).then(waiting.resolve, waiting.reject);
  }
}
