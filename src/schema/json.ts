/** A JSON object (not null, not an array): the shape most checks of untrusted data start from. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
