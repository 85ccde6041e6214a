/**
 * The command's exit codes, documented in `--help` and the README: scripts
 * may rely on them.
 */
import { TrajectoryStoreError, type ErrorCode } from '../errors.js';

export const EXIT = {
  ok: 0,
  /** The command ran, but some of its input was not saved (import: rejected items, or warnings under --strict). */
  partial: 1,
  usage: 2,
  notFound: 3,
  /** The database file or an imported file is unreadable, corrupt, foreign or from a newer release. */
  data: 4,
  /** Another command holds the database file and did not let go within --wait seconds. */
  busy: 5,
  /** sync: the team server refused the token or a request, or could not be reached within the retry budget. */
  team: 6,
  /** Ctrl-C or SIGTERM: nothing was written. */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0    done
  1    done, but some input was not saved (rejected items; warnings with --strict)
  2    bad command line (unknown command or flag, bad value)
  3    no such trajectory, file or database
  4    unusable database or file (corrupt, foreign, written by a newer release)
  5    the database file is busy: another command is writing it (see --wait)
  6    sync: the team server refused the token or the request, or could not be reached
  130  interrupted (Ctrl-C, SIGTERM): the database file was left as it was`;

export type CliErrorCode = ErrorCode | 'usage' | 'io';

/** A failure of the command, told as one line (and its code with --json). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError('usage', message, EXIT.usage);

const TEAM_FAILURES = new Set<ErrorCode>(['unauthorized', 'refused', 'unreachable']);

/** Any error as a CliError: store errors keep their code and get the matching exit code. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof TrajectoryStoreError) {
    const exitCode =
      error.code === 'not_found'
        ? EXIT.notFound
        : error.code === 'busy'
          ? EXIT.busy
          : error.code === 'validation'
            ? EXIT.usage
            : TEAM_FAILURES.has(error.code)
              ? EXIT.team
              : EXIT.data;
    const detail = error.issues?.length
      ? `: ${error.issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`
      : '';
    return new CliError(error.code, `${error.message}${detail}`, exitCode);
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new CliError('not_found', (error as Error).message, EXIT.notFound);
  if (typeof code === 'string') return new CliError('io', (error as Error).message, EXIT.data);
  return new CliError('storage', error instanceof Error ? error.message : String(error), EXIT.data);
}
