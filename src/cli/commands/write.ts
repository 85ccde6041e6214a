/** The commands that write: export (to a file or stdout) and delete (from the database). */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringValue, type Command } from '../command.js';
import { CliError, EXIT, usageError } from '../exit-codes.js';
import { withDatabase } from './read.js';
import { FILTER_HELP, FILTER_OPTIONS, filterFrom } from './filters.js';

const FORMATS = ['jsonl', 'json', 'csv', 'sqlite'] as const;

export const exportCommand: Command = {
  name: 'export',
  summary: 'write trajectories as JSONL, JSON, CSV or a SQLite snapshot',
  usage:
    'trajectory-store export --format jsonl|json|csv|sqlite [--out FILE] [--text SEARCH] [--defuse-formulas] [filters]',
  help: `jsonl: one document a line, as import takes it back; json: an array of the same;
csv: the summaries (RFC 4180); sqlite: a snapshot file of the selection, which the app and
'import' open. Written to --out (atomically: a whole file or none) or to standard output.

Options:
  --format FORMAT      jsonl, json, csv or sqlite (required)
  --out FILE           the file to write (sqlite needs one unless standard output is a pipe)
  --text SEARCH        only what this full-text search finds
  --defuse-formulas    csv: write a text cell starting with =, +, -, @ (a spreadsheet formula) with
                       a leading ', so that a spreadsheet shows it as text (numbers stay numbers)
${FILTER_HELP}

Example:
  trajectory-store export --format jsonl --agent codex --since 30d --out codex.jsonl`,
  options: {
    ...FILTER_OPTIONS,
    format: { type: 'string' },
    out: { type: 'string' },
    text: { type: 'string' },
    'defuse-formulas': { type: 'boolean' },
  },
  async run(context) {
    const { values, io } = context;
    const format = stringValue(values, 'format');
    if (format === undefined || !(FORMATS as readonly string[]).includes(format)) {
      throw usageError(`export needs --format ${FORMATS.join('|')}${format ? ` (got ${JSON.stringify(format)})` : ''}`);
    }
    if (context.positionals.length > 0)
      throw usageError(`export takes no arguments (got ${context.positionals.join(' ')})`);
    const out = stringValue(values, 'out');
    if (format === 'sqlite' && out === undefined && io.stdout.isTTY) {
      throw usageError('export --format sqlite writes a binary file: give --out FILE, or pipe standard output');
    }
    const defuseFormulas = values['defuse-formulas'] === true;
    if (defuseFormulas && format !== 'csv') {
      throw usageError(`--defuse-formulas is for --format csv (a spreadsheet's formulas), not ${format}`);
    }
    const text = stringValue(values, 'text');
    const selection = { ...filterFrom(values), ...(text !== undefined ? { text } : {}) };
    return withDatabase(context, (core) => {
      const data =
        format === 'sqlite'
          ? core.exportSnapshot(selection)
          : new TextEncoder().encode(
              core.exportTrajectories({
                ...selection,
                format: format as 'jsonl' | 'json' | 'csv',
                ...(defuseFormulas ? { defuseFormulas } : {}),
              }),
            );
      if (out === undefined) {
        io.stdout.write(data);
      } else {
        writeFileAtomically(resolve(out), data);
        if (!context.json) io.err(`wrote ${data.length.toLocaleString('en-US')} bytes to ${out}`);
      }
      return EXIT.ok;
    });
  },
};

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'delete trajectories by id',
  usage: 'trajectory-store delete ID... [--json]',
  help: 'Deletes each trajectory named (its search index entries too) and saves the database once.\nAn id that is not stored is reported, and the exit code is 3; the others are still deleted.',
  options: {},
  async run(context) {
    if (context.positionals.length === 0) throw usageError('delete needs at least one trajectory ID');
    const database = await context.open({ write: true });
    try {
      const deleted: string[] = [];
      const missing: string[] = [];
      for (const id of context.positionals) (database.core.deleteTrajectory(id) ? deleted : missing).push(id);
      if (deleted.length > 0) database.save();
      if (context.json) context.io.out(JSON.stringify({ deleted, missing }));
      else {
        if (deleted.length > 0) context.io.out(`deleted ${deleted.length}: ${deleted.join(' ')}`);
      }
      if (missing.length > 0 && !context.json) {
        throw new CliError(
          'not_found',
          `no trajectory ${missing.map((id) => JSON.stringify(id)).join(', ')}`,
          EXIT.notFound,
        );
      }
      return missing.length > 0 ? EXIT.notFound : EXIT.ok;
    } finally {
      database.close();
    }
  },
};

/** A whole file or none: written beside the target, flushed, then renamed over it. */
export function writeFileAtomically(path: string, data: Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w', 0o644);
  try {
    for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
}
