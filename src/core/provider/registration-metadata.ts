import { MAX_SELF_REGISTERED_REDIRECT_URIS, selfRegisteredRedirectUriFault } from './client-input.js';
import { isStorableText, MAX_CLIENT_NAME_LENGTH, MAX_REDIRECT_URI_LENGTH } from './input-limits.js';
import { RegistrationError } from './registration-error.js';
import { readOpenIdMetadata, type OpenIdClientMetadata, type OpenIdRegistrationSettings } from './openid-registration-metadata.js';
import { parseScope } from './scope.js';

/**
 * Client metadata (RFC 7591 §2) as a self-registered client has it: what its registration asked
 * for, checked, with the defaults the RFC names applied. The server understands these fields; it
 * ignores every other one a request carries (§2: "The authorization server MUST ignore any client
 * metadata sent by the client that it does not understand"), so they are neither stored nor
 * returned. The OpenID Connect fields (OpenID Connect Dynamic Client Registration 1.0 §2,
 * RP-Initiated Logout 1.0 §3.1) come from {@link OpenIdClientMetadata}.
 */
export interface ClientMetadata extends OpenIdClientMetadata {
  redirect_uris: string[];
  /** Default `client_secret_basic` (§2). `none`: a public client, which gets no secret. */
  token_endpoint_auth_method: RegistrationAuthMethod;
  /** Default `["authorization_code"]` (§2). */
  grant_types: RegistrationGrantType[];
  /** Default `["code"]` (§2). */
  response_types: Array<'code'>;
  /** The scopes the client is registered with, space-delimited (§2); empty: none. */
  scope: string;
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  tos_uri?: string;
  policy_uri?: string;
  contacts?: string[];
  software_id?: string;
  software_version?: string;
}

/** How a self-registered client authenticates at the token endpoint (RFC 7591 §2). */
export type RegistrationAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';
/** The grants a self-registered client may use: the password grant is never one (RFC 9700 §2.4). */
export type RegistrationGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** A registration request's metadata, checked, and the software statement it carried. */
export interface ValidatedRegistration {
  metadata: ClientMetadata;
  /**
   * Whether the request named its `scope` (RFC 7591 §2): only then is that scope, as the policy
   * leaves it, also the client's default scope (RFC 6749 §3.3).
   */
  scopeNamed: boolean;
  /** The `software_statement` (RFC 7591 §2.3) as presented, unverified; null when none. */
  softwareStatement: string | null;
}

const AUTH_METHODS: readonly RegistrationAuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];
const GRANT_TYPES: readonly RegistrationGrantType[] = ['authorization_code', 'refresh_token', 'client_credentials'];
const MAX_CONTACTS = 10;
const MAX_CONTACT_LENGTH = 320;
const MAX_SOFTWARE_FIELD_LENGTH = 255;
/** A JWS in compact serialisation (RFC 7515 §7.1): three base64url parts. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const invalid = (description: string) => new RegistrationError('invalid_client_metadata', description);

function optionalString(body: Record<string, unknown>, field: string, valid: (value: string) => boolean, rule: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !valid(value)) throw invalid(`${field} must be ${rule}`);
  return value;
}

function stringList(body: Record<string, unknown>, field: string, max: number): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > max || !value.every((item) => typeof item === 'string')) {
    throw invalid(`${field} must be an array of at most ${max} strings`);
  }
  return [...new Set(value as string[])];
}

/** An absolute `https` or `http` URL a person may be sent to (`client_uri`, `logo_uri`, `tos_uri`, `policy_uri`). */
function isWebUrl(value: string): boolean {
  if (value.length > MAX_REDIRECT_URI_LENGTH || /[\s\p{Cc}]/u.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * RFC 7591 §2 `redirect_uris`, by the rules of every client nobody vetted
 * (`selfRegisteredRedirectUriFault`: those of an operator's client, and `http` only on the
 * loopback interface); matched exactly later, any port for `http` on `127.0.0.1` and `[::1]`
 * (provider/redirect-uri.ts).
 */
function redirectUris(body: Record<string, unknown>): string[] {
  const value = body['redirect_uris'];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > MAX_SELF_REGISTERED_REDIRECT_URIS) {
    throw new RegistrationError('invalid_redirect_uri', `redirect_uris must be an array of at most ${MAX_SELF_REGISTERED_REDIRECT_URIS} URIs`);
  }
  value.forEach((uri, index) => {
    const fault = selfRegisteredRedirectUriFault(uri);
    if (fault !== null) throw new RegistrationError('invalid_redirect_uri', `redirect_uris[${index}] ${fault}`);
  });
  return [...new Set(value as string[])];
}

function authMethod(body: Record<string, unknown>): RegistrationAuthMethod {
  const value = body['token_endpoint_auth_method'];
  if (value === undefined || value === null) return 'client_secret_basic';
  if (!AUTH_METHODS.includes(value as RegistrationAuthMethod)) {
    throw invalid(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`);
  }
  return value as RegistrationAuthMethod;
}

/**
 * `grant_types` and `response_types`, each defaulted (RFC 7591 §2) and consistent with the other
 * (§2.1: `authorization_code` goes with `code`; this server offers no other response type, and
 * no implicit grant).
 */
function grantsAndResponseTypes(body: Record<string, unknown>): Pick<ClientMetadata, 'grant_types' | 'response_types'> {
  const grants = stringList(body, 'grant_types', 10) ?? ['authorization_code'];
  const unsupportedGrant = grants.find((grant) => !GRANT_TYPES.includes(grant as RegistrationGrantType));
  if (unsupportedGrant !== undefined) {
    throw invalid(`grant_types: ${printable(unsupportedGrant)} is not offered to self-registered clients (${GRANT_TYPES.join(', ')})`);
  }
  const responseTypes = stringList(body, 'response_types', 10) ?? (grants.includes('authorization_code') ? ['code'] : []);
  const unsupportedResponse = responseTypes.find((type) => type !== 'code');
  if (unsupportedResponse !== undefined) throw invalid(`response_types: ${printable(unsupportedResponse)} is not supported (only code)`);
  if (grants.includes('authorization_code') !== responseTypes.includes('code')) {
    throw invalid('grant_types and response_types disagree: authorization_code goes with the code response type (RFC 7591 §2.1)');
  }
  if (!grants.includes('authorization_code') && !grants.includes('client_credentials')) {
    throw invalid('grant_types must include authorization_code or client_credentials: a refresh token comes from one of them');
  }
  return { grant_types: grants as RegistrationGrantType[], response_types: responseTypes as Array<'code'> };
}

/**
 * RFC 7591 §2 `scope`: each scope-token must be among `allowed` (what self-registered clients
 * may be granted). Absent or blank: every allowed scope, and `named` false.
 */
function registeredScope(body: Record<string, unknown>, allowed: readonly string[]): { scope: string; named: boolean } {
  const requested = parseScope(body['scope']);
  if (requested === false) throw invalid('scope must be a space-delimited list of scope-tokens (RFC 6749 §3.3)');
  if (requested === undefined) return { scope: allowed.join(' '), named: false };
  const refused = requested.find((scope) => !allowed.includes(scope));
  if (refused !== undefined) throw invalid(`scope ${printable(refused)} is not offered to self-registered clients`);
  return { scope: requested.join(' '), named: true };
}

function softwareStatement(body: Record<string, unknown>): string | null {
  const value = body['software_statement'];
  if (value === undefined || value === null) return null;
  // §2.3: a JWT signed or MACed with JWS. The server does not process it (§3.1.1), but a value that
  // cannot be one is refused rather than silently dropped.
  if (typeof value !== 'string' || value.length > 8192 || !COMPACT_JWS.test(value)) {
    throw new RegistrationError('invalid_software_statement', 'software_statement must be a JWT in JWS compact serialisation (RFC 7591 §2.3)');
  }
  return value;
}

/**
 * Checks a registration request's metadata (RFC 7591 §2, §2.1, §2.3): throws
 * {@link RegistrationError} naming the field and the rule it breaks. `allowed` is what a
 * self-registered client may be granted; `openid` the provider's OpenID Connect settings, null
 * when it is no OpenID provider (openid-registration-metadata.ts).
 */
export function validateClientMetadata(
  body: Record<string, unknown>,
  allowed: readonly string[],
  openid: OpenIdRegistrationSettings | null = null,
): ValidatedRegistration {
  const redirects = redirectUris(body);
  const method = authMethod(body);
  const { grant_types, response_types } = grantsAndResponseTypes(body);
  if (method === 'none' && grant_types.includes('client_credentials')) {
    throw invalid('a public client (token_endpoint_auth_method none) cannot use client_credentials: it has no secret to authenticate with');
  }
  if (grant_types.includes('authorization_code') && redirects.length === 0) {
    throw new RegistrationError('invalid_redirect_uri', 'redirect_uris must name at least one URI for the authorization_code grant (RFC 7591 §2)');
  }
  const registered = registeredScope(body, allowed);
  const oidc = readOpenIdMetadata(body, redirects, openid);
  if ('fault' in oidc) throw invalid(oidc.fault);
  const metadata: ClientMetadata = {
    redirect_uris: redirects,
    token_endpoint_auth_method: method,
    grant_types,
    response_types,
    scope: registered.scope,
    ...oidc.metadata,
  };
  const name = optionalString(body, 'client_name', (value) => isStorableText(value, MAX_CLIENT_NAME_LENGTH) && value.trim() !== '', `1–${MAX_CLIENT_NAME_LENGTH} printable characters`);
  if (name !== undefined) metadata.client_name = name;
  for (const field of ['client_uri', 'logo_uri', 'tos_uri', 'policy_uri'] as const) {
    const url = optionalString(body, field, isWebUrl, 'an absolute https or http URL');
    if (url !== undefined) metadata[field] = url;
  }
  const contacts = stringList(body, 'contacts', MAX_CONTACTS);
  if (contacts !== undefined) {
    if (!contacts.every((contact) => isStorableText(contact, MAX_CONTACT_LENGTH))) throw invalid(`contacts must hold 1–${MAX_CONTACT_LENGTH} printable characters each`);
    metadata.contacts = contacts;
  }
  for (const field of ['software_id', 'software_version'] as const) {
    const value = optionalString(body, field, (text) => isStorableText(text, MAX_SOFTWARE_FIELD_LENGTH), `1–${MAX_SOFTWARE_FIELD_LENGTH} printable characters`);
    if (value !== undefined) metadata[field] = value;
  }
  return { metadata, scopeNamed: registered.named, softwareStatement: softwareStatement(body) };
}

/** The scopes of `metadata` as a list. */
export function metadataScopes(metadata: Pick<ClientMetadata, 'scope'>): string[] {
  return metadata.scope.split(' ').filter((scope) => scope !== '');
}

/** A value fit to quote in an `error_description` (RFC 6749 §5.2 character set), or a stand-in. */
function printable(value: string): string {
  return /^[\x20-\x21\x23-\x5B\x5D-\x5F\x61-\x7E]{1,64}$/.test(value) ? `\`${value}\`` : '(a value)';
}
