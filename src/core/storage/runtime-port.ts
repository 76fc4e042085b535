import type { AuthorizationCodeRecord, ClientRecord, TokenLookup, TokenRecord, TokenSelector } from './records.js';

/**
 * The runtime port: what a token request, a guarded request and a code exchange ask of the
 * database, and nothing more. These calls are on the hot path; each is one round trip.
 *
 * Keys arrive checked: the core never passes a hash that is not 64 hex digits, nor an id,
 * username or scope name with a NUL character (no column could hold it), and answers such a
 * request "not found" itself. Timestamps are UTC instants; `now` is always the caller's.
 */
export interface OAuthRuntimeStorage {
  /**
   * The client with its grants, redirect URIs (in registration order) and scopes, in one round
   * trip, or null when no client has this id. Matched exactly (case and trailing spaces count).
   *
   * Called by: client authentication at the token, revocation and introspection endpoints (the
   * core shares one read among requests waiting for the same client at once), the authorization
   * endpoint, and the management API.
   */
  findClient(id: string): Promise<ClientRecord | null>;

  /**
   * The rows of those of 1 to {@link MAX_ACCESS_TOKEN_BATCH} distinct access-token digests that
   * exist, in any order, revoked and expired ones included (the core decides), each joined with its
   * client's name and its user's username (null when the user is not in the default user store).
   * One statement: the batch sees the database at one moment.
   *
   * Called by: the guard on every request that the token cache does not answer, and revocation
   * and introspection. Lookups waiting at the same moment are sent together; a single lookup is
   * a batch of one.
   */
  findAccessTokens(accessTokenHashes: readonly string[]): Promise<TokenLookup[]>;

  /**
   * The rows of those of 1 to {@link MAX_REFRESH_TOKEN_BATCH} distinct refresh-token digests that
   * exist, in any order, shaped and joined as `findAccessTokens` returns them. One statement.
   *
   * Called by: the refresh_token grant, revocation and introspection. Lookups waiting at the same
   * moment are sent together; a single lookup is a batch of one.
   */
  findRefreshTokens(refreshTokenHashes: readonly string[]): Promise<TokenLookup[]>;

  /**
   * Stores 1 to {@link MAX_TOKEN_INSERT_BATCH} issuances (an access token with its optional
   * refresh token each) in one all-or-nothing INSERT: on failure none is stored, and the core
   * retries each alone so that one bad row (its client deleted meanwhile) fails only its own
   * request.
   *
   * Called by: every grant of the token endpoint. Issuances waiting at the same moment are sent
   * together.
   */
  insertTokens(tokens: readonly TokenRecord[]): Promise<void>;

  /**
   * Sets `revokedAt` of one issuance only if it is still null, as one conditional UPDATE in the
   * database. True for exactly one of any number of concurrent callers; false for an unknown id.
   *
   * Called by: refresh-token rotation (the claim that lets exactly one concurrent refresh win) and
   * RFC 7009 revocation of an access token.
   */
  claimToken(id: string, now: Date): Promise<boolean>;

  /**
   * Optional. Rotates 1 to {@link MAX_TOKEN_ROTATION_BATCH} refresh tokens in as few round trips
   * as the database allows: for each rotation, claims the issuance `rotates` at `now` as
   * {@link claimToken} does and stores `token` (its successor, same family) only if that claim
   * succeeded. One answer per rotation, in order: true when both happened; false, with no usable
   * successor stored, when the claim failed (a concurrent refresh won, or the token was revoked
   * meanwhile). The rotations of one call name distinct `rotates` ids. On an error nothing of the
   * call may be applied (one statement): the core then sends each rotation alone, so that one bad
   * row fails only its own request.
   *
   * Exactness owed with it: a {@link revokeTokens} racing the rotation must not leave the successor
   * usable. Where the claim and the insert are one statement (both rows visible at one commit) and
   * an UPDATE reads one snapshot (PostgreSQL's READ COMMITTED), `revokeTokens` must therefore repeat
   * while one of its statements skipped a matching row that a concurrent writer changed first
   * (docs/adr/0003). Without it the core calls `insertTokens`, then `claimToken`.
   *
   * Called by: the refresh_token grant. Rotations waiting at the same moment are sent together.
   */
  rotateTokens?(rotations: readonly TokenRotation[]): Promise<boolean[]>;

  /**
   * Revokes every not-yet-revoked token the selector matches; returns how many. A successor stored
   * by a rotation racing the call matches the selector too (it inherits the family, client, user and
   * code) and must not be left usable: see {@link rotateTokens}.
   *
   * Called by: refresh-token reuse (the whole family), code replay (what the code issued),
   * revocation of a refresh token (its family), `invalidateClientTokensInteractor`,
   * `invalidateUserTokensInteractor`, and user deletion.
   */
  revokeTokens(selector: TokenSelector, now: Date): Promise<number>;

  /**
   * Stores one authorization code: one INSERT.
   *
   * Called by: the authorization endpoint when the user approves, and oauth2-server's authorize
   * handler through the model.
   */
  insertAuthorizationCode(code: AuthorizationCodeRecord): Promise<void>;

  /**
   * The code with this digest, consumed and expired ones included (the core decides), or null.
   *
   * Called by: the authorization_code grant.
   */
  findAuthorizationCode(codeHash: string): Promise<AuthorizationCodeRecord | null>;

  /**
   * Sets `consumedAt` only if it is still null, as one conditional UPDATE. True for exactly one of
   * any number of concurrent callers; false for an unknown id.
   *
   * Called by: the authorization_code grant, once the code has been checked.
   */
  consumeAuthorizationCode(id: string, now: Date): Promise<boolean>;
}

/** The most digests the core passes to one {@link OAuthRuntimeStorage.findAccessTokens} call. */
export const MAX_ACCESS_TOKEN_BATCH = 128;

/** The most digests the core passes to one {@link OAuthRuntimeStorage.findRefreshTokens} call. */
export const MAX_REFRESH_TOKEN_BATCH = 64;

/** The most tokens the core passes to one {@link OAuthRuntimeStorage.insertTokens} call. */
export const MAX_TOKEN_INSERT_BATCH = 64;

/** The most rotations the core passes to one {@link OAuthRuntimeStorage.rotateTokens} call. */
export const MAX_TOKEN_ROTATION_BATCH = 64;

/** One refresh-token rotation (RFC 6749 §6): the issuance to claim, its successor, and when. */
export interface TokenRotation {
  /** Id of the issuance whose refresh token was presented: claimed (`revokedAt = now`) if still unrevoked. */
  readonly rotates: string;
  /** The successor, stored only if the claim succeeded. */
  readonly token: TokenRecord;
  /** The instant of the claim, the caller's clock. */
  readonly now: Date;
}

/** The runtime port's methods, in the order they are documented. */
export const RUNTIME_METHODS = [
  'findClient',
  'findAccessTokens',
  'findRefreshTokens',
  'insertTokens',
  'claimToken',
  'revokeTokens',
  'insertAuthorizationCode',
  'findAuthorizationCode',
  'consumeAuthorizationCode',
] as const satisfies ReadonlyArray<keyof OAuthRuntimeStorage>;
