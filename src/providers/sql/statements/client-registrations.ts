/**
 * Statements on `oauth_client_registrations` (the upsert and the bounded purge are
 * dialect-specific). Portable SQL with `$n` placeholders; the dialect rewrites them.
 */
import type { ClientRegistrationRecord } from '../../../core/index.js';

export const SELECT_CLIENT_REGISTRATION =
  'SELECT client_id, kind, access_token_hash, metadata, last_used_at, created_at, updated_at ' +
  'FROM oauth_client_registrations WHERE client_id = $1';

/**
 * Compare-and-set on the last use: only a registration never used, or last used before `$3`, is
 * written, so that a client issued many tokens a day costs one write a day. The equal lengths rule
 * out MySQL's PAD SPACE match of an id with trailing spaces.
 */
export const TOUCH_CLIENT_REGISTRATION =
  'UPDATE oauth_client_registrations SET last_used_at = $2 ' +
  'WHERE client_id = $1 AND CHAR_LENGTH(client_id) = CHAR_LENGTH($1) AND (last_used_at IS NULL OR last_used_at < $3)';

/**
 * What makes a registration unused since `$2` among those of kind `$1`: last used before it, or
 * never used and created before it. Both branches can use the `(kind, last_used_at)` index.
 */
export const UNUSED_REGISTRATION = 'kind = $1 AND (last_used_at < $2 OR (last_used_at IS NULL AND created_at < $2))';

/** A registration's values in the order of the dialect's `upsertClientRegistration` parameters. */
export function clientRegistrationValues(registration: ClientRegistrationRecord): unknown[] {
  return [
    registration.clientId,
    registration.kind,
    registration.accessTokenHash,
    registration.metadata,
    registration.lastUsedAt,
    registration.createdAt,
    registration.updatedAt,
  ];
}
