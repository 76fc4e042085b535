/**
 * Statements on `oauth_signing_keys`, the keys JWT access tokens (RFC 9068) are signed with.
 * Portable SQL with `$n` placeholders; the dialect rewrites them. Keys are few (one signing, a
 * next one published ahead, retired ones until their last token expires), so none of these needs
 * a batch limit or an index beyond the primary key.
 */
import type { SigningKeyRecord } from '../../../core/index.js';

const COLUMNS = 'id, alg, public_jwk, private_key_encrypted, activates_at, retires_at, expires_at, created_at';

/** `listSigningKeys`: the published keys at $1, in the order they sign. */
export const SELECT_PUBLISHED_SIGNING_KEYS =
  `SELECT ${COLUMNS} FROM oauth_signing_keys WHERE expires_at IS NULL OR expires_at > $1 ORDER BY activates_at, id`;

/** `insertSigningKey`: the values of {@link signingKeyValues}. */
export const INSERT_SIGNING_KEY = `INSERT INTO oauth_signing_keys (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

/** `retireSigningKeys`: every key activated before $1 and not retired yet retires at $2 and leaves the JWKS at $3. */
export const RETIRE_SIGNING_KEYS =
  'UPDATE oauth_signing_keys SET retires_at = $2, expires_at = $3 WHERE activates_at < $1 AND retires_at IS NULL';

/** `retireSigningKeyById`: the key $1, if not retired yet, retires at $2 and leaves the JWKS at $3. */
export const RETIRE_SIGNING_KEY_BY_ID = 'UPDATE oauth_signing_keys SET retires_at = $2, expires_at = $3 WHERE id = $1 AND retires_at IS NULL';

/** `purgeSigningKeys`: the keys that left the JWKS before $1. */
export const PURGE_SIGNING_KEYS = 'DELETE FROM oauth_signing_keys WHERE expires_at < $1';

/** A key's values in the order of {@link INSERT_SIGNING_KEY}. */
export function signingKeyValues(key: SigningKeyRecord): unknown[] {
  return [key.id, key.alg, key.publicJwk, key.privateKeyEncrypted, key.activatesAt, key.retiresAt, key.expiresAt, key.createdAt];
}
