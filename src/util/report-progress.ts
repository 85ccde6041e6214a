/**
 * Tells `listener` how far a long call has come. A listener that throws changes nothing: progress is informative
 * only, and the call goes on.
 */
export function reportProgress(
  listener: ((progress: { done: number; total: number }) => void) | undefined,
  done: number,
  total: number,
): void {
  try {
    listener?.({ done, total });
  } catch {
    // Progress is informative only.
  }
}
