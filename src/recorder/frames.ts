/**
 * From whatever a WebSocket delivers (text, bytes, or an already-parsed
 * object) to a HUD message, or the reason it is not one. Never throws.
 */
import { check, formatPath } from '../schema/issues.js';
import { HudMessageSchema, isHudMessageType, type HudMessage } from '../schema/hud.js';

export type FrameReading =
  | { kind: 'message'; message: HudMessage }
  /** A well-formed message of a type this recorder does not record (another family, e.g. `map_*`). */
  | { kind: 'unknown'; type: string }
  /** Not JSON, not an object with a string `type`, or a known type with wrong fields. */
  | { kind: 'malformed'; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readHudFrame(frame: unknown): FrameReading {
  const value = decode(frame);
  if ('reason' in value) return { kind: 'malformed', reason: value.reason };
  const data = value.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { kind: 'malformed', reason: 'not a JSON object' };
  }
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string') return { kind: 'malformed', reason: 'no string "type"' };
  if (!isHudMessageType(type)) return { kind: 'unknown', type };
  const parsed = check(HudMessageSchema, data);
  if (parsed.success) return { kind: 'message', message: parsed.data };
  const first = parsed.error.issues[0];
  const where = first && first.path.length > 0 ? `${formatPath(first.path)}: ` : '';
  return { kind: 'malformed', reason: `${type}: ${where}${first?.message ?? 'invalid'}` };
}

function decode(frame: unknown): { data: unknown } | { reason: string } {
  let text: string;
  if (typeof frame === 'string') {
    text = frame;
  } else if (frame instanceof ArrayBuffer || ArrayBuffer.isView(frame)) {
    // Binary frames (ws in Node hands over Buffers); HUD messages are UTF-8 JSON.
    try {
      text = utf8.decode(frame);
    } catch {
      return { reason: 'binary frame that is not UTF-8' };
    }
  } else {
    return { data: frame };
  }
  try {
    return { data: JSON.parse(text) };
  } catch {
    return { reason: 'not JSON' };
  }
}
