/** A JSON object (not null, not an array): the shape most checks of untrusted data start from. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when `text` holds a UTF-16 surrogate that is not half of a pair. SQLite
 * stores text as UTF-8, where such a unit becomes U+FFFD: two ids differing
 * only there would be stored as one.
 */
export function hasLoneSurrogate(text: string): boolean {
  return /\p{Cs}/u.test(text);
}

/** Why `id` cannot be a stored trajectory id, or null when it can. The message names the id. */
export function idProblem(id: unknown): string | null {
  if (typeof id !== 'string' || id === '') return 'must be a non-empty string';
  if (hasLoneSurrogate(id)) {
    return `${JSON.stringify(id)} holds a lone UTF-16 surrogate: SQLite would store it as U+FFFD, the same as other ids`;
  }
  return null;
}
