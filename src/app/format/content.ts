/**
 * ATIF message and observation content as blocks of text. Content may be a
 * string, an array of content parts (v1.6+) or, from real-world agents, any
 * JSON object; none of it is ever treated as markup. An image part is named,
 * not loaded: its path comes from stored data.
 */
import { isRecord } from '../../schema/json.js';

export type ContentBlock =
  | { kind: 'text'; text: string }
  | { kind: 'media'; text: string }
  | { kind: 'json'; text: string };

/** Pretty JSON for display; any value, never throws. */
export function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function partBlock(part: unknown): ContentBlock {
  if (!isRecord(part)) return { kind: 'json', text: jsonText(part) };
  if (part.type === 'text' && typeof part.text === 'string') return { kind: 'text', text: part.text };
  if (part.type === 'image' || part.type === 'audio') {
    const source = isRecord(part.source) ? part.source : {};
    const media = typeof source.media_type === 'string' ? source.media_type : String(part.type);
    const path = typeof source.path === 'string' ? source.path : '';
    return { kind: 'media', text: `${part.type}: ${media}${path ? ` at ${path}` : ''}` };
  }
  return { kind: 'json', text: jsonText(part) };
}

export function contentBlocks(content: unknown): ContentBlock[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ kind: 'text', text: content }];
  if (Array.isArray(content)) return content.map(partBlock);
  return [{ kind: 'json', text: jsonText(content) }];
}
