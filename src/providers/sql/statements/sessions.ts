/**
 * Statements on `oauth_sessions`, browsers' sign-in sessions (OIDC Core §3.1.2.3), found by the
 * SHA-256 digest of the cookie's secret. Portable SQL with `$n` placeholders; the dialect rewrites them.
 */
import type { SessionRecord } from '../../../core/index.js';

const COLUMNS = 'id, secret_hash, user_id, auth_time, acr, amr, expires_at, created_at';

/** `insertSession`: the values of {@link sessionValues}. */
export const INSERT_SESSION = `INSERT INTO oauth_sessions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

/** `findSession`: the session whose secret digest is $1, expired or not. */
export const SELECT_SESSION_BY_SECRET_HASH = `SELECT ${COLUMNS} FROM oauth_sessions WHERE secret_hash = $1`;

/**
 * `deleteSession`: the session whose id is exactly $1. MySQL's PAD SPACE collations also match
 * `id = 'x '` to the row `x`; equal lengths rule that out: a delete must not touch another row.
 */
export const DELETE_SESSION = 'DELETE FROM oauth_sessions WHERE id = $1 AND CHAR_LENGTH(id) = CHAR_LENGTH($1)';

/** `deleteUserSessions`: every session of the user exactly $1 (as {@link DELETE_SESSION} matches ids). */
export const DELETE_USER_SESSIONS = 'DELETE FROM oauth_sessions WHERE user_id = $1 AND CHAR_LENGTH(user_id) = CHAR_LENGTH($1)';

/** `purgeSessions`: the sessions that expired before $1. */
export const PURGE_SESSIONS = 'DELETE FROM oauth_sessions WHERE expires_at < $1';

/** A session's values in the order of {@link INSERT_SESSION}. */
export function sessionValues(session: SessionRecord): unknown[] {
  return [session.id, session.secretHash, session.userId, session.authTime, session.acr, session.amr, session.expiresAt, session.createdAt];
}
