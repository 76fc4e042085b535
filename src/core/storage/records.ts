/**
 * The rows the storage port reads and writes, in the shape the core needs them.
 * Secrets never appear here in clear: every credential is a hex SHA-256 digest.
 */

/** The grant types this toolkit implements. */
export type GrantType = 'authorization_code' | 'client_credentials' | 'password' | 'refresh_token';

/** A registered client with everything needed to authenticate and authorize it. */
export interface ClientRecord {
  /** client_id (RFC 6749 §2.2). */
  id: string;
  /** Human-readable name, shown on the consent page. */
  name: string;
  /** Hex SHA-256 of the secret; null for a public client. */
  secretHash: string | null;
  /** Grant types this client may use. */
  grants: GrantType[];
  /** Registered redirect URIs, in registration order; matched exactly. */
  redirectUris: string[];
  /** Scopes this client may be granted. */
  scopes: string[];
  /** Lifetimes in seconds; null means the server default. */
  accessTokenLifetime: number | null;
  refreshTokenLifetime: number | null;
  authorizationCodeLifetime: number | null;
  /** Whether authorization requests must carry PKCE (always true in effect for public clients). */
  requirePkce: boolean;
  /** Whether PKCE `plain` is accepted. */
  allowPlainPkce: boolean;
  /**
   * Scope granted when a token or authorization request names none (RFC 6749 §3.3), in
   * registration order; a subset of `scopes`. Empty: such a request fails with `invalid_scope`.
   */
  defaultScopes: string[];
  /**
   * Whether the client may introspect tokens issued to other clients (RFC 7662 §4): set for
   * resource servers. Without it a client introspects only its own tokens.
   */
  allowIntrospection: boolean;
  /**
   * Where the client may ask to be sent after logging out (OpenID Connect RP-Initiated Logout 1.0
   * §3), in registration order; matched exactly. Stored space-delimited (a URI holds no space).
   */
  postLogoutRedirectUris: string[];
  /**
   * The algorithm the client's ID tokens are signed with (OpenID Connect Registration §2
   * `id_token_signed_response_alg`): `ES256`, `RS256` or `EdDSA`; null: the server's default.
   */
  idTokenSignedResponseAlg: string | null;
  /** The `sub` the client is told (OIDC Core §8): the user's id (`public`), or one derived per sector (`pairwise`). */
  subjectType: SubjectType;
  /**
   * The host pairwise subjects are derived for (OIDC Core §8.1); null: the one host of the
   * client's redirect URIs. Clients of one sector see the same `sub` for a user.
   */
  sectorIdentifier: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** How the `sub` of a client's ID tokens is made (OIDC Core §8). */
export type SubjectType = 'public' | 'pairwise';

/**
 * How and when the user signed in (OIDC Core §2: `auth_time`, `acr`, `amr`): carried from the
 * sign-in session to the authorization code, and from the code to every issuance of its family,
 * so that an ID token issued on refresh names the original authentication (OIDC Core §12.2).
 */
export interface Authentication {
  /** When the user authenticated; null when not known (an issuance that is not OpenID Connect's). */
  authTime: Date | null;
  /** Authentication context class reference, when the application names one. */
  acr: string | null;
  /** Authentication method references (RFC 8176), space-delimited, e.g. `pwd`; null: none known. */
  amr: string | null;
}

/** One issuance: an access token and its optional refresh token. */
export interface TokenRecord {
  id: string;
  accessTokenHash: string;
  accessTokenExpiresAt: Date;
  refreshTokenHash: string | null;
  refreshTokenExpiresAt: Date | null;
  /** Space-delimited granted scope, or null for none. */
  scope: string | null;
  /**
   * Space-delimited identifiers of the resources the access token is for (RFC 8707 §2: its
   * audience), or null for a token asked for no resource. Immutable once issued; a refresh may only
   * narrow it, and the rotated refresh token carries the narrowed set.
   */
  audience: string | null;
  clientId: string;
  userId: string | null;
  familyId: string;
  authorizationCodeId: string | null;
  revokedAt: Date | null;
  /** The authentication the grant began with (OIDC Core §12.2), kept through rotations. */
  authTime: Date | null;
  acr: string | null;
  amr: string | null;
  /** Later of both expiries: when the row may be purged. */
  expiresAt: Date;
  createdAt: Date;
}

/** A token as read back for validation or refresh, joined with what the caller needs in one round trip. */
export interface TokenLookup extends TokenRecord {
  /** The owning client's name (the guard exposes it without a second query). */
  clientName: string;
  /** The username from the default user store, when the user lives there; null otherwise. */
  username: string | null;
}

/** An authorization code (RFC 6749 §4.1.2) with its PKCE challenge (RFC 7636 §4.3). */
export interface AuthorizationCodeRecord {
  id: string;
  codeHash: string;
  clientId: string;
  userId: string;
  redirectUri: string | null;
  scope: string | null;
  /** Space-delimited resources the authorization request named (RFC 8707 §2.1), or null. */
  audience: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  /** The authorization request's `nonce` (OIDC Core §3.1.2.1), for the ID token; null when none was sent. */
  nonce: string | null;
  /** The authentication behind the approval (OIDC Core §2), for the ID token; null members when unknown. */
  authTime: Date | null;
  acr: string | null;
  amr: string | null;
  expiresAt: Date;
  consumedAt: Date | null;
  createdAt: Date;
}

/**
 * A user's standing consent to a client (OIDC Core §3.1.2.4): the scopes and resources the user
 * approved, so that a later authorization asking no more skips the consent page. One per (user,
 * client); revoking it revokes the client's tokens for the user too.
 */
export interface ConsentGrantRecord {
  userId: string;
  clientId: string;
  /** Space-delimited scopes approved, or null for none. */
  scope: string | null;
  /** Space-delimited resources approved (RFC 8707), or null for none. */
  audience: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A sign-in session of a browser (OIDC Core §3.1.2.3): the cookie holds a 256-bit secret, the
 * storage its SHA-256 digest. It lets a later authorization skip the password (and `prompt=none`
 * succeed) until it expires or the user logs out.
 */
export interface SessionRecord {
  /** Random, not secret: how the management API and logs name the session. */
  id: string;
  /** Hex SHA-256 of the cookie's secret. */
  secretHash: string;
  userId: string;
  /** When the user authenticated (OIDC Core §2 `auth_time`). */
  authTime: Date;
  acr: string | null;
  amr: string | null;
  expiresAt: Date;
  createdAt: Date;
}

/** A user of the default user store. */
export interface UserRecord {
  id: string;
  username: string;
  /** Self-describing scrypt hash (`scrypt$N$r$p$salt$hash`). */
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A protected resource tokens may be asked for (RFC 8707): an API, an MCP server. A token request
 * naming a resource that is not registered is refused `invalid_target`.
 */
export interface ResourceRecord {
  /** The resource identifier (RFC 8707 §2): an absolute URI without fragment, at most 512 characters. */
  id: string;
  /** Human-readable name, shown on the consent page. */
  name: string;
  /** The scopes a token for this resource may carry; empty: any scope of the catalogue. */
  scopes: string[];
  /** Access-token lifetime in seconds for tokens of this resource (the shorter of it and the client's wins); null: no bound of its own. */
  accessTokenLifetime: number | null;
  /**
   * The format of access tokens issued for this resource: `opaque` (a random string, validated by
   * lookup or introspection) or `jwt` (an RFC 9068 JWT the resource validates with the published keys).
   */
  tokenFormat: AccessTokenFormat;
  createdAt: Date;
  updatedAt: Date;
}

/** The access-token formats the server issues (per resource). */
export type AccessTokenFormat = 'opaque' | 'jwt';

/** How a self-registered client came to be. */
export type ClientRegistrationKind = 'dynamic' | 'metadata_document';

/**
 * A client that registered itself (RFC 7591 dynamic registration) or is known by its Client ID
 * Metadata Document, beside its `ClientRecord`. Operator-registered clients have none.
 */
export interface ClientRegistrationRecord {
  /** The client's id; the registration goes with the client when it is deleted. */
  clientId: string;
  kind: ClientRegistrationKind;
  /** Hex SHA-256 of the registration access token (RFC 7592 §3), or null when none was issued. */
  accessTokenHash: string | null;
  /** The client metadata as registered or fetched, serialised JSON (RFC 7591 §2). */
  metadata: string;
  /** When a token was last issued to the client, or null for never: what purging unused clients reads. */
  lastUsedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A key the server signs JWTs with. Its public half is published (JWKS) from creation until
 * `expiresAt`; it signs from `activatesAt` until `retiresAt`.
 */
export interface SigningKeyRecord {
  /** The key id (`kid`): random, at most 64 characters. */
  id: string;
  /** The JWS algorithm: `ES256` or `EdDSA`. */
  alg: string;
  /** The public key as a JWK, serialised JSON (no private members). */
  publicJwk: string;
  /** The private key encrypted under the operator's key (compact JWE); never in clear. */
  privateKeyEncrypted: string;
  /** When it starts signing; until then it is only published, so that verifiers learn it first. */
  activatesAt: Date;
  /** When a newer key took over signing; null while current. */
  retiresAt: Date | null;
  /** When it leaves the JWKS (the last token it signed has expired); null while it may sign. */
  expiresAt: Date | null;
  createdAt: Date;
}

/** A scope known to the server. */
export interface ScopeRecord {
  name: string;
  description: string | null;
  createdAt: Date;
}

/** Fields of a client that may change after registration (secret rotation has its own method). */
export type ClientPatch = Partial<
  Pick<
    ClientRecord,
    | 'name'
    | 'grants'
    | 'redirectUris'
    | 'scopes'
    | 'accessTokenLifetime'
    | 'refreshTokenLifetime'
    | 'authorizationCodeLifetime'
    | 'requirePkce'
    | 'allowPlainPkce'
    | 'defaultScopes'
    | 'allowIntrospection'
    | 'postLogoutRedirectUris'
    | 'idTokenSignedResponseAlg'
    | 'subjectType'
    | 'sectorIdentifier'
  >
>;

/**
 * Which tokens a bulk revocation targets: one key, or a user and a client together (a consent
 * grant revoked: that user's tokens at that client).
 */
export type TokenSelector =
  | { familyId: string }
  | { clientId: string }
  | { userId: string }
  | { authorizationCodeId: string }
  | { userId: string; clientId: string };
