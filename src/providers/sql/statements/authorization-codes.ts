/** Statements on `oauth_authorization_codes`. Portable SQL with `$n` placeholders. */

export const INSERT_AUTHORIZATION_CODE =
  'INSERT INTO oauth_authorization_codes (id, code_hash, client_id, user_id, redirect_uri, scope, audience, ' +
  'code_challenge, code_challenge_method, expires_at, consumed_at, created_at) ' +
  'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)';

export const SELECT_AUTHORIZATION_CODE =
  'SELECT id, code_hash, client_id, user_id, redirect_uri, scope, audience, code_challenge, code_challenge_method, ' +
  'expires_at, consumed_at, created_at FROM oauth_authorization_codes WHERE code_hash = $1';

/** Compare-and-set: matches (and so changes) the row only while it is unconsumed. */
export const CONSUME_AUTHORIZATION_CODE =
  'UPDATE oauth_authorization_codes SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL';
