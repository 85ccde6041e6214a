/**
 * Two bench results side by side, as a Markdown table: `node bench/diff.mjs before.json after.json`.
 * Figures are matched by key (the names may carry counts); goals by their place in the list.
 */
import { readFileSync } from 'node:fs';

const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  console.error('usage: node bench/diff.mjs before.json after.json');
  process.exit(2);
}
const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const before = read(beforeFile);
const after = read(afterFile);

/** key -> figure, over every suite of a result file. */
const figures = (result) =>
  new Map(Object.values(result.suites).flatMap((suite) => suite.figures.filter((f) => f.key).map((f) => [f.key, f])));
const was = figures(before);
const now = figures(after);
const format = (v) => (v === undefined || !Number.isFinite(v) ? '-' : Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(0));

const lines = [
  `| figure | before (${before.date.slice(0, 16)}) | after (${after.date.slice(0, 16)}) | unit |`,
  '|---|---:|---:|---|',
];
for (const [key, f] of now)
  lines.push(`| ${f.name} | ${format(was.get(key)?.value)} | ${format(f.value)} | ${f.unit} |`);
lines.push('', '| goal | target | before | after | met after |', '|---|---:|---:|---:|---|');
after.goals.forEach((goal, i) => {
  lines.push(
    `| ${goal.name} | ${goal.target} | ${format(before.goals[i]?.measured ?? undefined)} | ${format(goal.measured ?? undefined)} | ${goal.met ? 'yes' : 'no'} |`,
  );
});
console.log(lines.join('\n'));
