import type { OAuthClientInfo, OAuthUser, ValidateScope } from './application-callbacks.js';
import { MAX_SCOPE_NAME_LENGTH, MAX_SCOPE_STRING_LENGTH } from './input-limits.js';

/**
 * Scope values as RFC 6749 §3.3 defines them: space-delimited lists of scope-tokens, each made of
 * NQCHAR (%x21 / %x23-5B / %x5D-7E).
 */

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Whether `value` is a valid scope-token of acceptable length. */
export function isScopeToken(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_SCOPE_NAME_LENGTH && SCOPE_TOKEN.test(value);
}

/**
 * Parses a `scope` parameter. Returns undefined when absent or blank, false when malformed, and
 * the tokens (duplicates removed, order kept) otherwise.
 */
export function parseScope(value: unknown): string[] | undefined | false {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > MAX_SCOPE_STRING_LENGTH) return false;
  const tokens = value.split(' ').filter((token) => token !== '');
  if (tokens.length === 0) return undefined;
  if (!tokens.every(isScopeToken)) return false;
  return [...new Set(tokens)];
}

/** Parses a stored scope column (written by us, so trusted to be well-formed). */
export function parseStoredScope(value: string | null): string[] {
  return value ? value.split(' ').filter((token) => token !== '') : [];
}

/** The stored form of a granted scope list: space-delimited, or null for none. */
export function formatScope(scopes: readonly string[] | undefined): string | null {
  return scopes && scopes.length > 0 ? scopes.join(' ') : null;
}

/** Whether every scope in `requested` is in `allowed`. */
export function isSubset(requested: readonly string[], allowed: readonly string[]): boolean {
  return requested.every((scope) => allowed.includes(scope));
}

/** Why a request that names no scope is refused (RFC 6749 §3.3): no default scope applies. */
export const MISSING_SCOPE_REFUSED = 'Invalid scope: the request names no `scope` and no default scope applies';

/**
 * The scopes a request that names none gets (RFC 6749 §3.3: "a pre-defined default value"): the
 * client's default scopes that it may still have.
 */
export function defaultScopesOf(client: OAuthClientInfo): string[] {
  return client.defaultScopes.filter((scope) => client.scopes.includes(scope));
}

/**
 * The default scope policy (RFC 6749 §3.3): the requested scopes when the client may have every
 * one of them, and a refusal otherwise. A request that names no scope (`requested` undefined)
 * gets the client's default scopes, and is refused when the client has none: the server "MUST
 * either process the request using a pre-defined default value or fail the request indicating an
 * invalid scope", and granting every scope the client may have would hand out its most powerful
 * ones unasked. An empty list is a grant of nothing (a code issued without scope keeps none when
 * exchanged). A client's scopes are always in the scope catalogue, so unknown scopes are refused
 * too.
 */
export const defaultValidateScope: ValidateScope = async (
  _user: OAuthUser | null,
  client: OAuthClientInfo,
  requested: string[] | undefined,
) => {
  if (requested === undefined) {
    const defaults = defaultScopesOf(client);
    return defaults.length > 0 ? defaults : false;
  }
  return isSubset(requested, client.scopes) ? [...requested] : false;
};
