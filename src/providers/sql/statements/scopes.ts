/** Statements on `oauth_scopes` (the upsert is dialect-specific). Portable SQL with `$n` placeholders. */

export const SELECT_SCOPES = 'SELECT name, description, created_at FROM oauth_scopes ORDER BY name';

/** Client links go with it (ON DELETE CASCADE). */
export const DELETE_SCOPE = 'DELETE FROM oauth_scopes WHERE name = $1';
