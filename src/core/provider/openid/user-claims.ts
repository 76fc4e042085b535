import type { OAuthUserStorage } from '../../storage/user-store-port.js';
import { isUserId } from '../input-limits.js';
import type { OpenIdSettings, UserClaims, UserClaimsRequest } from './openid-options.js';

/**
 * The claims a scope value asks for (OIDC Core §5.4). `openid` itself asks for none beyond `sub`,
 * which the provider always sets.
 */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  profile: Object.freeze([
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ]),
  email: Object.freeze(['email', 'email_verified']),
  address: Object.freeze(['address']),
  phone: Object.freeze(['phone_number', 'phone_number_verified']),
});

/** Every standard claim about a user the provider can release (OIDC Core §5.1), `sub` aside. */
export const STANDARD_USER_CLAIMS: readonly string[] = Object.freeze(Object.values(SCOPE_CLAIMS).flat());

/** Claims of OIDC Core §5.1 whose value is not a string. */
const BOOLEAN_CLAIMS = new Set(['email_verified', 'phone_number_verified']);
/** OIDC Core §5.1.1: the members of the `address` claim, each a string. */
const ADDRESS_MEMBERS = new Set(['formatted', 'street_address', 'locality', 'region', 'postal_code', 'country']);

/** The claims the scopes of a grant allow (OIDC Core §5.4), `sub` aside. */
export function claimsAllowedBy(scope: readonly string[]): Set<string> {
  const allowed = new Set<string>();
  for (const value of scope) {
    const claims = Object.hasOwn(SCOPE_CLAIMS, value) ? SCOPE_CLAIMS[value] : undefined;
    for (const claim of claims ?? []) allowed.add(claim);
  }
  return allowed;
}

/**
 * The claims the provider releases about a user for `request`: `sub` first, then those of the
 * application's claims (the `openid.claims` hook, else the default user store's username as
 * `preferred_username`) that the granted scopes allow (OIDC Core §5.4).
 *
 * - Only the standard claims of OIDC Core §5.1 are released, each under the scope that asks for it;
 *   anything else the hook returns (its own claims, `sub`, `iss`…) is dropped: a scope grants only
 *   the claims the specification ties to it, and the token's `sub` is the provider's alone.
 * - A claim whose value is null, undefined or an empty string is left out (OIDC Core §5.3.2).
 * - `updated_at` may be given as a Date; it is sent as seconds since the epoch (OIDC Core §5.1).
 * - A claim of the wrong type (OIDC Core §5.1: strings, booleans for `*_verified`, a number for
 *   `updated_at`, an object of strings for `address`) throws a TypeError: the application's bug,
 *   which the endpoints answer 500 and report, never passing on a value a client cannot parse.
 *
 * The hook is not asked when the scopes allow no claim. What it throws propagates.
 */
export async function releasedUserClaims(
  settings: Pick<OpenIdSettings, 'claims'>,
  users: OAuthUserStorage | null,
  request: UserClaimsRequest,
  sub: string,
): Promise<UserClaims> {
  const allowed = claimsAllowedBy(request.scope);
  const released: UserClaims = { sub };
  if (allowed.size === 0) return released;
  const frozen: UserClaimsRequest = Object.freeze({ ...request, scope: Object.freeze([...request.scope]) });
  const claims = settings.claims ? await settings.claims(frozen) : await defaultClaims(users, frozen);
  if (claims === null || claims === undefined) return released;
  if (typeof claims !== 'object' || Array.isArray(claims)) {
    throw new TypeError('the openid.claims hook must return an object of claims, or null');
  }
  for (const claim of STANDARD_USER_CLAIMS) {
    if (!allowed.has(claim) || !Object.hasOwn(claims, claim)) continue;
    const value = claimValue(claim, claims[claim]);
    if (value !== undefined) released[claim] = value;
  }
  return released;
}

/** The default claims: the default user store's username, for the `profile` scope. */
async function defaultClaims(users: OAuthUserStorage | null, request: UserClaimsRequest): Promise<UserClaims | null> {
  // An application that keeps its own users (no user store) says nothing until it gives a hook.
  if (users === null || !isUserId(request.userId)) return null;
  const user = await users.findUserById(request.userId);
  return user === null ? null : { preferred_username: user.username };
}

/** A claim's value as it is sent, undefined when left out; throws a TypeError for a value of the wrong type. */
function claimValue(claim: string, value: unknown): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  if (BOOLEAN_CLAIMS.has(claim)) {
    if (typeof value !== 'boolean') throw wrongType(claim, 'true or false');
    return value;
  }
  if (claim === 'updated_at') {
    const seconds = value instanceof Date ? Math.floor(value.getTime() / 1000) : value;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) throw wrongType(claim, 'a number of seconds since the epoch, or a Date');
    return seconds;
  }
  if (claim === 'address') return addressValue(value);
  if (typeof value !== 'string') throw wrongType(claim, 'a string');
  return value;
}

/** OIDC Core §5.1.1: a JSON object of string members; unknown members are dropped, empty ones left out. */
function addressValue(value: unknown): UserClaims | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType('address', 'an object (OIDC Core 5.1.1)');
  const address: UserClaims = {};
  for (const [member, part] of Object.entries(value)) {
    if (!ADDRESS_MEMBERS.has(member) || part === null || part === undefined || part === '') continue;
    if (typeof part !== 'string') throw wrongType(`address.${member}`, 'a string');
    address[member] = part;
  }
  return Object.keys(address).length === 0 ? undefined : address;
}

function wrongType(claim: string, expected: string): TypeError {
  return new TypeError(`the openid.claims hook returned ${claim} that is not ${expected}`);
}
