import type { ResourceRecord } from '../storage/records.js';
import type { StorageStack } from '../runtime/storage-stack.js';
import { isSubset } from './scope.js';

/**
 * Resource indicators (RFC 8707): what a resource identifier is, how an audience is stored, and
 * what the resources of an audience decide about a token — its scope and its lifetime.
 */

/** The longest resource identifier accepted, in characters. */
export const MAX_RESOURCE_IDENTIFIER_LENGTH = 512;
/** The most `resource` values one request may carry. */
export const MAX_RESOURCES_PER_REQUEST = 16;
/**
 * The longest stored audience, in characters: the width of the `audience` columns of tokens and
 * codes (VARCHAR(4000)). Sixteen identifiers of 512 characters would not fit: the request is
 * refused before anything is written, rather than failing in the database as a 503.
 */
export const MAX_AUDIENCE_LENGTH = 4000;

/**
 * The characters of a URI (RFC 3986 §2: unreserved, reserved and `%`), without `#`: a resource
 * identifier "MUST NOT include a fragment component" (RFC 8707 §2). Nothing outside this set — no
 * space, quote, backslash or control character — so an identifier can be named in an
 * `error_description` (RFC 6749 §5.2) and stored as it is.
 */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?[\]@!$&'()*+,;=%]+$/;
/** RFC 3986 §3.1: an absolute URI starts with its scheme. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** A `%` not followed by two hexadecimal digits (RFC 3986 §2.1). */
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;

/**
 * Whether `value` may name a resource (RFC 8707 §2): an absolute URI (RFC 3986 §4.3) without a
 * fragment, of at most {@link MAX_RESOURCE_IDENTIFIER_LENGTH} characters, that the WHATWG URL
 * parser also reads. Compared and stored exactly as given: `https://api.example` and
 * `https://api.example/` are two resources.
 */
export function isResourceIdentifier(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_RESOURCE_IDENTIFIER_LENGTH &&
    URI_CHARACTERS.test(value) &&
    SCHEME.test(value) &&
    !BAD_PERCENT.test(value) &&
    URL.canParse(value)
  );
}

/** The stored form of an audience: the identifiers joined by single spaces, or null for none. */
export function formatAudience(ids: readonly string[]): string | null {
  return ids.length > 0 ? ids.join(' ') : null;
}

/** The identifiers of a stored audience (written by us, so trusted to be well-formed). */
export function parseAudience(value: string | null): string[] {
  return value ? value.split(' ').filter((id) => id !== '') : [];
}

/** Why a set of resources cannot be the audience of a token, or the records it is made of. */
export type ResourceLookup = { ok: true; resources: ResourceRecord[] } | { ok: false; description: string };

/** RFC 8707 §2: with a storage without the resource port, no resource is registered. */
export const NO_RESOURCES_REGISTERED = 'Invalid target: this server registers no resources, so it accepts no `resource` parameter';

/**
 * The registered resources `ids` name, in the order of `ids`, with one `findResources` call (none
 * for an empty list); a refusal naming the first one that is not registered, or saying that the
 * storage keeps no resources at all.
 */
export async function lookUpResources(storage: StorageStack, ids: readonly string[]): Promise<ResourceLookup> {
  if (ids.length === 0) return { ok: true, resources: [] };
  if (storage.resources === null) return { ok: false, description: NO_RESOURCES_REGISTERED };
  const found = new Map((await storage.resources.findResources(ids)).map((record) => [record.id, record]));
  const resources: ResourceRecord[] = [];
  for (const id of ids) {
    const record = found.get(id);
    if (!record) return { ok: false, description: `Invalid target: no resource ${id} is registered` };
    resources.push(record);
  }
  return { ok: true, resources };
}

/**
 * The scopes a token for `resources` may carry: the union of the scopes they declare, or null
 * (no bound) when there is no resource or one of them declares none (any scope then).
 */
function scopesAllowedBy(resources: readonly ResourceRecord[]): string[] | null {
  if (resources.length === 0 || resources.some((resource) => resource.scopes.length === 0)) return null;
  return [...new Set(resources.flatMap((resource) => resource.scopes))];
}

/**
 * The scope of a token for `resources`, or false (`invalid_scope`). A scope the client named
 * (`named`) must lie within what the resources allow; a scope it did not name — the client's
 * default scope, the scope an authorization code or refresh token carries over — is narrowed to
 * it, and refused when nothing of a non-empty scope is left.
 */
export function scopeForResources(scope: readonly string[], named: boolean, resources: readonly ResourceRecord[]): string[] | false {
  const allowed = scopesAllowedBy(resources);
  if (allowed === null) return [...scope];
  if (named) return isSubset(scope, allowed) ? [...scope] : false;
  const kept = scope.filter((name) => allowed.includes(name));
  return kept.length > 0 || scope.length === 0 ? kept : false;
}

/** The access-token lifetime for `resources`: the shortest of `lifetime` and theirs. */
export function accessTokenLifetimeFor(lifetime: number, resources: readonly ResourceRecord[]): number {
  return Math.min(lifetime, ...resources.map((resource) => resource.accessTokenLifetime ?? lifetime));
}

/** Why {@link scopeForResources} refused a scope, named by the request or not. */
export function scopeOutsideResources(named: boolean): string {
  return named
    ? 'Invalid scope: the requested scope is not one the requested resources accept'
    : 'Invalid scope: no scope this request would be granted is one the requested resources accept';
}
