/** Statements on `oauth_users` (the default user store). Portable SQL with `$n` placeholders. */

export const INSERT_USER =
  'INSERT INTO oauth_users (id, username, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)';

const SELECT_USER = 'SELECT id, username, password_hash, created_at, updated_at FROM oauth_users';

export const SELECT_USER_BY_USERNAME = `${SELECT_USER} WHERE username = $1`;
export const SELECT_USER_BY_ID = `${SELECT_USER} WHERE id = $1`;

/** Every user, ordered by username. */
export const SELECT_ALL_USERS = `${SELECT_USER} ORDER BY username`;

/**
 * The row whose id is exactly $1. MySQL's PAD SPACE collations also match `id = 'x '` to the row
 * `x`; equal lengths rule that out (where `=` holds, only trailing spaces can differ). The reads
 * compare in JavaScript instead; a write must not touch the wrong row at all.
 */
const EXACT_ID = 'id = $1 AND CHAR_LENGTH(id) = CHAR_LENGTH($1)';

/** `updateUserPassword`: $2 the new hash, $3 `updated_at`. */
export const UPDATE_USER_PASSWORD = `UPDATE oauth_users SET password_hash = $2, updated_at = $3 WHERE ${EXACT_ID}`;
/** The same, only while the stored hash is still $4: a compare-and-set in one statement. */
export const UPDATE_USER_PASSWORD_REPLACING = `${UPDATE_USER_PASSWORD} AND password_hash = $4`;

export const DELETE_USER = `DELETE FROM oauth_users WHERE ${EXACT_ID}`;

/** The unique index on `username` (same name in the PostgreSQL migration and the MySQL DDL). */
export const USERNAME_KEY = 'oauth_users_username_key';
