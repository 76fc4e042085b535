import { isClientId, isStorableText, MAX_CLIENT_ID_LENGTH } from '../input-limits.js';
import { ClientMetadataError } from './client-metadata-error.js';

/**
 * Client identifier URLs (draft-ietf-oauth-client-id-metadata-document-01 §3): "MUST have an
 * "https" scheme, MUST contain a path component, MUST NOT contain single-dot or double-dot path
 * segments, MUST NOT contain a fragment component and MUST NOT contain a username or password".
 */

/** Longest string still read as an attempt at a URL client_id (and refused with a reason); longer ones are simply unknown. */
const MAX_CANDIDATE_LENGTH = 2000;
const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Whether `value` is meant as a URL: it names a scheme. Operator and generated client ids are
 * RFC 3986 unreserved characters (input-limits.ts), which never include `:`, so no such id is
 * taken for a URL (draft §6.9).
 */
export function isClientIdUrlCandidate(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_CANDIDATE_LENGTH && URL_LIKE.test(value);
}

/**
 * Whether `value` may be the id of a stored client: an id of the registered kind, or a client
 * identifier URL short enough to have been stored. For lookups by the management API; whether a
 * URL is valid is decided when its document is fetched.
 */
export function mayBeStoredClientId(value: unknown): value is string {
  return isClientId(value) || (isClientIdUrlCandidate(value) && isStorableText(value, MAX_CLIENT_ID_LENGTH));
}

/**
 * The URL a client_id names, when it is a valid client identifier URL; otherwise throws
 * {@link ClientMetadataError} (`client_metadata_not_https`, `client_metadata_invalid_url`) naming
 * the rule broken.
 *
 * Beyond the draft, the URL must be written in its canonical form (as WHATWG URL serialises it:
 * lower-case scheme and host, no default port, percent-encoding normalised) so that one document
 * is one client, never several spellings of it, and at most 128 characters, the longest client id
 * the storage holds.
 */
export function parseClientIdUrl(clientId: string): URL {
  const refuse = (reason: string) =>
    new ClientMetadataError('client_metadata_invalid_url', `the client_id ${JSON.stringify(clientId)} is not a valid client identifier URL: ${reason}`);
  if (!/^https:/i.test(clientId)) {
    throw new ClientMetadataError('client_metadata_not_https', `the client_id ${JSON.stringify(clientId)} is a URL, but not https: a client metadata document is fetched over https only (draft §3)`);
  }
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    throw refuse('it does not parse as a URL');
  }
  if (clientId.includes('#')) throw refuse('it must not contain a fragment (draft §3)');
  if (url.username !== '' || url.password !== '' || /^https:\/\/[^/?]*@/i.test(clientId)) {
    throw refuse('it must not contain a username or password (draft §3)');
  }
  if (hasDotSegment(clientId)) throw refuse('its path must not contain "." or ".." segments (draft §3)');
  if (url.pathname === '/' || url.pathname === '') throw refuse('it must have a path, e.g. https://app.example/oauth/client.json (draft §3)');
  if (url.href !== clientId) throw refuse(`it must be written in canonical form, ${JSON.stringify(url.href)}`);
  if (clientId.length > MAX_CLIENT_ID_LENGTH) {
    throw refuse(`it is ${clientId.length} characters long; this server stores client ids of at most ${MAX_CLIENT_ID_LENGTH}`);
  }
  return url;
}

/** The host a URL client_id names, for the consent page (draft §6.4); null for any other client id. */
export function clientIdUrlHost(clientId: string): string | null {
  if (!isClientIdUrlCandidate(clientId)) return null;
  try {
    return parseClientIdUrl(clientId).host;
  } catch {
    return null;
  }
}

/** Dot segments as written, before the URL parser removes them (`%2e` counts as a dot, as WHATWG URL reads it). */
function hasDotSegment(raw: string): boolean {
  const afterAuthority = raw.replace(/^https:\/\/[^/?#]*/i, '');
  const path = afterAuthority.split(/[?#]/, 1)[0] ?? '';
  return path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}
