/** Prints benchmark figures as a table and saves them as JSON under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Figure {
  /** A stable name for bench/run.mjs's goals and tables (the `name` may carry counts). */
  key?: string;
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** `quick` (the default: minutes) or `full` (BENCH_MODE=full: the sizes of issue 9, an hour or more). */
export function benchMode(): 'quick' | 'full' {
  return process.env.BENCH_MODE === 'full' ? 'full' : 'quick';
}

/** The value below which `q` of the sorted values fall (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
export const p50 = (values: readonly number[]) => quantile(values, 0.5);
export const p95 = (values: readonly number[]) => quantile(values, 0.95);

export function saveReport(suite: string, figures: Figure[]): void {
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(`\n${suite}`);
  for (const f of figures)
    console.log(
      `  ${f.name.padEnd(width)}  ${f.value.toFixed(f.value < 10 ? 2 : 0).padStart(10)} ${f.unit}${f.note ? `  (${f.note})` : ''}`,
    );
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const report = { suite, date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, figures };
  writeFileSync(new URL(`${suite}.json`, dir), `${JSON.stringify(report, null, 2)}\n`);
}

/** Milliseconds `work` takes, the median of `runs` runs. */
export function medianMs(runs: number, work: () => unknown): number {
  return p50(timesMs(runs, work));
}

/** Milliseconds each of `runs` runs of `work` takes. */
export function timesMs(runs: number, work: () => unknown): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return times;
}

/**
 * Milliseconds of this process's CPU time (user + system) `work` takes, the median of `runs` runs:
 * unlike wall time, it does not count the time other processes on a shared machine hold the cores.
 */
export function medianCpuMs(runs: number, work: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
