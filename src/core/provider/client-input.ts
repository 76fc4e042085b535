import { ValidationError } from '../errors.js';
import {
  isBoundedString,
  isClientId,
  isStorableText,
  MAX_CLIENT_ID_LENGTH,
  MAX_CLIENT_NAME_LENGTH,
  MAX_REDIRECT_URI_LENGTH,
} from './input-limits.js';
import { DYNAMIC_CLIENT_ID_PREFIX } from './client-use.js';
import { assertLifetime } from './lifetimes.js';
import type { ClientPatch, GrantType } from '../storage/records.js';
import { isScopeToken } from './scope.js';
import type { SigningAlgorithm } from './signing/key-pair.js';
import {
  assertSubjectCoherent,
  validateIdTokenAlg,
  validateSectorIdentifier,
  validateSubjectType,
  type ClientOpenIdInput,
} from './client-openid-input.js';

/** What the management API accepts to register a client; its OpenID Connect settings come from {@link ClientOpenIdInput}. */
export interface NewClientInput extends ClientOpenIdInput {
  /**
   * client_id; generated (a random UUID) when omitted. 1–128 of `A-Z a-z 0-9 . _ ~ -`, not
   * beginning with `dcr_`, which is reserved for clients that register themselves (RFC 7591).
   */
  id?: string;
  /** Human-readable name, 1–255 characters. */
  name: string;
  /**
   * At least one of `authorization_code`, `client_credentials`, `refresh_token`, and `password`
   * when the provider offers it (`allowPasswordGrant`). None is implied: there is no default.
   */
  grants: GrantType[];
  /** Absolute URIs without fragment (RFC 6749 §3.1.2); required with `authorization_code`. */
  redirectUris?: string[];
  /** Scopes the client may be granted; each must be in the scope catalogue. */
  scopes?: string[];
  /** Whether the client gets a secret (RFC 6749 §2.1). Default true. */
  confidential?: boolean;
  /** Lifetimes in seconds; omitted or null means the server default. */
  accessTokenLifetime?: number | null;
  refreshTokenLifetime?: number | null;
  authorizationCodeLifetime?: number | null;
  /** Require PKCE on authorization requests. Default true; always true for public clients. */
  requirePkce?: boolean;
  /** Accept the PKCE `plain` method (RFC 7636 §4.2). Default false. */
  allowPlainPkce?: boolean;
  /**
   * Scopes granted when a token or authorization request names none (RFC 6749 §3.3); each must be
   * one of `scopes`. Default none: such a request is refused with `invalid_scope`.
   */
  defaultScopes?: string[];
  /**
   * Whether the client may introspect access tokens issued to any client (RFC 7662 §4): for
   * resource servers. Default false: it introspects only tokens issued to itself.
   */
  allowIntrospection?: boolean;
}

const GRANTS: readonly GrantType[] = ['authorization_code', 'client_credentials', 'password', 'refresh_token'];
/** RFC 6749 §2.1: these grants rely on the client keeping a secret. */
const CONFIDENTIAL_ONLY_GRANTS: readonly GrantType[] = ['client_credentials', 'password'];
/** Schemes that execute or embed content instead of reaching the client. */
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:']);
const MAX_REDIRECT_URIS = 100;
/** Hosts on which an `http` redirect URI stays on the device (RFC 8252 §7.3, §8.3). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The most redirect URIs a client nobody vetted may list, whether it registered itself (RFC 7591)
 * or is known by its metadata document: the same client must not get more room one way than the
 * other. 20 is more than a client needs (a few deployments, a loopback URI per native build),
 * while every URI is stored in its row, shown back in registration answers and compared on each
 * of its authorization requests; an operator vouches for its own clients, which may list 100.
 */
export const MAX_SELF_REGISTERED_REDIRECT_URIS = 20;
const MAX_SCOPES = 200;

function assertRecord(value: unknown, field: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, 'must be an object');
  }
}

function assertBoolean(value: unknown, field: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw new ValidationError(field, 'must be a boolean');
}

function optionalBoolean(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  assertBoolean(value, field);
  return value;
}

function assertList(value: unknown, field: string, max: number): asserts value is unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(field, 'must be an array');
  if (value.length > max) throw new ValidationError(field, `must hold at most ${max} entries`);
}

export function validateClientId(value: unknown): string {
  if (!isClientId(value)) {
    throw new ValidationError('id', `must be 1–${MAX_CLIENT_ID_LENGTH} characters of A-Z a-z 0-9 . _ ~ -`);
  }
  // Such an id would be taken for a self-registered client's: managed by its registration access
  // token (RFC 7592) and purged when unused.
  if (value.startsWith(DYNAMIC_CLIENT_ID_PREFIX)) {
    throw new ValidationError('id', `must not begin with "${DYNAMIC_CLIENT_ID_PREFIX}", which is reserved for clients that register themselves (RFC 7591)`);
  }
  return value;
}

export function validateName(value: unknown): string {
  if (!isStorableText(value, MAX_CLIENT_NAME_LENGTH) || value.trim() === '') {
    throw new ValidationError('name', `must be 1–${MAX_CLIENT_NAME_LENGTH} printable characters`);
  }
  return value;
}

function validateGrants(value: unknown): GrantType[] {
  assertList(value, 'grants', GRANTS.length);
  if (value.length === 0) throw new ValidationError('grants', 'must name at least one grant');
  value.forEach((grant, index) => {
    if (!GRANTS.includes(grant as GrantType)) {
      throw new ValidationError(`grants[${index}]`, `must be one of ${GRANTS.join(', ')}`);
    }
  });
  if (new Set(value).size !== value.length) throw new ValidationError('grants', 'must not repeat a grant');
  return value as GrantType[];
}

/** RFC 6749 §3.1.2: an absolute URI, which MUST NOT include a fragment; compared exactly later. */
export function isAcceptableRedirectUri(value: unknown): value is string {
  if (!isBoundedString(value, MAX_REDIRECT_URI_LENGTH) || value.includes('#') || /[\s\p{Cc}]/u.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  // oauth2-server's own check (`/^[a-zA-Z][a-zA-Z0-9+.-]+:/`) must hold too, or codes could not be exchanged.
  return !FORBIDDEN_SCHEMES.has(url.protocol) && /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(value);
}

/**
 * Why `value` cannot be a redirect URI of a client nobody vetted (one that registered itself, or
 * is known by its metadata document), or null when it can: it must be acceptable to an operator's
 * client ({@link isAcceptableRedirectUri}), and use `http` only on the loopback interface
 * (`localhost`, `127.0.0.1`, `[::1]`). RFC 6749 §3.1.2.1 asks for TLS on redirection endpoints;
 * RFC 8252 §8.3 makes the exception for loopback redirects, whose request never leaves the device.
 * An operator may register `http` elsewhere for a client it vouches for; a stranger may not have
 * codes sent across the network in clear. Native apps' private-use schemes (RFC 8252 §7.1) pass.
 * The fault reads after the URI's name: `redirect_uris[0] ${fault}`.
 */
export function selfRegisteredRedirectUriFault(value: unknown): string | null {
  if (!isAcceptableRedirectUri(value)) return 'is not an absolute URI without fragment (RFC 6749 §3.1.2)';
  const url = new URL(value);
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return 'uses http on a host other than localhost, 127.0.0.1 or [::1]: use https (RFC 6749 §3.1.2.1, RFC 8252 §8.3)';
  }
  return null;
}

/**
 * Redirect URIs, or post-logout redirect URIs by the same rules (OpenID Connect RP-Initiated
 * Logout 1.0 §3.1: the URI the user agent is sent to is the client's, as a redirect URI is).
 */
function validateRedirectUris(value: unknown, field: 'redirectUris' | 'postLogoutRedirectUris' = 'redirectUris'): string[] {
  assertList(value, field, MAX_REDIRECT_URIS);
  value.forEach((uri, index) => {
    if (!isAcceptableRedirectUri(uri)) {
      throw new ValidationError(`${field}[${index}]`, 'must be an absolute URI without fragment (RFC 6749 §3.1.2)');
    }
  });
  if (new Set(value).size !== value.length) throw new ValidationError(field, 'must not repeat a URI');
  return value as string[];
}

export function validateScopes(value: unknown, field: 'scopes' | 'defaultScopes' = 'scopes'): string[] {
  assertList(value, field, MAX_SCOPES);
  value.forEach((scope, index) => {
    if (!isScopeToken(scope)) throw new ValidationError(`${field}[${index}]`, 'must be a scope-token (RFC 6749 §3.3)');
  });
  return [...new Set(value as string[])];
}

/**
 * RFC 6749 §3.3: a default scope is one the client may be granted. `changed` says which side the
 * caller set, so that the refusal names the field it got wrong: a default scope outside `scopes`,
 * or new `scopes` that would drop a default scope (refused rather than trimmed, so that scope-less
 * requests never start failing unnoticed).
 */
export function assertDefaultScopesAllowed(
  scopes: readonly string[],
  defaultScopes: readonly string[],
  changed: 'scopes' | 'defaultScopes',
): void {
  const index = defaultScopes.findIndex((scope) => !scopes.includes(scope));
  if (index === -1) return;
  if (changed === 'defaultScopes') throw new ValidationError(`defaultScopes[${index}]`, "must be one of the client's scopes");
  throw new ValidationError(
    'scopes',
    `must keep the default scope "${defaultScopes[index]}" (change defaultScopes in the same update)`,
  );
}

function validateLifetimeField(
  field: 'accessTokenLifetime' | 'refreshTokenLifetime' | 'authorizationCodeLifetime',
  value: unknown,
): number | null {
  if (value === null || value === undefined) return null;
  assertLifetime(field, value);
  return value;
}

/** Rules that tie fields together; checked on the merged result of a create or an update. */
export function assertClientCoherent(client: {
  confidential: boolean;
  grants: readonly GrantType[];
  redirectUris: readonly string[];
  requirePkce: boolean;
}): void {
  if (!client.confidential) {
    const forbidden = client.grants.filter((grant) => CONFIDENTIAL_ONLY_GRANTS.includes(grant));
    if (forbidden.length > 0) {
      throw new ValidationError('grants', `a public client cannot use ${forbidden.join(', ')}`);
    }
    if (!client.requirePkce) throw new ValidationError('requirePkce', 'a public client always requires PKCE');
  }
  if (client.grants.includes('authorization_code') && client.redirectUris.length === 0) {
    throw new ValidationError('redirectUris', 'the authorization_code grant needs at least one redirect URI');
  }
}

/** The validated, defaulted form of {@link NewClientInput} (id still optional). */
export type ValidNewClient = Required<Omit<NewClientInput, 'id'>> & {
  id: string | undefined;
  accessTokenLifetime: number | null;
  refreshTokenLifetime: number | null;
  authorizationCodeLifetime: number | null;
  idTokenSignedResponseAlg: SigningAlgorithm | null;
  sectorIdentifier: string | null;
};

export function validateNewClient(input: unknown): ValidNewClient {
  assertRecord(input, 'client');
  const confidential = optionalBoolean(input.confidential, 'confidential', true);
  const requirePkce = optionalBoolean(input.requirePkce, 'requirePkce', true);
  const allowPlainPkce = optionalBoolean(input.allowPlainPkce, 'allowPlainPkce', false);
  const allowIntrospection = optionalBoolean(input.allowIntrospection, 'allowIntrospection', false);
  const client: ValidNewClient = {
    id: input.id === undefined ? undefined : validateClientId(input.id),
    name: validateName(input.name),
    grants: validateGrants(input.grants),
    redirectUris: input.redirectUris === undefined ? [] : validateRedirectUris(input.redirectUris),
    scopes: input.scopes === undefined ? [] : validateScopes(input.scopes),
    confidential,
    accessTokenLifetime: validateLifetimeField('accessTokenLifetime', input.accessTokenLifetime),
    refreshTokenLifetime: validateLifetimeField('refreshTokenLifetime', input.refreshTokenLifetime),
    authorizationCodeLifetime: validateLifetimeField('authorizationCodeLifetime', input.authorizationCodeLifetime),
    requirePkce,
    allowPlainPkce,
    defaultScopes: input.defaultScopes === undefined ? [] : validateScopes(input.defaultScopes, 'defaultScopes'),
    allowIntrospection,
    postLogoutRedirectUris: input.postLogoutRedirectUris === undefined ? [] : validateRedirectUris(input.postLogoutRedirectUris, 'postLogoutRedirectUris'),
    idTokenSignedResponseAlg: input.idTokenSignedResponseAlg === undefined ? null : validateIdTokenAlg(input.idTokenSignedResponseAlg),
    subjectType: input.subjectType === undefined ? 'public' : validateSubjectType(input.subjectType),
    sectorIdentifier: input.sectorIdentifier === undefined ? null : validateSectorIdentifier(input.sectorIdentifier),
  };
  assertClientCoherent(client);
  assertSubjectCoherent({ ...client, id: client.id ?? '' });
  assertDefaultScopesAllowed(client.scopes, client.defaultScopes, 'defaultScopes');
  return client;
}

const PATCHABLE = new Set<string>([
  'name',
  'grants',
  'redirectUris',
  'scopes',
  'accessTokenLifetime',
  'refreshTokenLifetime',
  'authorizationCodeLifetime',
  'requirePkce',
  'allowPlainPkce',
  'defaultScopes',
  'allowIntrospection',
  'postLogoutRedirectUris',
  'idTokenSignedResponseAlg',
  'subjectType',
  'sectorIdentifier',
]);

/** Validates an update; unknown fields (including `id` and secrets) are refused, not ignored. */
export function validateClientPatch(input: unknown): ClientPatch {
  assertRecord(input, 'patch');
  const patch: ClientPatch = {};
  for (const [key, value] of Object.entries(input)) {
    if (!PATCHABLE.has(key)) throw new ValidationError(key, 'cannot be changed by update');
    if (value === undefined) continue;
    switch (key) {
      case 'name':
        patch.name = validateName(value);
        break;
      case 'grants':
        patch.grants = validateGrants(value);
        break;
      case 'redirectUris':
        patch.redirectUris = validateRedirectUris(value);
        break;
      case 'scopes':
        patch.scopes = validateScopes(value);
        break;
      case 'defaultScopes':
        patch.defaultScopes = validateScopes(value, 'defaultScopes');
        break;
      case 'accessTokenLifetime':
      case 'refreshTokenLifetime':
      case 'authorizationCodeLifetime':
        patch[key] = validateLifetimeField(key, value);
        break;
      case 'requirePkce':
      case 'allowPlainPkce':
      case 'allowIntrospection':
        assertBoolean(value, key);
        patch[key] = value;
        break;
      case 'postLogoutRedirectUris':
        patch.postLogoutRedirectUris = validateRedirectUris(value, 'postLogoutRedirectUris');
        break;
      case 'idTokenSignedResponseAlg':
        patch.idTokenSignedResponseAlg = validateIdTokenAlg(value);
        break;
      case 'subjectType':
        patch.subjectType = validateSubjectType(value);
        break;
      case 'sectorIdentifier':
        patch.sectorIdentifier = validateSectorIdentifier(value);
        break;
    }
  }
  return patch;
}
