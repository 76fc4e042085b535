/**
 * Statements on `oauth_resources` (the upsert is dialect-specific). Portable SQL with `$n`
 * placeholders; the dialect rewrites them.
 */
import type { ResourceRecord } from '../../../core/index.js';

const SELECT_RESOURCE = 'SELECT id, name, scope, access_token_lifetime, token_format, created_at, updated_at FROM oauth_resources';

/** The resources matching `condition`, which the dialect builds (`equalsAny`). */
export function selectResourcesWhere(condition: string): string {
  return `${SELECT_RESOURCE} WHERE ${condition}`;
}

/** Every resource, ordered by id. */
export const SELECT_ALL_RESOURCES = `${SELECT_RESOURCE} ORDER BY id`;

/**
 * The resource whose id is exactly $1: MySQL's PAD SPACE collations would also match an id with
 * trailing spaces, which equal lengths rule out.
 */
export const DELETE_RESOURCE = 'DELETE FROM oauth_resources WHERE id = $1 AND CHAR_LENGTH(id) = CHAR_LENGTH($1)';

/**
 * A resource's values in the order of the dialect's `upsertResource` parameters. The scopes are
 * space-delimited as in a `scope` parameter (RFC 6749 §3.3), NULL for none (any scope).
 */
export function resourceValues(resource: ResourceRecord): unknown[] {
  return [
    resource.id,
    resource.name,
    resource.scopes.length === 0 ? null : resource.scopes.join(' '),
    resource.accessTokenLifetime,
    resource.tokenFormat,
    resource.createdAt,
    resource.updatedAt,
  ];
}
