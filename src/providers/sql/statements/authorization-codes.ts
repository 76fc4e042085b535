/** Statements on `oauth_authorization_codes`. Portable SQL with `$n` placeholders. */
import type { AuthorizationCodeRecord } from '../../../core/index.js';

const COLUMNS =
  'id, code_hash, client_id, user_id, redirect_uri, scope, audience, code_challenge, code_challenge_method, ' +
  'nonce, auth_time, acr, amr, expires_at, consumed_at, created_at';

/** `insertAuthorizationCode`: the values of {@link authorizationCodeValues}. */
export const INSERT_AUTHORIZATION_CODE =
  `INSERT INTO oauth_authorization_codes (${COLUMNS}) ` +
  'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)';

export const SELECT_AUTHORIZATION_CODE = `SELECT ${COLUMNS} FROM oauth_authorization_codes WHERE code_hash = $1`;

/** Compare-and-set: matches (and so changes) the row only while it is unconsumed. */
export const CONSUME_AUTHORIZATION_CODE =
  'UPDATE oauth_authorization_codes SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL';

/**
 * `consumeAuthorizationCodes`: spends the still-redeemable codes of user $1 (at client $3 with
 * {@link CONSUME_USER_CLIENT_AUTHORIZATION_CODES}), $2 being now. Ids match exactly: MySQL's PAD
 * SPACE collations also match `'x '` to `x`, and equal lengths rule that out.
 */
export const CONSUME_USER_AUTHORIZATION_CODES =
  'UPDATE oauth_authorization_codes SET consumed_at = $2 ' +
  'WHERE user_id = $1 AND CHAR_LENGTH(user_id) = CHAR_LENGTH($1) AND consumed_at IS NULL AND expires_at > $2';

/** {@link CONSUME_USER_AUTHORIZATION_CODES} at client $3 only. */
export const CONSUME_USER_CLIENT_AUTHORIZATION_CODES =
  `${CONSUME_USER_AUTHORIZATION_CODES} AND client_id = $3 AND CHAR_LENGTH(client_id) = CHAR_LENGTH($3)`;

/** A code's values in the order of {@link INSERT_AUTHORIZATION_CODE}. */
export function authorizationCodeValues(code: AuthorizationCodeRecord): unknown[] {
  return [
    code.id,
    code.codeHash,
    code.clientId,
    code.userId,
    code.redirectUri,
    code.scope,
    code.audience,
    code.codeChallenge,
    code.codeChallengeMethod,
    code.nonce,
    code.authTime,
    code.acr,
    code.amr,
    code.expiresAt,
    code.consumedAt,
    code.createdAt,
  ];
}
