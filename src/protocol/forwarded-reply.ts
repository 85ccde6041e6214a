/**
 * What the tab holding the database sends back for a call another tab forwarded to it: progress, then the
 * outcome. It goes to the forwarding tab's worker, or, when that tab's page listens on a reply channel of its
 * own, straight to the page, so that a result is cloned once between the two tabs and not again between the
 * follower's worker and its page (worker/leader.ts, client/page-inbox.ts). Another tab may run another
 * release, so whoever receives these parses them first.
 */
import { z } from 'zod';
import { TrajectoryStoreError } from '../errors.js';
import { unwrap, type Outcome } from './outcome.js';

/**
 * Bumped when the messages between tabs change shape. Every message carries it, and the channel and lock
 * names (worker/names.ts) do not, so that a tab of another release is heard and told apart rather than
 * waited for in silence.
 */
export const PROTOCOL_VERSION = 3;

export const protocol = z.literal(PROTOCOL_VERSION);

const SerializedErrorSchema = z.object({
  name: z.literal('TrajectoryStoreError'),
  code: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** An Outcome (outcome.ts): the value is not looked into here; result bytes (a snapshot) come as a Blob. */
const OutcomeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: SerializedErrorSchema }),
]);

export const ProgressMessageSchema = z.object({
  type: z.literal('progress'),
  protocol,
  callId: z.string(),
  done: z.number(),
  total: z.number(),
});

export const ReplyMessageSchema = z.object({
  type: z.literal('reply'),
  protocol,
  callId: z.string(),
  outcome: OutcomeSchema,
});

/** Heard on a follower page's reply channel. */
export const ForwardedReplySchema = z.discriminatedUnion('type', [ProgressMessageSchema, ReplyMessageSchema]);

export type ForwardedReply = z.infer<typeof ForwardedReplySchema>;

/**
 * What a reply's call returned (result bytes read back out of their Blob), or the error it failed with,
 * thrown as a TrajectoryStoreError.
 */
export async function valueOfReply(
  message: Extract<ForwardedReply, { type: 'reply' }>,
  method: string,
): Promise<unknown> {
  const value = unwrap(message.outcome as Outcome<unknown>);
  if (!(value instanceof Blob)) return value;
  try {
    return new Uint8Array(await value.arrayBuffer());
  } catch (error) {
    throw new TrajectoryStoreError(
      'storage',
      `${method}: the bytes from the tab that holds the database could not be read (${String(error)})`,
    );
  }
}

/** Parses a message event's data; anything else (another release, another sender) is null. */
export function parseMessage<T>(schema: z.ZodType<T>, data: unknown): T | null {
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : null;
}
