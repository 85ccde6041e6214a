/** Prints benchmark figures as a table and saves them as JSON under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

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
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
