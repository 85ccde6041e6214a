/** What every command is: its help, its flags (node:util parseArgs), and what it runs. */
import type { ParseArgsConfig } from 'node:util';
import type { DatabaseFile, OpenFileOptions } from './database-file.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface CommandContext {
  values: Values;
  positionals: string[];
  json: boolean;
  io: Io;
  /** Opens the --db file, for reading or (with the write lock) for writing. */
  open(options: Pick<OpenFileOptions, 'write'>): Promise<DatabaseFile>;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** The help after the usage line: what it does, its flags, an example. */
  help: string;
  options: Options;
  /** Resolves to the exit code. */
  run(context: CommandContext): Promise<number>;
}

/** Reads a flag parseArgs was told is a string. */
export function stringValue(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
