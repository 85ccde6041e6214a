/**
 * The `trajectory-store` command: the store on a database file from a
 * terminal. `main(argv)` resolves to the exit code; bin/trajectory-store.mjs
 * runs it.
 */
import { parseArgs } from 'node:util';
import type { Command, CommandContext, Io, Options } from './command.js';
import { importCommand } from './commands/import.js';
import { syncCommand } from './commands/sync.js';
import { serveTeamCommand, teamTokenCommand } from './commands/team.js';
import { listCommand, searchCommand, showCommand, statsCommand } from './commands/read.js';
import { viewCommand } from './commands/view.js';
import { deleteCommand, exportCommand } from './commands/write.js';
import { DEFAULT_DATABASE, openDatabaseFile } from './database-file.js';
import { EXIT, EXIT_CODES_HELP, toCliError, usageError } from './exit-codes.js';

export const COMMANDS: readonly Command[] = [
  importCommand,
  listCommand,
  searchCommand,
  showCommand,
  statsCommand,
  exportCommand,
  deleteCommand,
  viewCommand,
  syncCommand,
  serveTeamCommand,
  teamTokenCommand,
];

const GLOBAL_OPTIONS: Options = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  wait: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const GLOBAL_HELP = `Options of every command:
  --db PATH            the database file (default ./${DEFAULT_DATABASE}); an ordinary SQLite
                       snapshot, which the browser app imports and exports
  --json               machine-readable output: JSON (lines); errors as {"error": {code, message}}
  --wait SECONDS       how long a write waits for another command writing the same file (default 30)
  -h, --help           this help`;

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `trajectory-store: keep, search and view AI-agent trajectories in one SQLite file

Usage: trajectory-store COMMAND [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

First run:
  npx trajectory-store import ~/.claude/projects && npx trajectory-store view

'trajectory-store COMMAND --help' tells more of each.

${GLOBAL_HELP}

${EXIT_CODES_HELP}`;
}

export function commandHelp(command: Command): string {
  return `Usage: ${command.usage}\n\n${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.\n\n${command.help}\n\n${GLOBAL_HELP}\n\n${EXIT_CODES_HELP}`;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    stdout: process.stdout,
    stderr: process.stderr,
  };
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const json = argv.includes('--json');
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.out(rest[0] && name === 'help' ? commandHelp(findCommand(rest[0])) : mainHelp());
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    const command = findCommand(name);
    const { values, positionals } = parse(command, rest);
    if (values.help === true) {
      io.out(commandHelp(command));
      return EXIT.ok;
    }
    const waitSeconds = values.wait === undefined ? 30 : Number(values.wait);
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
      throw usageError(`--wait must be a number of seconds (got ${String(values.wait)})`);
    const db = typeof values.db === 'string' ? values.db : DEFAULT_DATABASE;
    const context: CommandContext = {
      values,
      positionals,
      json: values.json === true,
      io,
      open: ({ write }) => openDatabaseFile(db, { write, waitSeconds }),
    };
    return await command.run(context);
  } catch (error) {
    const failure = toCliError(error);
    if (json) io.err(JSON.stringify({ error: { code: failure.code, message: failure.message } }));
    else io.err(`trajectory-store: ${failure.message}`);
    return failure.exitCode;
  }
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    throw usageError(
      `unknown command ${JSON.stringify(name)}; the commands are ${COMMANDS.map((c) => c.name).join(', ')} (see --help)`,
    );
  }
  return command;
}

function parse(command: Command, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs says e.g. "Unknown option '--colour'": kept, with where to look.
    throw usageError(
      `${(error as Error).message.replace(/\.?\s*To specify a positional.*$/s, '')} (see trajectory-store ${command.name} --help)`,
    );
  }
}

/** Ctrl-C and SIGTERM end the command at once: a write under way is never half-done (see database-file.ts). */
export function exitOnSignals(io: Io): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      // `view` stops its server itself; every other command stops here.
      if (process.listenerCount(signal) > 0) return;
      io.err(`trajectory-store: interrupted (${signal}); the database file is whole (nothing is half-written)`);
      process.exit(EXIT.interrupted);
    });
  }
}
