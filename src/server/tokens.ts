/**
 * Members' access tokens. A token is 32 random bytes (base64url, behind a
 * `tst_` prefix so it is recognisable in a leaked log or config file); the
 * database keeps only its SHA-256, so a copy of the database grants nothing.
 *
 * Why SHA-256 and not bcrypt/scrypt/argon2: those are slow on purpose, to
 * protect secrets people choose (passwords), which are guessable. A 256-bit
 * random token cannot be guessed, however fast the hash, so slowness buys
 * nothing; and an unsalted fast hash lets every request find its token by an
 * index lookup on the hash, instead of a salted, deliberately slow comparison
 * per stored token on every request.
 */
import { createHash, randomBytes } from 'node:crypto';
import { TrajectoryStoreError } from '../errors.js';
import type { Db } from './sql.js';

const PREFIX = 'tst_';
const TOKEN = /^tst_[A-Za-z0-9_-]{43}$/;

export interface TokenInfo {
  id: number;
  member: string;
  createdAt: string;
  revokedAt: string | null;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates a token for `member`; the token itself is shown once and never stored. */
export async function createToken(db: Db, member: string): Promise<{ token: string; info: TokenInfo }> {
  if (member.trim() === '' || member.length > 200 || /[\u0000-\u001f]/.test(member)) {
    throw TrajectoryStoreError.validation('member name', [
      { path: 'member', message: 'must be 1 to 200 characters, without control characters' },
    ]);
  }
  const token = PREFIX + randomBytes(32).toString('base64url');
  const rows = await db.unsafe(
    'INSERT INTO team_tokens (member, token_sha256) VALUES ($1, $2) RETURNING id, member, created_at, revoked_at',
    [member, tokenHash(token)],
  );
  return { token, info: toInfo(rows[0]!) };
}

/** Revokes every live token of a member, or one token by id; returns how many were revoked. */
export async function revokeTokens(db: Db, which: { member: string } | { id: number }): Promise<number> {
  const rows =
    'member' in which
      ? await db.unsafe(
          'UPDATE team_tokens SET revoked_at = now() WHERE member = $1 AND revoked_at IS NULL RETURNING id',
          [which.member],
        )
      : await db.unsafe('UPDATE team_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [
          which.id,
        ]);
  return rows.length;
}

export async function listTokens(db: Db): Promise<TokenInfo[]> {
  const rows = await db.unsafe('SELECT id, member, created_at, revoked_at FROM team_tokens ORDER BY id');
  return rows.map(toInfo);
}

/** The member a presented token belongs to, or null for an unknown, malformed or revoked token. */
export async function memberOfToken(db: Db, token: string): Promise<string | null> {
  if (!TOKEN.test(token)) return null;
  // Looked up by its hash: what a timing difference could reveal is a prefix of a hash, which leads nowhere.
  const rows = await db.unsafe('SELECT member FROM team_tokens WHERE token_sha256 = $1 AND revoked_at IS NULL', [
    tokenHash(token),
  ]);
  return rows[0] ? String(rows[0].member) : null;
}

function toInfo(row: Record<string, unknown>): TokenInfo {
  const time = (value: unknown) => (value instanceof Date ? value.toISOString() : null);
  return {
    id: Number(row.id),
    member: String(row.member),
    createdAt: time(row.created_at) ?? '',
    revokedAt: time(row.revoked_at),
  };
}
