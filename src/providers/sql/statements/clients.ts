/**
 * Statements on `oauth_clients` and its child tables (grants, redirect URIs, scopes).
 * Portable SQL with `$n` placeholders; the dialect rewrites them.
 */
import { placeholderList, valuesList } from './placeholders.js';

/** The columns of `oauth_clients` a client read returns besides its id (NULL in the child rows). */
const CLIENT_ROW_COLUMNS = [
  'name',
  'secret_hash',
  'access_token_lifetime',
  'refresh_token_lifetime',
  'authorization_code_lifetime',
  'require_pkce',
  'allow_plain_pkce',
  'default_scope',
  'allow_introspection',
  'post_logout_redirect_uris',
  'id_token_signed_response_alg',
  'subject_type',
  'sector_identifier',
  'created_at',
  'updated_at',
] as const;

/**
 * Clients and their children in ONE statement, without string aggregation (whose output MySQL
 * silently truncates at `group_concat_max_len`): per client, its row (`part` 0) followed by one row
 * per grant (1), redirect URI (2, in `position` order) and scope (3). With `oneClient`, every branch
 * is filtered on the id `$1`.
 */
function selectClients(oneClient: boolean): string {
  const where = (column: string) => (oneClient ? ` WHERE ${column} = $1` : '');
  const nulls = CLIENT_ROW_COLUMNS.map(() => 'NULL').join(', ');
  return [
    'SELECT c.id AS client_id, 0 AS part, 0 AS position, NULL AS item,',
    `  ${CLIENT_ROW_COLUMNS.map((column) => `c.${column}`).join(', ')}`,
    `FROM oauth_clients c${where('c.id')}`,
    `UNION ALL SELECT g.client_id, 1, 0, g.grant_type, ${nulls} FROM oauth_client_grants g${where('g.client_id')}`,
    `UNION ALL SELECT r.client_id, 2, r.position, r.redirect_uri, ${nulls} FROM oauth_client_redirect_uris r${where('r.client_id')}`,
    `UNION ALL SELECT s.client_id, 3, 0, s.scope, ${nulls} FROM oauth_client_scopes s${where('s.client_id')}`,
    'ORDER BY client_id, part, position, item',
  ].join('\n');
}

/** One client by id ($1). */
export const SELECT_CLIENT = selectClients(true);

/** Every client, ordered by id. */
export const SELECT_ALL_CLIENTS = selectClients(false);

export const INSERT_CLIENT =
  'INSERT INTO oauth_clients (id, name, secret_hash, access_token_lifetime, refresh_token_lifetime, ' +
  'authorization_code_lifetime, require_pkce, allow_plain_pkce, default_scope, allow_introspection, ' +
  'post_logout_redirect_uris, id_token_signed_response_alg, subject_type, sector_identifier, created_at, updated_at) ' +
  'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)';

/** Columns a patch may set, by record field. Only these names are ever put into an UPDATE. */
export const PATCHABLE_COLUMNS = {
  name: 'name',
  accessTokenLifetime: 'access_token_lifetime',
  refreshTokenLifetime: 'refresh_token_lifetime',
  authorizationCodeLifetime: 'authorization_code_lifetime',
  requirePkce: 'require_pkce',
  allowPlainPkce: 'allow_plain_pkce',
  defaultScopes: 'default_scope',
  allowIntrospection: 'allow_introspection',
  postLogoutRedirectUris: 'post_logout_redirect_uris',
  idTokenSignedResponseAlg: 'id_token_signed_response_alg',
  subjectType: 'subject_type',
  sectorIdentifier: 'sector_identifier',
} as const;

/**
 * The list columns of a client, `default_scope` and `post_logout_redirect_uris`, hold their items
 * space-delimited (a scope, as a `scope` parameter spells them, RFC 6749 §3.3, and a URI hold no
 * space), and NULL for none.
 */
export function spaceDelimitedColumn(items: readonly string[]): string | null {
  return items.length === 0 ? null : items.join(' ');
}

/** UPDATE of `columns` (from {@link PATCHABLE_COLUMNS}) and `updated_at`: `$1` the id, then the values in order, then the time. */
export function updateClient(columns: readonly string[]): string {
  const sets = [...columns, 'updated_at'].map((column, i) => `${column} = $${i + 2}`);
  return `UPDATE oauth_clients SET ${sets.join(', ')} WHERE id = $1`;
}

export const SET_CLIENT_SECRET_HASH = 'UPDATE oauth_clients SET secret_hash = $2, updated_at = $3 WHERE id = $1';

/** Grants, redirect URIs, scopes, tokens and codes go with it (ON DELETE CASCADE). */
export const DELETE_CLIENT = 'DELETE FROM oauth_clients WHERE id = $1';

/** The child tables, each with its columns after `client_id`. */
export const CHILD_TABLES = {
  grants: { table: 'oauth_client_grants', columns: ['grant_type'] },
  redirectUris: { table: 'oauth_client_redirect_uris', columns: ['position', 'redirect_uri'] },
  scopes: { table: 'oauth_client_scopes', columns: ['scope'] },
} as const;

export type ChildList = keyof typeof CHILD_TABLES;

export function deleteChildren(list: ChildList): string {
  return `DELETE FROM ${CHILD_TABLES[list].table} WHERE client_id = $1`;
}

/** Multi-row INSERT of `rows` children: `(client_id, …columns)` per row. */
export function insertChildren(list: ChildList, rows: number): string {
  const { table, columns } = CHILD_TABLES[list];
  return `INSERT INTO ${table} (client_id, ${columns.join(', ')}) VALUES ${valuesList(rows, columns.length + 1)}`;
}

/** Which of `count` names ($1…) exist in the scope catalogue. */
export function selectKnownScopes(count: number): string {
  return `SELECT name FROM oauth_scopes WHERE name IN (${placeholderList(count)})`;
}
