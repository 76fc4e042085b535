/** Result rows of the provider's statements, turned into the records of the storage port. */
import type {
  AttemptCounter,
  AuthorizationCodeRecord,
  ClientRecord,
  ClientRegistrationRecord,
  ConsentGrantRecord,
  GrantType,
  ResourceRecord,
  ScopeRecord,
  SessionRecord,
  SigningKeyRecord,
  SubjectType,
  TokenLookup,
  UserRecord,
} from '../../../core/index.js';
import {
  boolean,
  integer,
  optionalInteger,
  optionalText,
  optionalTimestamp,
  text,
  timestamp,
  type Row,
} from './column-values.js';

/** The `part` numbers of the client statement (see `statements/clients.ts`). */
const PART = { client: 0, grant: 1, redirectUri: 2, scope: 3 } as const;

/** A space-delimited column (scopes, RFC 6749 §3.3; URIs) as a list; NULL or blank is none. */
function spaceDelimitedList(value: string | null): string[] {
  return value === null ? [] : value.split(' ').filter((item) => item !== '');
}

function subjectType(row: Row): SubjectType {
  const type = text(row, 'subject_type');
  if (type === 'public' || type === 'pairwise') return type;
  throw new TypeError(`column subject_type: unknown subject type ${JSON.stringify(type)}`);
}

/**
 * Folds the rows of `SELECT_CLIENT`/`SELECT_ALL_CLIENTS` into clients, in the order their rows
 * arrive. Child rows keep their order (redirect URIs by position).
 */
export function decodeClients(rows: readonly Row[]): ClientRecord[] {
  const clients = new Map<string, ClientRecord>();
  for (const row of rows) {
    const id = text(row, 'client_id');
    const part = integer(row, 'part');
    if (part === PART.client) {
      clients.set(id, {
        id,
        name: text(row, 'name'),
        secretHash: optionalText(row, 'secret_hash'),
        grants: [],
        redirectUris: [],
        scopes: [],
        accessTokenLifetime: optionalInteger(row, 'access_token_lifetime'),
        refreshTokenLifetime: optionalInteger(row, 'refresh_token_lifetime'),
        authorizationCodeLifetime: optionalInteger(row, 'authorization_code_lifetime'),
        requirePkce: boolean(row, 'require_pkce'),
        allowPlainPkce: boolean(row, 'allow_plain_pkce'),
        defaultScopes: spaceDelimitedList(optionalText(row, 'default_scope')),
        allowIntrospection: boolean(row, 'allow_introspection'),
        postLogoutRedirectUris: spaceDelimitedList(optionalText(row, 'post_logout_redirect_uris')),
        idTokenSignedResponseAlg: optionalText(row, 'id_token_signed_response_alg'),
        subjectType: subjectType(row),
        sectorIdentifier: optionalText(row, 'sector_identifier'),
        createdAt: timestamp(row, 'created_at'),
        updatedAt: timestamp(row, 'updated_at'),
      });
      continue;
    }
    // Children sort after their client (part 0 first), so the client is always known here.
    const client = clients.get(id);
    if (!client) throw new Error(`client rows out of order for ${JSON.stringify(id)}`);
    const item = text(row, 'item');
    if (part === PART.grant) client.grants.push(item as GrantType);
    else if (part === PART.redirectUri) client.redirectUris.push(item);
    else if (part === PART.scope) client.scopes.push(item);
    else throw new Error(`unexpected client row part ${part}`);
  }
  return [...clients.values()];
}

/** The `auth_time`, `acr` and `amr` columns (OIDC Core §2) of a token or a code. */
function authentication(row: Row): Pick<TokenLookup, 'authTime' | 'acr' | 'amr'> {
  return { authTime: optionalTimestamp(row, 'auth_time'), acr: optionalText(row, 'acr'), amr: optionalText(row, 'amr') };
}

export function decodeTokenLookup(row: Row): TokenLookup {
  return {
    id: text(row, 'id'),
    accessTokenHash: text(row, 'access_token_hash'),
    accessTokenExpiresAt: timestamp(row, 'access_token_expires_at'),
    refreshTokenHash: optionalText(row, 'refresh_token_hash'),
    refreshTokenExpiresAt: optionalTimestamp(row, 'refresh_token_expires_at'),
    scope: optionalText(row, 'scope'),
    audience: optionalText(row, 'audience'),
    clientId: text(row, 'client_id'),
    userId: optionalText(row, 'user_id'),
    familyId: text(row, 'family_id'),
    authorizationCodeId: optionalText(row, 'authorization_code_id'),
    revokedAt: optionalTimestamp(row, 'revoked_at'),
    ...authentication(row),
    expiresAt: timestamp(row, 'expires_at'),
    createdAt: timestamp(row, 'created_at'),
    clientName: text(row, 'client_name'),
    username: optionalText(row, 'username'),
  };
}

function codeChallengeMethod(row: Row): AuthorizationCodeRecord['codeChallengeMethod'] {
  const method = optionalText(row, 'code_challenge_method');
  if (method === null || method === 'S256' || method === 'plain') return method;
  throw new TypeError(`column code_challenge_method: unknown method ${JSON.stringify(method)}`);
}

export function decodeAuthorizationCode(row: Row): AuthorizationCodeRecord {
  return {
    id: text(row, 'id'),
    codeHash: text(row, 'code_hash'),
    clientId: text(row, 'client_id'),
    userId: text(row, 'user_id'),
    redirectUri: optionalText(row, 'redirect_uri'),
    scope: optionalText(row, 'scope'),
    audience: optionalText(row, 'audience'),
    codeChallenge: optionalText(row, 'code_challenge'),
    codeChallengeMethod: codeChallengeMethod(row),
    nonce: optionalText(row, 'nonce'),
    ...authentication(row),
    expiresAt: timestamp(row, 'expires_at'),
    consumedAt: optionalTimestamp(row, 'consumed_at'),
    createdAt: timestamp(row, 'created_at'),
  };
}

export function decodeResource(row: Row): ResourceRecord {
  return {
    id: text(row, 'id'),
    name: text(row, 'name'),
    scopes: spaceDelimitedList(optionalText(row, 'scope')),
    accessTokenLifetime: optionalInteger(row, 'access_token_lifetime'),
    tokenFormat: text(row, 'token_format') === 'jwt' ? 'jwt' : 'opaque',
    createdAt: timestamp(row, 'created_at'),
    updatedAt: timestamp(row, 'updated_at'),
  };
}

export function decodeClientRegistration(row: Row): ClientRegistrationRecord {
  const kind = text(row, 'kind');
  if (kind !== 'dynamic' && kind !== 'metadata_document') throw new TypeError(`column kind: unknown registration kind ${JSON.stringify(kind)}`);
  return {
    clientId: text(row, 'client_id'),
    kind,
    accessTokenHash: optionalText(row, 'access_token_hash'),
    metadata: text(row, 'metadata'),
    lastUsedAt: optionalTimestamp(row, 'last_used_at'),
    createdAt: timestamp(row, 'created_at'),
    updatedAt: timestamp(row, 'updated_at'),
  };
}

export function decodeUser(row: Row): UserRecord {
  return {
    id: text(row, 'id'),
    username: text(row, 'username'),
    passwordHash: text(row, 'password_hash'),
    createdAt: timestamp(row, 'created_at'),
    updatedAt: timestamp(row, 'updated_at'),
  };
}

export function decodeScope(row: Row): ScopeRecord {
  return {
    name: text(row, 'name'),
    description: optionalText(row, 'description'),
    createdAt: timestamp(row, 'created_at'),
  };
}

export function decodeAttemptCounter(row: Row): AttemptCounter {
  return { points: integer(row, 'points'), expiresAt: timestamp(row, 'expires_at') };
}

export function decodeSigningKey(row: Row): SigningKeyRecord {
  return {
    id: text(row, 'id'),
    alg: text(row, 'alg'),
    publicJwk: text(row, 'public_jwk'),
    privateKeyEncrypted: text(row, 'private_key_encrypted'),
    activatesAt: timestamp(row, 'activates_at'),
    retiresAt: optionalTimestamp(row, 'retires_at'),
    expiresAt: optionalTimestamp(row, 'expires_at'),
    createdAt: timestamp(row, 'created_at'),
  };
}

export function decodeSession(row: Row): SessionRecord {
  return {
    id: text(row, 'id'),
    secretHash: text(row, 'secret_hash'),
    userId: text(row, 'user_id'),
    authTime: timestamp(row, 'auth_time'),
    acr: optionalText(row, 'acr'),
    amr: optionalText(row, 'amr'),
    expiresAt: timestamp(row, 'expires_at'),
    createdAt: timestamp(row, 'created_at'),
  };
}

export function decodeConsentGrant(row: Row): ConsentGrantRecord {
  return {
    userId: text(row, 'user_id'),
    clientId: text(row, 'client_id'),
    scope: optionalText(row, 'scope'),
    audience: optionalText(row, 'audience'),
    createdAt: timestamp(row, 'created_at'),
    updatedAt: timestamp(row, 'updated_at'),
  };
}
