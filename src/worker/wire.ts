/**
 * The messages the workers of one database's tabs exchange over
 * BroadcastChannels. Another tab may run another release, so every message is
 * parsed here before it is acted on; call arguments are left to the store
 * core, which validates every input itself.
 */
import { z } from 'zod';
import { STORE_METHOD_NAMES } from '../contract/methods.js';
import type { StoreChange } from '../contract/results.js';
import type { StoreCall } from '../protocol/calls.js';
import { ProgressMessageSchema, protocol, ReplyMessageSchema } from '../protocol/forwarded-reply.js';
import { SyncProgressSchema, SyncTargetSchema } from '../schema/sync.js';

export const StoreChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('saved'), ids: z.array(z.string()) }),
  z.object({ type: z.literal('deleted'), ids: z.array(z.string()) }),
  z.object({ type: z.literal('imported'), mode: z.enum(['replace', 'merge']), count: z.number() }),
  SyncProgressSchema.extend({ type: z.literal('sync'), ...SyncTargetSchema.shape }),
]) satisfies z.ZodType<StoreChange>;

/** Heard by every tab of the database. */
export const BroadcastMessageSchema = z.discriminatedUnion('type', [
  /** Asked by a tab that does not know who holds the database. */
  z.object({ type: z.literal('who-leads'), protocol }),
  /** Told by the holder when it starts serving and whenever asked. Any release's is heard, to tell it apart. */
  z.object({ type: z.literal('leader'), protocol: z.number(), leaderId: z.string() }),
  /** A committed change, for every tab's subscribers. */
  z.object({ type: z.literal('change'), protocol, change: StoreChangeSchema }),
]);

/** Posted to one worker's inbox. */
export const InboxMessageSchema = z.discriminatedUnion('type', [
  /**
   * To the leader: run this call and reply to `from`'s inbox. `claim`: the call is unsafe to repeat; take
   * its claim lock before running it (see follower.ts). `toPage`: send its progress and outcome to `from`'s
   * page instead (its page inbox), and tell `from` only that it was answered.
   */
  z.object({
    type: z.literal('call'),
    protocol,
    callId: z.string(),
    from: z.string(),
    call: z.object({ method: z.enum(STORE_METHOD_NAMES), args: z.array(z.unknown()) }),
    wantsProgress: z.boolean(),
    claim: z.boolean(),
    toPage: z.boolean(),
  }),
  /** To a follower: progress of its call. */
  ProgressMessageSchema,
  /** To a follower: its call's outcome; result bytes (a snapshot) come as a Blob (leader.ts). */
  ReplyMessageSchema,
  /** To a follower: its call (sent `toPage`) was answered, to its page. */
  z.object({ type: z.literal('answered'), protocol, callId: z.string() }),
]);

export type BroadcastMessage = z.infer<typeof BroadcastMessageSchema>;
export type InboxMessage = z.infer<typeof InboxMessageSchema>;
export type CallMessage = Extract<InboxMessage, { type: 'call' }>;

/** The call a call message carries; its arguments are the core's to validate. */
export function callOf(message: CallMessage): StoreCall {
  return message.call as StoreCall;
}

export { parseMessage, PROTOCOL_VERSION } from '../protocol/forwarded-reply.js';
