/**
 * The team server's HTTP API (Hono). Every route under /v1 needs a member's
 * token (`Authorization: Bearer tst_...`); only /health answers without one.
 *
 *   POST /v1/batches                      JSONL batch of the member's trajectories -> per-line outcomes
 *   POST /v1/deletions                    JSONL of the member's deletions -> per-id outcomes (./deletions.ts)
 *   GET  /v1/trajectories?filters         the team's trajectories, keyset-paged
 *   GET  /v1/search?text=...&filters      full-text search, newest first (orderBy=rank: best first)
 *   GET  /v1/trajectories/:member/:id     one trajectory with its document
 *   GET  /v1/stats?filters                counts, tokens, cost by agent, model, day
 *   GET  /v1/me                           whose token this is
 *
 * Filters are the local store's (TrajectoryQuery) plus `member`, as query
 * parameters. Errors are JSON: {"error": {"code", "message", "issues"?}}.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { TrajectoryStoreError, type Issue } from '../errors.js';
import { zodIssues } from '../schema/issues.js';
import type { TeamServerConfig } from './config.js';
import { registerDeletions } from './deletions.js';
import { batchLines, ingestBatch } from './ingest.js';
import type { Logger } from './log.js';
import { teamSchemaVersion } from './migrations.js';
import {
  getTeamTrajectory,
  listTeamTrajectories,
  searchTeamTrajectories,
  teamStats,
  TeamFilterSchema,
  TeamQuerySchema,
  TeamSearchSchema,
} from './queries.js';
import { RateLimiter } from './rate-limit.js';
import type { Db } from './sql.js';
import { memberOfToken, tokenHash } from './tokens.js';

type Env = { Variables: { member: string; requestId: string } };

/** Query parameters that are numbers or booleans in TrajectoryQuery (the rest are text). */
const NUMBER_PARAMS = new Set(['limit', 'minCostUsd', 'maxCostUsd', 'minScore', 'maxScore']);
const BOOLEAN_PARAMS = new Set(['conformant']);

function typedParams(c: Context): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    if (values.length > 1) throw badRequest([{ path: key, message: 'is given more than once' }]);
    const value = values[0]!;
    if (NUMBER_PARAMS.has(key) && value.trim() !== '' && Number.isFinite(Number(value))) out[key] = Number(value);
    else if (BOOLEAN_PARAMS.has(key) && (value === 'true' || value === 'false')) out[key] = value === 'true';
    else out[key] = value;
  }
  return out;
}

function badRequest(issues: Issue[]): TrajectoryStoreError {
  return TrajectoryStoreError.validation('request', issues);
}

function parseParams<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } },
  c: Context,
): T {
  const parsed = schema.safeParse(typedParams(c));
  if (!parsed.success) throw badRequest(zodIssues(parsed.error));
  return parsed.data;
}

class HttpError extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 413 | 415 | 429 | 503,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function teamApp(db: Db, config: TeamServerConfig, log: Logger): Hono<Env> {
  const app = new Hono<Env>();
  const limiter = new RateLimiter(config.rateLimitPerMinute);

  app.use('*', async (c, next) => {
    const started = performance.now();
    const requestId = randomUUID();
    c.set('requestId', requestId);
    await next();
    c.header('X-Request-Id', requestId);
    // The path only: query strings hold search text, which stays out of logs.
    log.info('request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ...(c.get('member') ? { member: c.get('member') } : {}),
    });
  });

  app.use(
    '*',
    cors({
      origin: (origin) => (config.corsOrigins.includes(origin) ? origin : null),
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
  );

  app.get('/health', async (c) => {
    try {
      return c.json({ status: 'ok', schemaVersion: await teamSchemaVersion(db) });
    } catch {
      throw new HttpError(503, 'unavailable', 'the database does not answer');
    }
  });

  app.use('/v1/*', async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const token = /^Bearer (\S+)$/.exec(header)?.[1];
    const member = token ? await memberOfToken(db, token) : null;
    if (!token || member === null) {
      throw new HttpError(401, 'unauthorized', 'a valid, unrevoked token is needed: Authorization: Bearer tst_...', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    const wait = limiter.take(tokenHash(token));
    if (wait > 0) {
      throw new HttpError(429, 'rate_limited', `too many requests for this token: retry in ${wait} s`, {
        'Retry-After': String(wait),
      });
    }
    c.set('member', member);
    await next();
  });

  app.post(
    '/v1/batches',
    bodyLimit({
      maxSize: config.maxBatchBytes,
      onError: () => {
        // The rest of the body is not read: the connection is closed rather than reused with it pending.
        throw new HttpError(
          413,
          'too_large',
          `a batch is at most ${config.maxBatchBytes} bytes: send smaller batches`,
          {
            Connection: 'close',
          },
        );
      },
    }),
    async (c) => {
      const body = await c.req.text();
      const lines = batchLines(body).length;
      if (lines > config.maxBatchItems) {
        throw new HttpError(
          413,
          'too_large',
          `a batch is at most ${config.maxBatchItems} lines (this one has ${lines})`,
        );
      }
      return c.json(await ingestBatch(db, c.get('member'), body));
    },
  );

  app.get('/v1/trajectories', async (c) => c.json(await listTeamTrajectories(db, parseParams(TeamQuerySchema, c))));

  app.get('/v1/search', async (c) => {
    const { text, ...rest } = parseParams(TeamSearchSchema, c);
    return c.json(await searchTeamTrajectories(db, text, rest));
  });

  app.get('/v1/trajectories/:member/:id', async (c) => {
    const found = await getTeamTrajectory(db, c.req.param('member'), c.req.param('id'));
    // The document goes out as stored, byte for byte (exact JSON: -0, big numbers, escapes).
    const testgen = found.testgen ? `,"testgen":${JSON.stringify(found.testgen)}` : '';
    return c.body(`{"summary":${JSON.stringify(found.summary)},"trajectory":${found.json}${testgen}}`, 200, {
      'Content-Type': 'application/json; charset=utf-8',
    });
  });

  app.get('/v1/stats', async (c) => c.json(await teamStats(db, parseParams(TeamFilterSchema, c))));

  registerDeletions(app, db, config);

  app.get('/v1/me', (c) => c.json({ member: c.get('member') }));

  app.notFound(() => {
    throw new HttpError(404, 'not_found', 'no such route');
  });

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      return c.json({ error: { code: error.code, message: error.message } }, error.status, error.headers);
    }
    if (error instanceof TrajectoryStoreError && (error.code === 'validation' || error.code === 'not_found')) {
      return c.json(
        { error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } },
        error.code === 'validation' ? 400 : 404,
      );
    }
    log.error('request failed', {
      requestId: c.get('requestId'),
      path: c.req.path,
      error: error instanceof Error ? error.message : String(error),
    });
    return c.json({ error: { code: 'internal', message: `the server failed (request ${c.get('requestId')})` } }, 500);
  });

  return app;
}
