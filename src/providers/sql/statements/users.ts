/** Statements on `oauth_users` (the default user store). Portable SQL with `$n` placeholders. */

export const INSERT_USER =
  'INSERT INTO oauth_users (id, username, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)';

const SELECT_USER = 'SELECT id, username, password_hash, created_at, updated_at FROM oauth_users';

export const SELECT_USER_BY_USERNAME = `${SELECT_USER} WHERE username = $1`;
export const SELECT_USER_BY_ID = `${SELECT_USER} WHERE id = $1`;

/** Every user, ordered by username. */
export const SELECT_ALL_USERS = `${SELECT_USER} ORDER BY username`;

export const DELETE_USER = 'DELETE FROM oauth_users WHERE id = $1';

/** The unique index on `username` (same name in the PostgreSQL migration and the MySQL DDL). */
export const USERNAME_KEY = 'oauth_users_username_key';
