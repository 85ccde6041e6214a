/** The resident memory of a headless browser's processes, for the benchmarks' peak-memory figures. */
import { readdirSync, readFileSync } from 'node:fs';

/** Resident memory of this browser's processes (found by their profile directory), in MiB. */
function browserRssMiB(profile: string): number {
  let kib = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(profile)) continue;
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kib += Number(rss?.[1] ?? 0);
    } catch {
      // The process ended meanwhile.
    }
  }
  return kib / 1024;
}

/** Runs `work`, sampling the browser's memory every 50 ms; resolves to its result and the peak seen. */
export async function withPeakMemory<T>(
  profile: string,
  work: () => Promise<T>,
): Promise<{ result: T; peakMiB: number }> {
  let peakMiB = browserRssMiB(profile);
  const timer = setInterval(() => {
    peakMiB = Math.max(peakMiB, browserRssMiB(profile));
  }, 50);
  try {
    const result = await work();
    return { result, peakMiB: Math.max(peakMiB, browserRssMiB(profile)) };
  } finally {
    clearInterval(timer);
  }
}
