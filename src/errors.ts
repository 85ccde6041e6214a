/**
 * The one error class of the public API. Every failure a caller can act on
 * carries a `code`; validation failures also carry every issue found.
 */

export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'storage'
  | 'quota'
  | 'busy'
  /** A write whose outcome is unknown (the tab holding the database closed during it) and that is unsafe to repeat. */
  | 'interrupted'
  | 'closed'
  /** importTrajectories was given an input in no format it reads; the message names what it found. */
  | 'unknown_format'
  | 'corrupt_snapshot'
  | 'incompatible_snapshot'
  | 'migration'
  /** A team server refused the token (HTTP 401) or the request is not allowed (403): store.sync() stops. */
  | 'unauthorized'
  /** A team server refused the request itself (400, 404, 413...); the message carries its reason. */
  | 'refused'
  /** A team server could not be reached, or kept answering 5xx or 429, until the retry budget ran out. */
  | 'unreachable';

/** One problem with an input, at a field path such as `steps[2].tool_calls[0].function_name`. */
export interface Issue {
  path: string;
  message: string;
}

/** What crosses a structured-clone boundary (worker, BroadcastChannel). */
export interface SerializedStoreError {
  name: 'TrajectoryStoreError';
  code: ErrorCode;
  message: string;
  issues?: Issue[];
}

export class TrajectoryStoreError extends Error {
  override readonly name = 'TrajectoryStoreError';
  readonly code: ErrorCode;
  readonly issues: Issue[] | undefined;

  constructor(code: ErrorCode, message: string, options: { issues?: Issue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues;
  }

  static validation(what: string, issues: Issue[]): TrajectoryStoreError {
    const shown = issues.slice(0, 5).map((i) => `${i.path || '(root)'}: ${i.message}`);
    const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
    return new TrajectoryStoreError('validation', `Invalid ${what}: ${shown.join('; ')}${more}`, { issues });
  }

  toJSON(): SerializedStoreError {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
    };
  }

  static fromJSON(data: SerializedStoreError): TrajectoryStoreError {
    return new TrajectoryStoreError(data.code, data.message, data.issues ? { issues: data.issues } : {});
  }
}

export function isSerializedStoreError(value: unknown): value is SerializedStoreError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'TrajectoryStoreError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

// Primary SQLite result codes (https://sqlite.org/rescode.html) that change what a caller should do.
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_FULL = 13;

/**
 * Maps an error thrown by SQLite (or anything else) to a TrajectoryStoreError.
 * The wasm build's SQLite3Error carries the extended result code as `resultCode`.
 */
export function toStoreError(error: unknown, context: string): TrajectoryStoreError {
  if (error instanceof TrajectoryStoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const resultCode = (error as { resultCode?: unknown } | null)?.resultCode;
  const primary = typeof resultCode === 'number' ? resultCode & 0xff : undefined;
  // OPFS reports an exhausted quota as a plain I/O error; SQLITE_FULL is the explicit case.
  if (primary === SQLITE_FULL || /quota/i.test(message)) {
    return new TrajectoryStoreError('quota', `${context}: storage is full (${message})`, { cause: error });
  }
  if (primary === SQLITE_BUSY || primary === SQLITE_LOCKED) {
    return new TrajectoryStoreError('busy', `${context}: database is busy (${message})`, { cause: error });
  }
  return new TrajectoryStoreError('storage', `${context}: ${message}`, { cause: error });
}
