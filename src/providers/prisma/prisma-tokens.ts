/**
 * Token issuances over Prisma: `oauth_tokens`.
 */
import type { TokenLookup, TokenRecord, TokenRotation, TokenSelector } from '../../core/index.js';
import type { OAuthPrismaClient, PrismaTokenRevocationFilter } from './prisma-client-shape.js';
import { isStorableKey } from '../../core/index.js';
import { instantOf, instantOrNull, wallClockOf } from './prisma-instants.js';
import { afterWriteConflicts } from './prisma-errors.js';
import { anyOfBoundArray } from '../planned-once-arrays.js';

/** An issuance's columns as the statements below bind them: name, PostgreSQL type, value. */
const TOKEN_COLUMNS: ReadonlyArray<readonly [string, string, (token: TokenRecord) => unknown]> = [
  ['id', 'text', (token) => token.id],
  ['access_token_hash', 'text', (token) => token.accessTokenHash],
  ['access_token_expires_at', 'timestamptz', (token) => wallClockOf(token.accessTokenExpiresAt)],
  ['refresh_token_hash', 'text', (token) => token.refreshTokenHash],
  ['refresh_token_expires_at', 'timestamptz', (token) => wallClockOf(token.refreshTokenExpiresAt)],
  ['scope', 'text', (token) => token.scope],
  ['audience', 'text', (token) => token.audience],
  ['client_id', 'text', (token) => token.clientId],
  ['user_id', 'text', (token) => token.userId],
  ['family_id', 'text', (token) => token.familyId],
  ['authorization_code_id', 'text', (token) => token.authorizationCodeId],
  ['revoked_at', 'timestamptz', (token) => wallClockOf(token.revokedAt)],
  ['auth_time', 'timestamptz', (token) => wallClockOf(token.authTime)],
  ['acr', 'text', (token) => token.acr],
  ['amr', 'text', (token) => token.amr],
  ['expires_at', 'timestamptz', (token) => wallClockOf(token.expiresAt)],
  ['created_at', 'timestamptz', (token) => wallClockOf(token.createdAt)],
];
const COLUMN_NAMES = TOKEN_COLUMNS.map(([name]) => name).join(', ');

/**
 * The rows a write binds, as one JSON text parameter read back by `json_to_recordset`, its column
 * definitions those of {@link TOKEN_COLUMNS} and `extra`: the statement's text is fixed whatever
 * the number of rows, so it is prepared once (`preparedStatementName`). One text rather than an
 * array per column: Prisma's runtime costs some 2 µs per array element it binds (docs/benchmarks.md).
 */
function recordsetOf(extra: ReadonlyArray<readonly [name: string, type: string]> = []): string {
  const columns = [...TOKEN_COLUMNS, ...extra].map(([name, type]) => `${name} ${type}`).join(', ');
  return `json_to_recordset($1::json) AS i(${columns})`;
}

/** Strings built once, as `$queryRaw`/`$executeRaw` take a tagged template's: one more than the values bound. */
function templateOf(strings: string[]): TemplateStringsArray {
  return Object.assign(strings, { raw: strings });
}

/** A statement binding one value, `$1`, where its text says. */
function oneValueTemplate(sql: string): TemplateStringsArray {
  const [before, after] = sql.split('$1');
  return templateOf([before!, after!]);
}

/** A token's row as {@link recordsetOf} reads it, keyed by column; instants as Prisma binds them (`prisma-instants.ts`). */
function recordOf(token: TokenRecord): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, , value] of TOKEN_COLUMNS) record[name] = value(token);
  return record;
}

const INSERT_TOKENS = oneValueTemplate(`INSERT INTO oauth_tokens (${COLUMN_NAMES}) SELECT ${COLUMN_NAMES} FROM ${recordsetOf()}`);

/**
 * `insertTokens`: one INSERT of every row, all or none. Raw SQL rather than `createMany`, whose
 * query building costs Prisma's runtime some 0.6 ms of CPU per call, several times the insert
 * itself: on every token request. The rows are bound as one JSON text ({@link recordsetOf}).
 * PostgreSQL (and PGlite), as the provider's schema is.
 */
export async function insertTokens(prisma: OAuthPrismaClient, tokens: readonly TokenRecord[]): Promise<void> {
  if (tokens.length === 0) return;
  await prisma.$executeRaw(INSERT_TOKENS, JSON.stringify(tokens.map(recordOf)));
}

// The lookups are raw SQL because the username comes from `oauth_users`, which tokens reference
// by value only (`user_id` is deliberately not a foreign key: applications may keep users elsewhere),
// so Prisma has no relation to include and would need a second round trip. The port requires one:
// these run on every guarded request. Tagged templates bind every value as a parameter; the
// identifiers are the fixed snake_case names of the shipped fragment, unquoted so that the same text
// is valid on PostgreSQL and MySQL.

/**
 * A token lookup as the statement below spells it: one JSON array per row, its values in the order
 * of {@link TOKEN_COLUMNS} and then the client's name and the username, instants as wall-clock
 * times (see {@link instantOf}).
 */
type TokenLookupRow = [
  id: string,
  accessTokenHash: string,
  accessTokenExpiresAt: string,
  refreshTokenHash: string | null,
  refreshTokenExpiresAt: string | null,
  scope: string | null,
  audience: string | null,
  clientId: string,
  userId: string | null,
  familyId: string,
  authorizationCodeId: string | null,
  revokedAt: string | null,
  authTime: string | null,
  acr: string | null,
  amr: string | null,
  expiresAt: string,
  createdAt: string,
  clientName: string,
  username: string | null,
];

function fromTokenRow(row: TokenLookupRow): TokenLookup {
  const [
    id,
    accessTokenHash,
    accessTokenExpiresAt,
    refreshTokenHash,
    refreshTokenExpiresAt,
    scope,
    audience,
    clientId,
    userId,
    familyId,
    authorizationCodeId,
    revokedAt,
    authTime,
    acr,
    amr,
    expiresAt,
    createdAt,
    clientName,
    username,
  ] = row;
  return {
    id,
    accessTokenHash,
    accessTokenExpiresAt: instantOf(accessTokenExpiresAt),
    refreshTokenHash,
    refreshTokenExpiresAt: instantOrNull(refreshTokenExpiresAt),
    scope,
    audience,
    clientId,
    userId,
    familyId,
    authorizationCodeId,
    revokedAt: instantOrNull(revokedAt),
    authTime: instantOrNull(authTime),
    acr,
    amr,
    expiresAt: instantOf(expiresAt),
    createdAt: instantOf(createdAt),
    clientName,
    username,
  };
}

/**
 * Every row of a token lookup in one JSON text (alias `t` for the token), NULL when none: Prisma's
 * runtime costs a few µs per row and per kilobyte it hands back, on every call, so one value
 * with positional rows costs it markedly less than a row, or an object with named keys, per token
 * (docs/benchmarks.md).
 */
const SELECT_TOKENS_AS_JSON =
  'SELECT json_agg(json_build_array(' +
  TOKEN_COLUMNS.map(([name, type]) => (type === 'timestamptz' ? `t.${name}::timestamp` : `t.${name}`)).join(', ') +
  ', c.name, u.username))::text AS tokens ' +
  'FROM oauth_tokens t JOIN oauth_clients c ON c.id = t.client_id LEFT JOIN oauth_users u ON u.id = t.user_id ';

/** The lookup of the rows whose digest column is one of an array bound as the only parameter, planned once ({@link anyOfBoundArray}). */
function tokensByDigest(column: 'access_token_hash' | 'refresh_token_hash'): TemplateStringsArray {
  return oneValueTemplate(`${SELECT_TOKENS_AS_JSON}WHERE ${anyOfBoundArray(`t.${column}`, '$1', 'bpchar')}`);
}

/** The rows of a digest lookup, decoded. */
async function tokensFound(prisma: OAuthPrismaClient, lookup: TemplateStringsArray, digests: readonly string[]): Promise<TokenLookup[]> {
  if (digests.length === 0) return [];
  const [found] = await prisma.$queryRaw<Array<{ tokens: string | null }>>(lookup, [...digests]);
  if (found?.tokens == null) return [];
  return (JSON.parse(found.tokens) as TokenLookupRow[]).map(fromTokenRow);
}

const TOKENS_BY_ACCESS_DIGEST = tokensByDigest('access_token_hash');
const TOKENS_BY_REFRESH_DIGEST = tokensByDigest('refresh_token_hash');

/**
 * `findAccessTokens`: the lookup for many hashes in one statement, made on every guarded request.
 * PostgreSQL only (the provider's schema is): the hashes are bound as one array parameter, so the
 * text, and with `preparedStatementName` the prepared statement, is the same whatever their
 * number. The rows come back as one JSON text, which Prisma passes through as it is: decoding
 * nineteen typed columns per row costs its runtime more than `JSON.parse` does.
 */
export function findAccessTokens(prisma: OAuthPrismaClient, accessTokenHashes: readonly string[]): Promise<TokenLookup[]> {
  return tokensFound(prisma, TOKENS_BY_ACCESS_DIGEST, accessTokenHashes);
}

/** `findRefreshTokens`: the same lookup by refresh-token hashes. */
export function findRefreshTokens(prisma: OAuthPrismaClient, refreshTokenHashes: readonly string[]): Promise<TokenLookup[]> {
  return tokensFound(prisma, TOKENS_BY_REFRESH_DIGEST, refreshTokenHashes);
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
 * The filter for a selector, which must carry exactly one non-empty string key, or a user and a
 * client together (a consent grant revoked): a malformed selector must fail loudly, since dropping
 * its key would leave `revoked_at IS NULL` alone and revoke every token in the database.
 */
function revocationFilter(selector: TokenSelector): PrismaTokenRevocationFilter {
  const entries = Object.entries(selector as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (typeof value !== 'string' || value === '' || !isStorableKey(value)) throw new TypeError(`token selector ${key} must be a non-empty string`);
  }
  if (entries.length === 2 && 'userId' in selector && 'clientId' in selector) {
    return { userId: selector.userId, clientId: selector.clientId, revokedAt: null };
  }
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) throw new TypeError('token selector must have exactly one key, or userId and clientId');
  const [key, value] = entry as [string, string];
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

const ROTATE_TOKENS = oneValueTemplate(
  `WITH input AS (SELECT * FROM ${recordsetOf([
    ['rotates', 'text'],
    ['claimed_at', 'timestamptz'],
  ])}), ` +
    'claimed AS (UPDATE oauth_tokens t SET revoked_at = i.claimed_at FROM input i ' +
    'WHERE t.id = i.rotates AND t.revoked_at IS NULL RETURNING t.id) ' +
    `INSERT INTO oauth_tokens (${COLUMN_NAMES}) ` +
    `SELECT ${TOKEN_COLUMNS.map(([name]) => `i.${name}`).join(', ')} FROM input i JOIN claimed c ON c.id = i.rotates RETURNING id`,
);

/**
 * `rotateTokens`: one statement for the batch. Claims each issuance `rotates` as
 * {@link claimToken} does and inserts its successor only from the claimed row, so a failed claim
 * stores nothing. All rows become visible at one commit, which {@link revokeTokens} accounts for.
 * The rows are bound as one JSON text, as in {@link insertTokens}; the `rotates` ids are distinct
 * (a row joined twice would be claimed once and both successors stored).
 */
export async function rotateTokens(prisma: OAuthPrismaClient, rotations: readonly TokenRotation[]): Promise<boolean[]> {
  if (rotations.length === 0) return [];
  // Joined twice, one row would be claimed once and both successors stored.
  if (new Set(rotations.map(({ rotates }) => rotates)).size !== rotations.length) throw new TypeError('rotateTokens: two rotations name one issuance');
  const records = JSON.stringify(rotations.map(({ token, rotates, now }) => ({ ...recordOf(token), rotates, claimed_at: wallClockOf(now) })));
  const rows = await afterWriteConflicts(async () => prisma.$queryRaw<Array<{ id: string }>>(ROTATE_TOKENS, records));
  const stored = new Set(rows.map((row) => row.id));
  return rotations.map(({ token }) => stored.has(token.id));
}

/** What one revocation statement reports: the rows it revoked, and the matching rows its snapshot saw unrevoked. */
interface RevocationCounts {
  revoked: number;
  seen: number;
}

/**
 * One revocation statement for the selector (the filter has been checked). A
 * data-modifying WITH and the main query share one snapshot and do not see each other's changes,
 * so `seen` counts the matching rows as they were before the statement.
 */
async function revokeOnce(prisma: OAuthPrismaClient, filter: PrismaTokenRevocationFilter, now: Date): Promise<RevocationCounts[]> {
  if ('familyId' in filter) {
    return prisma.$queryRaw<RevocationCounts[]>`
      WITH revoked AS (UPDATE oauth_tokens SET revoked_at = ${now}::timestamptz WHERE family_id = ${filter.familyId} AND revoked_at IS NULL RETURNING 1)
      SELECT (SELECT count(*) FROM revoked)::int AS revoked,
             (SELECT count(*) FROM oauth_tokens WHERE family_id = ${filter.familyId} AND revoked_at IS NULL)::int AS seen`;
  }
  if (filter.userId !== undefined && filter.clientId !== undefined) {
    return prisma.$queryRaw<RevocationCounts[]>`
      WITH revoked AS (UPDATE oauth_tokens SET revoked_at = ${now}::timestamptz
                        WHERE user_id = ${filter.userId} AND client_id = ${filter.clientId} AND revoked_at IS NULL RETURNING 1)
      SELECT (SELECT count(*) FROM revoked)::int AS revoked,
             (SELECT count(*) FROM oauth_tokens WHERE user_id = ${filter.userId} AND client_id = ${filter.clientId} AND revoked_at IS NULL)::int AS seen`;
  }
  if ('clientId' in filter) {
    return prisma.$queryRaw<RevocationCounts[]>`
      WITH revoked AS (UPDATE oauth_tokens SET revoked_at = ${now}::timestamptz WHERE client_id = ${filter.clientId} AND revoked_at IS NULL RETURNING 1)
      SELECT (SELECT count(*) FROM revoked)::int AS revoked,
             (SELECT count(*) FROM oauth_tokens WHERE client_id = ${filter.clientId} AND revoked_at IS NULL)::int AS seen`;
  }
  if ('userId' in filter) {
    return prisma.$queryRaw<RevocationCounts[]>`
      WITH revoked AS (UPDATE oauth_tokens SET revoked_at = ${now}::timestamptz WHERE user_id = ${filter.userId} AND revoked_at IS NULL RETURNING 1)
      SELECT (SELECT count(*) FROM revoked)::int AS revoked,
             (SELECT count(*) FROM oauth_tokens WHERE user_id = ${filter.userId} AND revoked_at IS NULL)::int AS seen`;
  }
  return prisma.$queryRaw<RevocationCounts[]>`
    WITH revoked AS (UPDATE oauth_tokens SET revoked_at = ${now}::timestamptz WHERE authorization_code_id = ${filter.authorizationCodeId} AND revoked_at IS NULL RETURNING 1)
    SELECT (SELECT count(*) FROM revoked)::int AS revoked,
           (SELECT count(*) FROM oauth_tokens WHERE authorization_code_id = ${filter.authorizationCodeId} AND revoked_at IS NULL)::int AS seen`;
}

/**
 * Statements in a row that may each find a matching token changed under them before revocation
 * gives up loudly: each repeat needs a concurrent rotation that claimed first, so a few suffice.
 */
const MAX_REVOCATION_PASSES = 16;

/**
 * `revokeTokens`: one UPDATE of every matching, not yet revoked token, repeated while a matching row
 * its snapshot saw was changed first by a concurrent writer: a rotation whose claim won the row
 * committed its successor with it, which the snapshot could not see (docs/adr/0003).
 */
export async function revokeTokens(prisma: OAuthPrismaClient, selector: TokenSelector, now: Date): Promise<number> {
  const filter = revocationFilter(selector);
  let total = 0;
  for (let pass = 1; ; pass += 1) {
    const [counts] = await afterWriteConflicts(() => revokeOnce(prisma, filter, now));
    const revoked = Number(counts?.revoked ?? 0);
    total += revoked;
    if (revoked >= Number(counts?.seen ?? 0)) return total;
    if (pass === MAX_REVOCATION_PASSES) {
      throw new Error(`revokeTokens: matching tokens kept changing under ${pass} revocations in a row; some may still be usable`);
    }
  }
}
