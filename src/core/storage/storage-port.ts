import type {
  AuthorizationCodeRecord,
  ClientPatch,
  ClientRecord,
  ScopeRecord,
  TokenLookup,
  TokenRecord,
  TokenSelector,
  UserRecord,
} from './records.js';

/**
 * The storage port: everything the core asks of a database, and nothing more.
 *
 * OAuthSqlProvider and OAuthPrismaProvider each implement this interface; all OAuth behaviour lives
 * in the core on top of it, so both providers behave identically by construction. A third-party
 * provider implements this interface and proves itself with the conformance suite in
 * `oauth2-kit/testing`.
 *
 * Guarantees every implementation owes:
 * - Every method is atomic: it either fully happens or not at all (no half-written client or token).
 * - Methods named `claim…`/`consume…` are compare-and-set in the database itself (one conditional
 *   UPDATE), never read-then-write in JavaScript, so that concurrent callers see exactly one winner.
 * - Lookups by hash are a single round trip; `findAccessToken` is on every guarded request.
 * - Inputs are bound as parameters, never interpolated into SQL.
 * - Timestamps are compared and stored as UTC instants; `now` is always supplied by the caller.
 */
export interface OAuthStorage {
  // ── Clients ────────────────────────────────────────────────────────────────────────────────

  /**
   * Called by `getClient` on every token request and by the authorization endpoint.
   * Returns the client with its grants, redirect URIs (in registration order) and scopes, in one
   * round trip, or null when no client has this id.
   */
  findClient(id: string): Promise<ClientRecord | null>;

  /**
   * Called by the management API to register a client. Writes the client and its grants, redirect
   * URIs and scopes in one transaction. Throws {@link DuplicateError} when the id is taken, and
   * {@link UnknownScopeError} when a scope is not in the scope catalogue.
   */
  insertClient(client: ClientRecord): Promise<void>;

  /**
   * Called by the management API. Replaces the given fields (child lists are replaced whole) and
   * sets `updatedAt`, in one transaction. Returns the updated client, or null when it does not exist.
   * Throws {@link UnknownScopeError} like `insertClient`.
   */
  updateClient(id: string, patch: ClientPatch, now: Date): Promise<ClientRecord | null>;

  /**
   * Called by the management API to rotate or remove a secret. Returns false when no such client.
   * The new hash takes effect for the next `findClient`, at once.
   */
  setClientSecretHash(id: string, secretHash: string | null, now: Date): Promise<boolean>;

  /** Called by the management API. All clients, ordered by id. */
  listClients(): Promise<ClientRecord[]>;

  /**
   * Called by the management API. Deletes the client with its grants, redirect URIs, scopes,
   * tokens and authorization codes, in one transaction. Returns false when no such client.
   */
  deleteClient(id: string): Promise<boolean>;

  // ── Scopes ─────────────────────────────────────────────────────────────────────────────────

  /** Called by the management API. Creates or updates the description of each scope. */
  upsertScopes(scopes: Array<{ name: string; description: string | null }>, now: Date): Promise<void>;

  /** Called by the management API. All scopes, ordered by name. */
  listScopes(): Promise<ScopeRecord[]>;

  /** Called by the management API. Deletes a scope and removes it from every client. */
  deleteScope(name: string): Promise<boolean>;

  // ── Tokens ─────────────────────────────────────────────────────────────────────────────────

  /** Called by `saveToken`. One INSERT: the issuance exists whole or not at all. */
  insertToken(token: TokenRecord): Promise<void>;

  /**
   * Optional; when present, the core stores the issuances of token requests that are waiting at the
   * same moment here together, one statement and one commit for all, instead of one `insertToken`
   * each. Called with 2 to {@link MAX_TOKEN_INSERT_BATCH} tokens. All or nothing: one INSERT, so
   * that on failure none is stored and the core can retry each alone with `insertToken`.
   */
  insertTokens?(tokens: readonly TokenRecord[]): Promise<void>;

  /**
   * Called by `getAccessToken` on every guarded request: one round trip. Returns the row (revoked
   * or expired rows included; the core decides) joined with client name and username, or null.
   */
  findAccessToken(accessTokenHash: string): Promise<TokenLookup | null>;

  /**
   * Optional; when present, the core sends the access-token lookups that are waiting at the same
   * moment here together instead of one `findAccessToken` each (the guard on a busy server: one
   * round trip for many requests). Called with 1 to {@link MAX_ACCESS_TOKEN_BATCH} distinct
   * hashes; returns the rows of those that exist, in any order, each exactly as `findAccessToken`
   * would return it. One round trip, one statement: a batch sees the database at one moment.
   */
  findAccessTokens?(accessTokenHashes: readonly string[]): Promise<TokenLookup[]>;

  /** Called by `getRefreshToken` and revocation; same shape and cost as `findAccessToken`. */
  findRefreshToken(refreshTokenHash: string): Promise<TokenLookup | null>;

  /**
   * Called when a refresh token is rotated or a token is revoked: sets `revokedAt` only if it is
   * still null, atomically. Returns true for exactly one of any number of concurrent callers.
   */
  claimToken(id: string, now: Date): Promise<boolean>;

  /**
   * Called on refresh-token reuse (the whole family), code replay (what the code issued), and the
   * invalidate-client/user interactors. Revokes every not-yet-revoked matching token; returns how many.
   */
  revokeTokens(selector: TokenSelector, now: Date): Promise<number>;

  // ── Authorization codes ────────────────────────────────────────────────────────────────────

  /** Called by `saveAuthorizationCode`. One INSERT. */
  insertAuthorizationCode(code: AuthorizationCodeRecord): Promise<void>;

  /** Called by `getAuthorizationCode`. Consumed and expired codes are returned too; the core decides. */
  findAuthorizationCode(codeHash: string): Promise<AuthorizationCodeRecord | null>;

  /**
   * Called by `revokeAuthorizationCode` when a code is exchanged: sets `consumedAt` only if null,
   * atomically. Returns true for exactly one of any number of concurrent callers.
   */
  consumeAuthorizationCode(id: string, now: Date): Promise<boolean>;

  // ── Users (the default user store) ─────────────────────────────────────────────────────────

  /** Called by the user store. Throws {@link DuplicateError} when the id or username is taken. */
  insertUser(user: UserRecord): Promise<void>;

  /** Called by the default `getUser`/login interactors. Exact, case-sensitive match. */
  findUserByUsername(username: string): Promise<UserRecord | null>;

  /** Called by the user store. */
  findUserById(id: string): Promise<UserRecord | null>;

  /** Called by the user store; the core revokes the user's tokens first. Returns false when absent. */
  deleteUser(id: string): Promise<boolean>;

  // ── Housekeeping ───────────────────────────────────────────────────────────────────────────

  /**
   * Called by `purgeExpired()` in a loop. Deletes at most `limit` tokens whose `expiresAt` is before
   * `now`, and at most `limit` authorization codes whose `expiresAt` is before `now`, each batch in
   * its own short statement (no long lock). Returns how many rows of each were deleted.
   */
  purgeExpiredBatch(now: Date, limit: number): Promise<{ tokens: number; codes: number }>;
}

/** The most hashes the core passes to one {@link OAuthStorage.findAccessTokens} call. */
export const MAX_ACCESS_TOKEN_BATCH = 128;

/** The most tokens the core passes to one {@link OAuthStorage.insertTokens} call. */
export const MAX_TOKEN_INSERT_BATCH = 64;

/** Thrown by the storage port when a unique key (client id, user id, username) is already taken. */
export class DuplicateError extends Error {
  override readonly name = 'DuplicateError';
  constructor(
    /** What was duplicated: `client`, `user` or `username`. */
    readonly entity: string,
    message = `${entity} already exists`,
  ) {
    super(message);
  }
}

/** Thrown by the storage port when a client refers to scopes missing from the scope catalogue. */
export class UnknownScopeError extends Error {
  override readonly name = 'UnknownScopeError';
  constructor(readonly scopes: string[]) {
    super(`unknown scope: ${scopes.join(' ')}`);
  }
}
