/**
 * Any failure as a person reads it: the store's TrajectoryStoreError keeps
 * its message, code and every validation issue; anything else its message.
 */
import type { Issue } from '../../public-types.js';

export interface ErrorReport {
  message: string;
  /** The TrajectoryStoreError code, when it is one. */
  code: string | null;
  issues: Issue[];
}

const CODE_HINTS: Readonly<Record<string, string>> = {
  quota: 'The browser gives this site no more storage: delete or export old trajectories, or free disk space.',
  busy: 'Another tab is using the database; try again in a moment.',
  corrupt_snapshot: 'The file is not a usable SQLite snapshot. Nothing was changed.',
  incompatible_snapshot: 'The file is a database this version cannot import. Nothing was changed.',
  unknown_format:
    'The file is in no format this store reads (ATIF .json or .jsonl, a snapshot, or an agent log). Nothing was changed.',
  interrupted: 'The tab holding the database closed during the change; check whether it was made before repeating it.',
  closed: 'The store was closed; reload the page.',
  unauthorized: 'The team server refused the token: ask for a new one, or check that it was not revoked.',
  unreachable:
    'Check the server URL and that the server runs. A browser also reports a server that does not list this page’s origin in TRAJECTORY_TEAM_CORS_ORIGINS as unreachable. Nothing pushed is lost: the next push resumes.',
  refused: 'The team server refused the request; its reason is above.',
};

export function describeError(error: unknown): ErrorReport {
  if (typeof error === 'object' && error !== null) {
    const e = error as { message?: unknown; code?: unknown; issues?: unknown; name?: unknown };
    const message = typeof e.message === 'string' && e.message ? e.message : String(error);
    const code = e.name === 'TrajectoryStoreError' && typeof e.code === 'string' ? e.code : null;
    const issues = Array.isArray(e.issues)
      ? e.issues
          .filter((i): i is Issue => typeof i === 'object' && i !== null && typeof (i as Issue).message === 'string')
          .map((i) => ({ path: typeof i.path === 'string' ? i.path : '', message: i.message }))
      : [];
    return { message, code, issues };
  }
  return { message: String(error), code: null, issues: [] };
}

/** What a person can do about an error of this code, if there is advice. */
export function errorHint(code: string | null): string | null {
  return code === null ? null : (CODE_HINTS[code] ?? null);
}
