import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { TrajectoryStoreError, type Issue } from '../../errors.js';
import { AGENT_LOG_IMPORTERS } from '../../importers/index.js';
import { ON_CONFLICT } from '../../schema/query.js';
import type { ImportResult } from '../../contract/results.js';
import type { StoreCore } from '../../store/store.js';
import { stringValue, type Command, type CommandContext } from '../command.js';
import { CliError, EXIT, toCliError, usageError } from '../exit-codes.js';
import { collectFiles } from '../input-files.js';
import { progressBar, type Progress } from '../progress.js';

type OnConflict = (typeof ON_CONFLICT)[number];

export interface ImportSummary {
  db: string;
  files: number;
  inserted: number;
  replaced: number;
  /** Identical to what was stored already: nothing written. */
  unchanged: number;
  skipped: number;
  /** Trajectories merged from snapshot files. */
  merged: number;
  renamed: Array<{ file: string; index: number; id: string; originalId: string }>;
  warnings: Array<{ file: string } & Issue>;
  rejected: Array<{ file: string; index?: number; line?: number; issues: Issue[] }>;
  /** Files that hold no trajectories (a folder's other JSON files, say). */
  ignored: Array<{ file: string; reason: string }>;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'import trajectory files, agent logs and snapshots into the database',
  usage: 'trajectory-store import PATH... [--on-conflict replace|skip|keep-both] [--strict]',
  help: `Reads each file, and every .json, .jsonl, .eval and .sqlite file inside each folder (recursively),
  in whatever format it is (the library's importTrajectories detects it, as the app does):
  ATIF documents (.json: one document or an array; .jsonl: one document a line, or the
  streamed form, a __header__ line and then one step a line), testgen sessions, snapshots
  of this project (.sqlite: merged by the identity rule), and the logs agents write:
${AGENT_LOG_IMPORTERS.map((i) => `    ${i.format.padEnd(12)} ${i.description}`).join('\n')}
Everything is saved in one write of the database file at the end: an interrupted import
leaves the file as it was.

Options:
  --on-conflict MODE   when an id is taken by a different trajectory: by default the newcomer
                       is kept beside it as ID~2 (an identical one is left unchanged, a longer
                       run of the same one replaces it); replace, skip, or keep-both (always
                       a copy) instead
  --strict             refuse documents that depart from the ATIF spec, and save nothing
                       unless every file and item is taken without warnings

Example:
  trajectory-store import ~/.claude/projects ~/.codex/sessions logs/*.eval`,
  options: {
    'on-conflict': { type: 'string' },
    strict: { type: 'boolean' },
  },
  async run(context) {
    const { positionals, values } = context;
    if (positionals.length === 0) throw usageError('import needs at least one file or folder');
    const onConflict = stringValue(values, 'on-conflict');
    if (onConflict !== undefined && !(ON_CONFLICT as readonly string[]).includes(onConflict)) {
      throw usageError(`--on-conflict must be one of ${ON_CONFLICT.join(', ')} (got ${JSON.stringify(onConflict)})`);
    }
    const summary = await importPaths(context, positionals, {
      onConflict: onConflict as OnConflict | undefined,
      strict: values.strict === true,
    });
    report(context, summary, values.strict === true);
    const incomplete =
      summary.rejected.length > 0 ||
      (values.strict === true && (summary.warnings.length > 0 || summary.ignored.length > 0));
    return incomplete ? EXIT.partial : EXIT.ok;
  },
};

/** Imports `paths` into the --db file and saves it once; `view` uses it too. */
export async function importPaths(
  context: CommandContext,
  paths: readonly string[],
  options: { onConflict?: OnConflict; strict: boolean },
): Promise<ImportSummary> {
  for (const path of paths) {
    if (!existsSync(path)) throw new CliError('not_found', `no such file or folder: ${path}`, EXIT.notFound);
  }
  const files = collectFiles(paths);
  const database = await context.open({ write: true });
  const progress = progressBar(context.io.stderr, !context.json);
  try {
    const summary = await importFiles(database.core, files, options, progress);
    summary.db = database.path;
    progress.done();
    const clean = summary.rejected.length === 0 && summary.warnings.length === 0 && summary.ignored.length === 0;
    const changed =
      summary.inserted + summary.replaced + summary.merged + summary.renamed.length > 0 || !database.existed;
    if (options.strict && !clean) return summary; // nothing written
    if (changed) database.save();
    return summary;
  } finally {
    progress.done();
    database.close();
  }
}

async function importFiles(
  core: StoreCore,
  files: readonly string[],
  options: { onConflict?: OnConflict; strict: boolean },
  progress: Progress,
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    db: '',
    files: files.length,
    inserted: 0,
    replaced: 0,
    unchanged: 0,
    skipped: 0,
    merged: 0,
    renamed: [],
    warnings: [],
    rejected: [],
    ignored: [],
  };
  for (const [index, file] of files.entries()) {
    const name = displayName(file);
    const show = (detail: string) =>
      progress.update(index, files.length, `${summary.inserted + summary.replaced + summary.merged} saved · ${detail}`);
    show(name);
    try {
      const result = core.importTrajectories(readFileSync(file), {
        name: file,
        ...(options.onConflict ? { onConflict: options.onConflict } : {}),
        ...(options.strict ? { strict: true } : {}),
        onProgress: ({ done, total }) => show(`${name} ${total ? Math.floor((done / total) * 100) : 100}%`),
      });
      addResult(summary, name, result);
    } catch (error) {
      if (error instanceof TrajectoryStoreError && error.code === 'unknown_format') {
        summary.ignored.push({ file: name, reason: `not a format it reads (${error.issues?.[0]?.message})` });
      } else {
        const { code, message } = toCliError(error);
        summary.rejected.push({ file: name, issues: [{ path: '', message: `${message} (${code})` }] });
      }
    }
    // Let a Ctrl-C in: it ends the command before anything is written.
    await new Promise((resolve) => setImmediate(resolve));
  }
  progress.update(files.length, files.length, 'saving');
  return summary;
}

/** One file's report, added to the summary with the file's name on each listed item. */
function addResult(summary: ImportSummary, file: string, result: ImportResult): void {
  summary.inserted += result.inserted;
  summary.replaced += result.replaced;
  summary.unchanged += result.unchanged;
  summary.skipped += result.skipped;
  summary.merged += result.merged;
  for (const warning of result.inputWarnings) summary.warnings.push({ file, ...warning });
  for (const item of result.warnings) {
    const at = item.line ? `line ${item.line} ` : `[${item.index}].`;
    for (const w of item.warnings) summary.warnings.push({ file, ...w, path: `${at}${w.path}` });
  }
  for (const r of result.renamed) summary.renamed.push({ file, ...r });
  for (const r of result.rejected) summary.rejected.push({ file, ...r });
}

const displayName = (file: string) => {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
};

const LISTED = 20;

function report({ io, json }: CommandContext, s: ImportSummary, strict: boolean): void {
  if (json) {
    io.out(JSON.stringify(s));
    return;
  }
  const held = strict && (s.rejected.length > 0 || s.warnings.length > 0 || s.ignored.length > 0);
  const parts = [
    `${s.inserted} inserted`,
    `${s.replaced} replaced`,
    `${s.unchanged} unchanged`,
    ...(s.skipped ? [`${s.skipped} skipped`] : []),
    ...(s.merged ? [`${s.merged} from snapshots`] : []),
    `${s.renamed.length} renamed`,
    `${s.warnings.length} warnings`,
    `${s.rejected.length} rejected`,
  ];
  io.out(`${s.files} files -> ${displayName(s.db)}: ${parts.join(', ')}`);
  const list = <T>(title: string, items: readonly T[], line: (item: T) => string) => {
    if (items.length === 0) return;
    io.out(`${title}:`);
    for (const item of items.slice(0, LISTED)) io.out(`  ${line(item)}`);
    if (items.length > LISTED) io.out(`  ... and ${items.length - LISTED} more (--json lists all)`);
  };
  const issues = (list: readonly Issue[]) => list.map((i) => `${i.path ? `${i.path} ` : ''}${i.message}`).join('; ');
  const at = (r: { index?: number; line?: number }) =>
    `${r.index !== undefined ? ` [${r.index}]` : ''}${r.line !== undefined ? ` line ${r.line}` : ''}`;
  list('rejected', s.rejected, (r) => `${r.file}${at(r)}: ${issues(r.issues)}`);
  list('renamed', s.renamed, (r) => `${r.file} [${r.index}]: ${r.originalId} saved as ${r.id}`);
  list('warnings', s.warnings, (w) => `${w.file}${w.path ? ` ${w.path}` : ''}: ${w.message}`);
  list('not imported', s.ignored, (f) => `${f.file}: ${f.reason}`);
  if (held) io.out('--strict: nothing was saved');
}
