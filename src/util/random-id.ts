/** A random id for a worker, a page or a call (crypto.randomUUID exists only in secure contexts). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
