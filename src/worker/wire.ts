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
import type { Outcome } from '../protocol/outcome.js';
import { SyncProgressSchema, SyncTargetSchema } from '../schema/sync.js';
import { PROTOCOL_VERSION } from './names.js';

const protocol = z.literal(PROTOCOL_VERSION);

const SerializedError = z.object({
  name: z.literal('TrajectoryStoreError'),
  code: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const OutcomeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: SerializedError }),
]);

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
   * its claim lock before running it (see follower.ts).
   */
  z.object({
    type: z.literal('call'),
    protocol,
    callId: z.string(),
    from: z.string(),
    call: z.object({ method: z.enum(STORE_METHOD_NAMES), args: z.array(z.unknown()) }),
    wantsProgress: z.boolean(),
    claim: z.boolean(),
  }),
  /** To a follower: progress of its call. */
  z.object({ type: z.literal('progress'), protocol, callId: z.string(), done: z.number(), total: z.number() }),
  /** To a follower: its call's outcome; result bytes (a snapshot) come as a Blob (leader.ts). */
  z.object({ type: z.literal('reply'), protocol, callId: z.string(), outcome: OutcomeSchema }),
]);

export type BroadcastMessage = z.infer<typeof BroadcastMessageSchema>;
export type InboxMessage = z.infer<typeof InboxMessageSchema>;
export type CallMessage = Extract<InboxMessage, { type: 'call' }>;

/** The call a call message carries; its arguments are the core's to validate. */
export function callOf(message: CallMessage): StoreCall {
  return message.call as StoreCall;
}

export function outcomeOfReply(message: Extract<InboxMessage, { type: 'reply' }>): Outcome<unknown> {
  return message.outcome as Outcome<unknown>;
}

/** Parses a message event's data; anything else (another release, another sender) is null. */
export function parseMessage<T>(schema: z.ZodType<T>, data: unknown): T | null {
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

export { PROTOCOL_VERSION };
