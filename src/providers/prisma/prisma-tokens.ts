/**
 * Token issuances over Prisma: `oauth_tokens`.
 */
import type { TokenLookup, TokenRecord, TokenSelector } from '../../core/index.js';
import type { OAuthPrismaClient, PrismaTokenRevocationFilter, PrismaTokenRow } from './prisma-client-shape.js';
import { isStorableKey } from '../../core/index.js';

/** A token lookup row as the raw query returns it: the table's own column names. */
interface TokenLookupRow {
  id: string;
  access_token_hash: string;
  access_token_expires_at: Date;
  refresh_token_hash: string | null;
  refresh_token_expires_at: Date | null;
  scope: string | null;
  audience: string | null;
  client_id: string;
  user_id: string | null;
  family_id: string;
  authorization_code_id: string | null;
  revoked_at: Date | null;
  expires_at: Date;
  created_at: Date;
  client_name: string;
  username: string | null;
}

function toTokenLookup(row: TokenLookupRow): TokenLookup {
  return {
    id: row.id,
    accessTokenHash: row.access_token_hash,
    accessTokenExpiresAt: row.access_token_expires_at,
    refreshTokenHash: row.refresh_token_hash,
    refreshTokenExpiresAt: row.refresh_token_expires_at,
    scope: row.scope,
    audience: row.audience,
    clientId: row.client_id,
    userId: row.user_id,
    familyId: row.family_id,
    authorizationCodeId: row.authorization_code_id,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    clientName: row.client_name,
    username: row.username,
  };
}

function tokenRow(token: TokenRecord): PrismaTokenRow {
  return {
    id: token.id,
    accessTokenHash: token.accessTokenHash,
    accessTokenExpiresAt: token.accessTokenExpiresAt,
    refreshTokenHash: token.refreshTokenHash,
    refreshTokenExpiresAt: token.refreshTokenExpiresAt,
    scope: token.scope,
    audience: token.audience,
    clientId: token.clientId,
    userId: token.userId,
    familyId: token.familyId,
    authorizationCodeId: token.authorizationCodeId,
    revokedAt: token.revokedAt,
    expiresAt: token.expiresAt,
    createdAt: token.createdAt,
  };
}

/** `insertTokens`: one multi-row INSERT (Prisma's `createMany`), all rows or none. */
export async function insertTokens(prisma: OAuthPrismaClient, tokens: readonly TokenRecord[]): Promise<void> {
  if (tokens.length === 0) return;
  await prisma.oAuthToken.createMany({ data: tokens.map(tokenRow) });
}

// The lookups are raw SQL because the username comes from `oauth_users`, which tokens reference
// by value only (`user_id` is deliberately not a foreign key: applications may keep users elsewhere),
// so Prisma has no relation to include and would need a second round trip. The port requires one:
// these run on every guarded request. Tagged templates bind every value as a parameter; the
// identifiers are the fixed snake_case names of the shipped fragment, unquoted so that the same text
// is valid on PostgreSQL and MySQL.

/**
 * `findAccessTokens`: the same lookup for many hashes in one statement. PostgreSQL only (the
 * provider's schema is): the hashes are bound as one array parameter, so the text, and with
 * `preparedStatementName` the prepared statement, is the same whatever their number.
 */
export async function findAccessTokens(prisma: OAuthPrismaClient, accessTokenHashes: readonly string[]): Promise<TokenLookup[]> {
  if (accessTokenHashes.length === 0) return [];
  const rows = await prisma.$queryRaw<TokenLookupRow[]>`
    SELECT t.id, t.access_token_hash, t.access_token_expires_at, t.refresh_token_hash,
           t.refresh_token_expires_at, t.scope, t.audience, t.client_id, t.user_id, t.family_id,
           t.authorization_code_id, t.revoked_at, t.expires_at, t.created_at,
           c.name AS client_name, u.username
      FROM oauth_tokens t
      JOIN oauth_clients c ON c.id = t.client_id
      LEFT JOIN oauth_users u ON u.id = t.user_id
     WHERE t.access_token_hash = ANY(${[...accessTokenHashes]})`;
  return rows.map(toTokenLookup);
}

/** `findRefreshToken`: the same lookup by refresh-token hash. */
export async function findRefreshToken(prisma: OAuthPrismaClient, refreshTokenHash: string): Promise<TokenLookup | null> {
  const rows = await prisma.$queryRaw<TokenLookupRow[]>`
    SELECT t.id, t.access_token_hash, t.access_token_expires_at, t.refresh_token_hash,
           t.refresh_token_expires_at, t.scope, t.audience, t.client_id, t.user_id, t.family_id,
           t.authorization_code_id, t.revoked_at, t.expires_at, t.created_at,
           c.name AS client_name, u.username
      FROM oauth_tokens t
      JOIN oauth_clients c ON c.id = t.client_id
      LEFT JOIN oauth_users u ON u.id = t.user_id
     WHERE t.refresh_token_hash = ${refreshTokenHash}`;
  const row = rows[0];
  return row === undefined ? null : toTokenLookup(row);
}

/**
 * `claimToken`: one conditional UPDATE (compare-and-set on `revoked_at IS NULL`); the database
 * serialises concurrent callers on the row, so exactly one sees a count of 1.
 */
export async function claimToken(prisma: OAuthPrismaClient, id: string, now: Date): Promise<boolean> {
  const { count } = await prisma.oAuthToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  return count === 1;
}

/**
 * The filter for a selector, which must carry exactly one non-empty string key: a malformed selector
 * must fail loudly, since dropping its key would leave `revoked_at IS NULL` alone and revoke every
 * token in the database.
 */
function revocationFilter(selector: TokenSelector): PrismaTokenRevocationFilter {
  const entries = Object.entries(selector as Record<string, unknown>);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) throw new TypeError('token selector must have exactly one key');
  const [key, value] = entry;
  if (typeof value !== 'string' || value === '' || !isStorableKey(value)) throw new TypeError(`token selector ${key} must be a non-empty string`);
  switch (key) {
    case 'familyId':
      return { familyId: value, revokedAt: null };
    case 'clientId':
      return { clientId: value, revokedAt: null };
    case 'userId':
      return { userId: value, revokedAt: null };
    case 'authorizationCodeId':
      return { authorizationCodeId: value, revokedAt: null };
    default:
      throw new TypeError(`unknown token selector ${key}`);
  }
}

/** `revokeTokens`: one UPDATE of every matching, not yet revoked token. */
export async function revokeTokens(prisma: OAuthPrismaClient, selector: TokenSelector, now: Date): Promise<number> {
  const { count } = await prisma.oAuthToken.updateMany({ where: revocationFilter(selector), data: { revokedAt: now } });
  return count;
}
