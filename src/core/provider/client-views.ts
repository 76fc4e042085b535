import type { OAuthClientInfo } from './application-callbacks.js';
import type { Lifetimes } from './lifetimes.js';
import type { ClientRecord, GrantType } from '../storage/records.js';

/**
 * A client as the oauth2-server model returns it (and as application callbacks receive it).
 * Carries no secret material; lifetimes are already resolved against the server defaults, which is
 * how oauth2-server's token handler picks them up (`client.accessTokenLifetime`).
 */
export interface OAuthModelClient extends OAuthClientInfo, Lifetimes {
  /** Whether authorization requests must carry PKCE: always true for public clients (RFC 9700 §2.1.1). */
  requirePkce: boolean;
  /** Whether PKCE `plain` is accepted (RFC 7636 §4.2); S256 otherwise. */
  allowPlainPkce: boolean;
}

/**
 * A client as the management API returns it: the record without its secret hash. `defaultScopes`
 * is what a request naming no scope gets (RFC 6749 §3.3); `allowIntrospection` whether it may
 * introspect other clients' access tokens (RFC 7662 §4); `postLogoutRedirectUris`,
 * `idTokenSignedResponseAlg`, `subjectType` and `sectorIdentifier` its OpenID Connect settings
 * (RP-Initiated Logout §3.1, OpenID Connect Registration §2, OIDC Core §8).
 */
export interface RegisteredClient extends Omit<ClientRecord, 'secretHash'> {
  /** Whether the client has a secret (RFC 6749 §2.1). */
  confidential: boolean;
}

/**
 * The default scopes the client may still be granted: a scope deleted from the catalogue, and so
 * from the client's scopes, is no default any more, whatever a storage kept of it.
 */
export function effectiveDefaultScopes(record: Pick<ClientRecord, 'scopes' | 'defaultScopes'>): string[] {
  return record.defaultScopes.filter((scope) => record.scopes.includes(scope));
}

export function toModelClient(record: ClientRecord, lifetimes: Lifetimes, grants?: readonly GrantType[]): OAuthModelClient {
  const isPublic = record.secretHash === null;
  return {
    id: record.id,
    name: record.name,
    grants: record.grants.filter((grant) => !grants || grants.includes(grant)),
    redirectUris: [...record.redirectUris],
    scopes: [...record.scopes],
    defaultScopes: effectiveDefaultScopes(record),
    isPublic,
    ...lifetimes,
    requirePkce: record.requirePkce || isPublic,
    allowPlainPkce: record.allowPlainPkce,
  };
}

export function toRegisteredClient(record: ClientRecord): RegisteredClient {
  const { secretHash, ...rest } = record;
  return {
    ...rest,
    grants: [...record.grants],
    redirectUris: [...record.redirectUris],
    scopes: [...record.scopes],
    defaultScopes: effectiveDefaultScopes(record),
    postLogoutRedirectUris: [...record.postLogoutRedirectUris],
    confidential: secretHash !== null,
  };
}
