/**
 * HTTP to a team server (`trajectory-store serve-team`, README "Team server"), in a page or in Node: the
 * token on every request, failures that may pass (no connection, 5xx, 429) tried again with backoff and
 * Retry-After, and every other failure a TrajectoryStoreError naming what the server said.
 */
import type { Page } from '../contract/results.js';
import type { TeamDeletionOutcome, TeamHit, TeamOutcome, TeamSummary, TeamTrajectory } from '../contract/sync.js';
import { type Issue, TrajectoryStoreError } from '../errors.js';
import { retry } from '../util/retry.js';

export interface TeamClientOptions {
  /** How long to keep trying while failures may pass (default 60 s). */
  retryWithinMs?: number;
  /** Told of each failure that will be tried again. */
  onRetry?(error: TrajectoryStoreError, pauseMs: number): void;
}

/** What the server answers a batch (src/server/ingest.ts). */
export interface TeamBatchResult {
  counts: Record<TeamOutcome, number>;
  items: Array<{ line: number; id?: string; outcome: TeamOutcome; warnings?: Issue[]; issues?: Issue[] }>;
}

/** What the server answers a request of deletions (src/server/deletions.ts). */
export interface TeamDeletionResult {
  counts: Record<TeamDeletionOutcome, number>;
  items: Array<{ id: string; outcome: TeamDeletionOutcome }>;
}

const DEFAULT_RETRY_WITHIN_MS = 60_000;

/** What a request answers when the server refused its body as too large (413). */
const TOO_LARGE = Symbol('413 Payload Too Large');

/** A failure that may pass if the request is made again (after `retryAfterMs`, when the server said). */
class PassingFailure extends Error {
  constructor(
    readonly storeError: TrajectoryStoreError,
    readonly retryAfterMs?: number,
  ) {
    super(storeError.message);
  }
}

/** The server's base URL as given, checked and without a trailing slash: one spelling per server. */
export function teamServerUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw TrajectoryStoreError.validation('team server', [{ path: 'url', message: 'must be a URL' }]);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw TrajectoryStoreError.validation('team server', [{ path: 'url', message: 'must be http: or https:' }]);
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw TrajectoryStoreError.validation('team server', [
      { path: 'url', message: 'must carry no user, password, query or fragment (the token goes separately)' },
    ]);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** Query fields as the server reads them: text, numbers and booleans, each once. */
export type TeamQuery = Record<string, string | number | boolean | undefined>;

function queryString(query: TeamQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Milliseconds a Retry-After header asks for (seconds, or an HTTP date), or undefined. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (header.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export class TeamClient {
  readonly url: string;

  constructor(
    url: string,
    private readonly token: string,
    private readonly options: TeamClientOptions = {},
  ) {
    this.url = teamServerUrl(url);
    // fetch refuses a header with other characters, which would otherwise look like a network failure.
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw TrajectoryStoreError.validation('team server', [
        { path: 'token', message: 'must be printable ASCII without spaces (a token is tst_ and 43 characters)' },
      ]);
    }
  }

  /** Whose token this is. */
  async me(): Promise<{ member: string }> {
    return (await this.request('GET', '/v1/me')) as { member: string };
  }

  /** A page of the team's trajectories; `query` takes the local store's query fields and `member` (README, Team server). */
  async list(query: TeamQuery = {}): Promise<Page<TeamSummary>> {
    return (await this.request('GET', `/v1/trajectories${queryString(query)}`)) as Page<TeamSummary>;
  }

  /** A page of the team's trajectories matching `text` (the local store's query language), newest first. */
  async search(text: string, query: TeamQuery = {}): Promise<Page<TeamHit>> {
    return (await this.request('GET', `/v1/search${queryString({ text, ...query })}`)) as Page<TeamHit>;
  }

  /** One member's trajectory with its document; `refused` (404) when there is none. */
  async get(member: string, id: string): Promise<TeamTrajectory> {
    const path = `/v1/trajectories/${encodeURIComponent(member)}/${encodeURIComponent(id)}`;
    return (await this.request('GET', path)) as TeamTrajectory;
  }

  /** Sends one JSONL batch; `too_large` when the server's size limit refused it (413). */
  async pushBatch(lines: readonly string[]): Promise<TeamBatchResult | 'too_large'> {
    const answer = await this.request('POST', '/v1/batches', `${lines.join('\n')}\n`);
    return answer === TOO_LARGE ? 'too_large' : (answer as TeamBatchResult);
  }

  /** Deletes the member's own trajectories where no newer version is stored; `too_large` as for a batch. */
  async pushDeletions(
    deletions: ReadonlyArray<{ id: string; deletedAt: string }>,
  ): Promise<TeamDeletionResult | 'too_large'> {
    const body = `${deletions.map((d) => JSON.stringify(d)).join('\n')}\n`;
    const answer = await this.request('POST', '/v1/deletions', body);
    return answer === TOO_LARGE ? 'too_large' : (answer as TeamDeletionResult);
  }

  private async request(method: 'GET' | 'POST', path: string, body?: string): Promise<unknown> {
    const onRetry = this.options.onRetry;
    try {
      return await retry(() => this.attempt(method, path, body), {
        retryable: (error) => error instanceof PassingFailure,
        withinMs: this.options.retryWithinMs ?? DEFAULT_RETRY_WITHIN_MS,
        firstPauseMs: 500,
        longestPauseMs: 30_000,
        pauseAfter: (error) => (error as PassingFailure).retryAfterMs,
        ...(onRetry ? { onRetry: (error, pauseMs) => onRetry((error as PassingFailure).storeError, pauseMs) } : {}),
      });
    } catch (error) {
      throw error instanceof PassingFailure ? error.storeError : error;
    }
  }

  private async attempt(method: 'GET' | 'POST', path: string, body: string | undefined): Promise<unknown> {
    const where = `The team server at ${this.url}`;
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/x-ndjson' }),
        },
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new PassingFailure(new TrajectoryStoreError('unreachable', `${where} could not be reached (${reason})`));
    }
    const text = await response.text().catch(() => '');
    // A body over the server's limit: the caller may send it in parts.
    if (response.status === 413 && body !== undefined) return TOO_LARGE;
    if (response.ok) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new TrajectoryStoreError('refused', `${where} answered ${response.status} with a body that is not JSON`);
      }
    }
    const said = serverError(text);
    const because = `${where} answered ${response.status}${said.message ? `: ${said.message}` : ''}`;
    if (response.status >= 500 || response.status === 429) {
      throw new PassingFailure(
        new TrajectoryStoreError('unreachable', because),
        retryAfterMs(response.headers.get('Retry-After')),
      );
    }
    const code = response.status === 401 || response.status === 403 ? 'unauthorized' : 'refused';
    throw new TrajectoryStoreError(code, because, said.issues ? { issues: said.issues } : {});
  }
}

/** The server's `{"error": {"code", "message", "issues"?}}`, as far as it is there. */
function serverError(text: string): { message?: string; issues?: Issue[] } {
  try {
    const { error } = JSON.parse(text) as { error?: { message?: unknown; issues?: unknown } };
    return {
      ...(typeof error?.message === 'string' ? { message: error.message } : {}),
      ...(Array.isArray(error?.issues) ? { issues: error.issues as Issue[] } : {}),
    };
  } catch {
    return {};
  }
}
