/**
 * The team server from the command line: `serve-team` runs it over a
 * PostgreSQL database, `team-token` creates, revokes and lists members' tokens
 * (src/server/). Neither touches the --db file.
 */
import { stringValue, type Command, type Values } from '../command.js';
import { EXIT, usageError } from '../exit-codes.js';
import { DEFAULTS, ENV, teamServerConfig } from '../../server/config.js';
import { migrateTeamDatabase } from '../../server/migrations.js';
import { connectTeamDatabase, startTeamServer } from '../../server/serve.js';
import { createToken, listTokens, revokeTokens } from '../../server/tokens.js';
import { isLoopback } from './view.js';

const DATABASE_HELP = `  --database URL       the PostgreSQL database (postgres://user:password@host:5432/name);
                       default $${ENV.databaseUrl}`;

function databaseUrl(values: Values): string {
  const url = stringValue(values, 'database') ?? process.env[ENV.databaseUrl];
  if (!url) throw usageError(`give the team database with --database postgres://... or $${ENV.databaseUrl}`);
  return url;
}

export const serveTeamCommand: Command = {
  name: 'serve-team',
  summary: "serve the team's trajectories from PostgreSQL (members push, search and browse)",
  usage: 'trajectory-store serve-team --database postgres://... [--port N] [--host HOST]',
  help: `Runs the team server: members push their trajectories to it in JSONL batches
(POST /v1/batches), and anyone with a member's token searches and reads the whole team's. It creates
and migrates its tables in the database (PostgreSQL 15 or later, with the pg_trgm and unaccent
extensions of postgresql-contrib) and logs one JSON line per request to stdout. Create tokens
with 'trajectory-store team-token create --member NAME'.

Options (each also an environment variable):
${DATABASE_HELP}
  --port N             the port (default ${DEFAULTS.port}; 0 picks a free one), $${ENV.port}
  --host HOST          the address (default ${DEFAULTS.host}: this machine only), $${ENV.host}

Environment only:
  ${ENV.corsOrigins}   browser origins allowed to call it, comma-separated
  ${ENV.maxBatchBytes}  largest batch in bytes (default ${DEFAULTS.maxBatchBytes})
  ${ENV.maxBatchItems}  most lines in a batch (default ${DEFAULTS.maxBatchItems})
  ${ENV.rateLimitPerMinute}   requests per minute per token (default ${DEFAULTS.rateLimitPerMinute})

Example:
  trajectory-store serve-team --database postgres://team:secret@localhost:5432/trajectories`,
  options: { database: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
  async run(context) {
    const { values, io } = context;
    const flags = {
      databaseUrl: databaseUrl(values),
      ...(stringValue(values, 'port') !== undefined ? { port: stringValue(values, 'port') } : {}),
      ...(stringValue(values, 'host') !== undefined ? { host: stringValue(values, 'host') } : {}),
    };
    const config = teamServerConfig(process.env, flags);
    if (!isLoopback(config.host)) io.err(`warning: listening on ${config.host}: serve it behind TLS (a reverse proxy)`);
    const server = await startTeamServer(config);
    await new Promise<void>((done) => {
      const stop = () => void server.close().then(done);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return EXIT.ok;
  },
};

export const teamTokenCommand: Command = {
  name: 'team-token',
  summary: "create, revoke or list team members' tokens",
  usage: 'trajectory-store team-token create|revoke|list [--member NAME] [--id N] --database postgres://...',
  help: `Manages the tokens of the team server's members (see serve-team). A token lets its member
push their own trajectories and read the whole team's.

  create --member NAME   prints a new token for NAME, once: only its hash is stored
  revoke --member NAME   revokes every token of NAME (at once: the next request is refused)
  revoke --id N          revokes one token
  list                   every token's id, member, and when it was created and revoked

Options:
${DATABASE_HELP}
  --member NAME        the member
  --id N               a token's id (from list)

Example:
  trajectory-store team-token create --member alice --database postgres://localhost/trajectories`,
  options: { database: { type: 'string' }, member: { type: 'string' }, id: { type: 'string' } },
  async run(context) {
    const { values, positionals, io, json } = context;
    const action = positionals[0];
    if (action !== 'create' && action !== 'revoke' && action !== 'list') {
      throw usageError('say what to do: team-token create, revoke or list (see --help)');
    }
    const member = stringValue(values, 'member');
    const id = stringValue(values, 'id');
    if (action === 'create' && !member) throw usageError('team-token create needs --member NAME');
    if (action === 'revoke' && !member === !id) throw usageError('team-token revoke needs --member NAME or --id N');
    if (id !== undefined && !/^\d+$/.test(id)) throw usageError(`--id must be a token's number (got ${id})`);
    const db = connectTeamDatabase(databaseUrl(values), { max: 1 });
    try {
      await migrateTeamDatabase(db);
      if (action === 'create') {
        const { token, info } = await createToken(db, member!);
        if (json) io.out(JSON.stringify({ token, ...info }));
        else {
          io.out(token);
          io.err(`token ${info.id} for ${info.member}: shown this once, keep it secret`);
        }
      } else if (action === 'revoke') {
        const revoked = await revokeTokens(db, member ? { member } : { id: Number(id) });
        if (json) io.out(JSON.stringify({ revoked }));
        else io.out(`revoked ${revoked} token${revoked === 1 ? '' : 's'}`);
        if (revoked === 0) return EXIT.notFound;
      } else {
        const tokens = await listTokens(db);
        if (json) for (const t of tokens) io.out(JSON.stringify(t));
        else {
          for (const t of tokens) {
            io.out(`${t.id}\t${t.member}\tcreated ${t.createdAt}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ''}`);
          }
        }
      }
      return EXIT.ok;
    } finally {
      await db.end({ timeout: 5 });
    }
  },
};
