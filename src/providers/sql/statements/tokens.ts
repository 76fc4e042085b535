/** Statements on `oauth_tokens`. Portable SQL with `$n` placeholders; the dialect rewrites them. */
import type { TokenRecord, TokenSelector } from '../../../core/index.js';
import { plannedOnceArray } from '../../planned-once-arrays.js';

/** The columns of `oauth_tokens` an issuance writes, with the PostgreSQL type of their values. */
export const TOKEN_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'text'],
  ['access_token_hash', 'text'],
  ['access_token_expires_at', 'timestamptz'],
  ['refresh_token_hash', 'text'],
  ['refresh_token_expires_at', 'timestamptz'],
  ['scope', 'text'],
  ['audience', 'text'],
  ['client_id', 'text'],
  ['user_id', 'text'],
  ['family_id', 'text'],
  ['authorization_code_id', 'text'],
  ['revoked_at', 'timestamptz'],
  ['auth_time', 'timestamptz'],
  ['acr', 'text'],
  ['amr', 'text'],
  ['expires_at', 'timestamptz'],
  ['created_at', 'timestamptz'],
];

/** An issuance's values, in {@link TOKEN_COLUMNS} order. */
export function tokenValues(token: TokenRecord): unknown[] {
  return [
    token.id,
    token.accessTokenHash,
    token.accessTokenExpiresAt,
    token.refreshTokenHash,
    token.refreshTokenExpiresAt,
    token.scope,
    token.audience,
    token.clientId,
    token.userId,
    token.familyId,
    token.authorizationCodeId,
    token.revokedAt,
    token.authTime,
    token.acr,
    token.amr,
    token.expiresAt,
    token.createdAt,
  ];
}

/**
 * The token lookup's columns and joins (the client's name and, when the user is in the default
 * store, the username), for the rows matching `condition` (on alias `t`).
 */
export function selectTokensWhere(condition: string): string {
  return (
    'SELECT t.id, t.access_token_hash, t.access_token_expires_at, t.refresh_token_hash, ' +
    't.refresh_token_expires_at, t.scope, t.audience, t.client_id, t.user_id, t.family_id, t.authorization_code_id, ' +
    't.revoked_at, t.auth_time, t.acr, t.amr, t.expires_at, t.created_at, c.name AS client_name, u.username ' +
    'FROM oauth_tokens t JOIN oauth_clients c ON c.id = t.client_id ' +
    'LEFT JOIN oauth_users u ON u.id = t.user_id ' +
    `WHERE ${condition}`
  );
}

/** Compare-and-set: matches (and so changes) the row only while it is unrevoked. */
export const CLAIM_TOKEN = 'UPDATE oauth_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL';

/** The parameters of {@link ROTATE_TOKENS} after the successors' columns: the issuances rotated, and when. */
const ROTATES = TOKEN_COLUMNS.length + 1;
const NOW = TOKEN_COLUMNS.length + 2;
const SUCCESSOR_COLUMNS = TOKEN_COLUMNS.map(([name]) => name);

/**
 * Refresh-token rotations in one statement (PostgreSQL), any number of them: each issuance
 * `rotates[k]` is claimed at `now[k]` as {@link CLAIM_TOKEN} claims one, and its successor (row k of
 * the arrays `$1…`, {@link TOKEN_COLUMNS} order) is inserted only from the claimed row, so a failed
 * claim stores nothing. Returns the ids of the successors stored. All rows become visible at one
 * commit: exact only with {@link revokeTokensCountingWhere}. The `rotates` ids must be distinct: a
 * row joined twice is claimed once, and both successors would be stored. The arrays are hidden from
 * the planner ({@link plannedOnceArray}): shown one rotation's, PostgreSQL planned the statement
 * anew on every call.
 */
export const ROTATE_TOKENS =
  `WITH input AS (SELECT * FROM unnest(${TOKEN_COLUMNS.map(([, type], i) => plannedOnceArray(`$${i + 1}`, type)).join(', ')}, ` +
  `${plannedOnceArray(`$${ROTATES}`, 'text')}, ${plannedOnceArray(`$${NOW}`, 'timestamptz')}) ` +
  `AS i(${SUCCESSOR_COLUMNS.join(', ')}, rotates, claimed_at)), ` +
  'claimed AS (UPDATE oauth_tokens t SET revoked_at = i.claimed_at FROM input i ' +
  'WHERE t.id = i.rotates AND t.revoked_at IS NULL RETURNING t.id) ' +
  `INSERT INTO oauth_tokens (${SUCCESSOR_COLUMNS.join(', ')}) ` +
  `SELECT ${SUCCESSOR_COLUMNS.map((name) => `i.${name}`).join(', ')} FROM input i JOIN claimed c ON c.id = i.rotates RETURNING id`;

/** Any key of any member of the union: the keys a selector may set. */
type SelectorKey = TokenSelector extends infer S ? (S extends unknown ? keyof S : never) : never;

/** The column each selector key filters on. Only these names are ever put into the statement. */
const SELECTOR_COLUMNS: Readonly<Record<SelectorKey, string>> = {
  familyId: 'family_id',
  clientId: 'client_id',
  userId: 'user_id',
  authorizationCodeId: 'authorization_code_id',
};

/** The keys a selector may set together, sorted: a user's tokens at one client (a consent grant revoked). */
const PAIRS: ReadonlyArray<readonly SelectorKey[]> = [['clientId', 'userId']];

/** A selector as a condition on `oauth_tokens`: `$1…$n` its values, in `values` order. */
export interface TokenFilter {
  /** The keys the selector sets, sorted, for messages. */
  keys: string;
  condition: string;
  values: string[];
}

/**
 * The selector's condition, or null unless it sets exactly one known key, or one of the allowed
 * pairs, each to a string.
 */
export function tokenFilter(selector: TokenSelector): TokenFilter | null {
  const entries = Object.entries(selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!entries.every(([key, value]) => Object.hasOwn(SELECTOR_COLUMNS, key) && typeof value === 'string')) return null;
  const keys = entries.map(([key]) => key as SelectorKey);
  if (keys.length !== 1 && !PAIRS.some((pair) => pair.length === keys.length && pair.every((key, i) => key === keys[i]))) return null;
  return {
    keys: keys.join(' and '),
    condition: keys.map((key, i) => `${SELECTOR_COLUMNS[key]} = $${i + 1}`).join(' AND '),
    values: entries.map(([, value]) => value as string),
  };
}

/** Revokes (at the parameter after the filter's values) the unrevoked tokens the filter matches. */
export function revokeTokensWhere(filter: TokenFilter): string {
  const now = filter.values.length + 1;
  return `UPDATE oauth_tokens SET revoked_at = $${now} WHERE ${filter.condition} AND revoked_at IS NULL`;
}

/**
 * {@link revokeTokensWhere}, also counting (PostgreSQL) the matching rows the statement's snapshot
 * saw unrevoked: `revoked` < `seen` means a concurrent writer changed one of them first (a
 * rotation's claim, whose successor, committed with it, the snapshot could not see), so the caller
 * repeats the statement. Data-modifying `WITH` parts and the main query share one snapshot and do
 * not see each other's changes, so `seen` counts the rows as they were before this statement.
 */
export function revokeTokensCountingWhere(filter: TokenFilter): string {
  return (
    `WITH revoked AS (${revokeTokensWhere(filter)} RETURNING 1) ` +
    `SELECT (SELECT count(*) FROM revoked)::int AS revoked, ` +
    `(SELECT count(*) FROM oauth_tokens WHERE ${filter.condition} AND revoked_at IS NULL)::int AS seen`
  );
}
