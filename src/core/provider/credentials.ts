import { randomUUID } from 'node:crypto';
import type { OAuthProvider } from '../oauth-provider.js';
import type { ScryptCost } from './password-hashing.js';
import type { AuthorizationCodeRecord, ClientRecord, TokenLookup, TokenRecord } from '../storage/records.js';
import { MAX_ACCESS_TOKEN_BATCH, MAX_TOKEN_INSERT_BATCH, type OAuthStorage } from '../storage/storage-port.js';
import { Coalescer } from '../runtime/coalescer.js';
import { addSeconds, type Lifetimes } from './lifetimes.js';
import { isBoundedString, isClientId, isStorableText, MAX_CREDENTIAL_LENGTH, MAX_USERNAME_LENGTH } from './input-limits.js';
import { digestCredential, digestsEqual, generateCredential } from './opaque-credentials.js';
import { formatScope } from './scope.js';
import { frozenClient, type ReadCaches } from '../runtime/read-caches.js';
import { TooManyFailedAttemptsError, usernameKey, type AttemptLimiters } from '../runtime/failed-attempt-limiter.js';

/**
 * Batches of one kind (lookups, client reads, inserts) out at once. Two keep the database busy
 * while the server prepares the next batch, and keep batches large enough to pay off
 * (docs/benchmarks.md).
 */
const BATCHES_IN_FLIGHT = 2;

/** Resolved provider settings. */
export interface CoreSettings {
  lifetimes: Lifetimes;
  now: () => Date;
  passwordCost: ScryptCost;
  /** The opt-in read caches (`validatedTokenCache`, `clientCache` options); absent or null: none. */
  caches?: ReadCaches;
  /** Throttling of failed client authentications and password logins (`throttle` option); absent: none. */
  attempts?: AttemptLimiters;
}

/** What one issuance hands back: the only moment the plaintext tokens exist on the server. */
export interface IssuedTokens {
  id: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
  scope: string[];
}

/** What to issue. `familyId`/`authorizationCodeId` are carried over when a refresh token rotates. */
export interface IssueTokensInput {
  client: ClientRecord;
  userId: string | null;
  scope: readonly string[];
  withRefreshToken: boolean;
  familyId?: string;
  authorizationCodeId?: string | null;
}

/** What an authorization code records (RFC 6749 §4.1.2, RFC 7636 §4.4). */
export interface IssueCodeInput {
  client: ClientRecord;
  userId: string;
  redirectUri: string | null;
  scope: readonly string[];
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
}

/**
 * The credential mechanics shared by the oauth2-server model, the HTTP interactors and the
 * authorization endpoint: client authentication, issuance and lookup of tokens and codes.
 * Internal: reached from other core modules through {@link coreOf}, never exported publicly.
 */
export class ProviderCore {
  /** Access-token lookups, batched into `findAccessTokens` when the storage offers it. */
  readonly #accessTokens: Coalescer<string, TokenLookup | null> | null;
  /** Client reads for authentication: requests waiting at once for one client share one read. */
  readonly #clients: Coalescer<string, ClientRecord | null>;
  /** Issuances, batched into `insertTokens` when the storage offers it. */
  readonly #tokenInserts: Coalescer<TokenRecord, unknown> | null;

  constructor(
    readonly storage: OAuthStorage,
    readonly settings: CoreSettings,
  ) {
    const batches = { maxInFlight: BATCHES_IN_FLIGHT };
    this.#accessTokens =
      typeof storage.findAccessTokens === 'function'
        ? new Coalescer((digests) => this.#findAccessTokens(digests), { ...batches, maxBatch: MAX_ACCESS_TOKEN_BATCH })
        : null;
    // No batch method for clients: a batch is read one client at a time, in parallel; what it
    // saves is the repeated read of a client many requests present at once. Those requests share
    // the record, so it is frozen, as a cached one is.
    this.#clients = new Coalescer((ids) => Promise.all(ids.map((id) => this.#readClient(id))), { ...batches, maxBatch: 32 });
    this.#tokenInserts =
      typeof storage.insertTokens === 'function'
        ? new Coalescer((tokens) => this.#insertTokens(tokens), { ...batches, maxBatch: MAX_TOKEN_INSERT_BATCH })
        : null;
  }

  async #readClient(id: string): Promise<ClientRecord | null> {
    const found = await this.storage.findClient(id);
    return found && frozenClient(found);
  }

  async #findAccessTokens(digests: string[]): Promise<Array<TokenLookup | null>> {
    const rows = await this.storage.findAccessTokens!(digests);
    const found = new Map<string, TokenLookup>();
    for (const row of rows) found.set(row.accessTokenHash, row);
    return digests.map((digest) => found.get(digest) ?? null);
  }

  /** One access token's row by digest: batched with others waiting when the storage can, else alone. */
  async #findAccessTokenByDigest(digest: string): Promise<TokenLookup | null> {
    if (!this.#accessTokens) return this.storage.findAccessToken(digest);
    // Requests presenting one token at the same moment share the row read for it.
    const shared = await this.#accessTokens.submit(digest, digest);
    return shared && withOwnExpiry(shared);
  }

  /**
   * Stores a batch of issuances; the output for each is undefined when it was stored, or the error
   * that kept it from being stored. A failed multi-row insert stored nothing (it is one statement),
   * so each token is then tried alone: one bad row (its client deleted meanwhile) fails only its
   * own request.
   */
  async #insertTokens(tokens: TokenRecord[]): Promise<unknown[]> {
    if (tokens.length > 1) {
      try {
        await this.storage.insertTokens!(tokens);
        return tokens.map(() => undefined);
      } catch {
        // Tried one by one below.
      }
    }
    const outcomes = await Promise.allSettled(tokens.map((token) => this.storage.insertToken(token)));
    return outcomes.map((outcome) => (outcome.status === 'fulfilled' ? undefined : outcome.reason ?? new Error('insertToken failed')));
  }

  /** Stores one issuance: with others waiting when the storage can batch them, else alone. */
  async #insertToken(token: TokenRecord): Promise<void> {
    if (!this.#tokenInserts) return this.storage.insertToken(token);
    const failure = await this.#tokenInserts.submit(token);
    if (failure !== undefined) throw failure;
  }

  now(): Date {
    return this.settings.now();
  }

  /** The client's lifetimes, falling back to the server defaults where it sets none. */
  lifetimesOf(client: ClientRecord): Lifetimes {
    const defaults = this.settings.lifetimes;
    return {
      accessTokenLifetime: client.accessTokenLifetime ?? defaults.accessTokenLifetime,
      refreshTokenLifetime: client.refreshTokenLifetime ?? defaults.refreshTokenLifetime,
      authorizationCodeLifetime: client.authorizationCodeLifetime ?? defaults.authorizationCodeLifetime,
    };
  }

  /**
   * Looks a client up and, depending on `secret`, authenticates it (docs/adr/0004):
   * - `null`: a lookup, not an authentication (oauth2-server's authorize handler, the authorization
   *   endpoint). Never used on a path that issues tokens.
   * - `undefined` or `''`: no credential was presented. Public clients pass; confidential ones fail.
   * - a non-empty string: a presented secret. Confidential clients pass when it matches; public
   *   clients, which have no secret (RFC 6749 §2.1), fail.
   * Anything else (another type, an oversized string) fails.
   */
  async authenticateClient(id: unknown, secret: unknown): Promise<ClientRecord | null> {
    if (!isClientId(id)) return null;
    const presented = secret === undefined || secret === '' ? undefined : secret;
    if (presented !== undefined && presented !== null && !isBoundedString(presented, MAX_CREDENTIAL_LENGTH)) {
      return null;
    }
    const limiter = this.settings.attempts?.clients;
    if (typeof presented === 'string' && limiter) {
      // Checked before the lookup: a throttled client costs no database read.
      const retryAfter = limiter.retryAfter(id, this.now());
      if (retryAfter > 0) throw new TooManyFailedAttemptsError('client', retryAfter);
    }
    const client = await this.#findClientToAuthenticate(id);
    if (!client) return null;
    if (presented === null) return client;
    if (client.secretHash === null) return presented === undefined ? client : null;
    if (presented === undefined) return null;
    if (digestsEqual(client.secretHash, digestCredential(presented))) return client;
    // Only a confidential client's wrong secret counts: that is the guess being throttled.
    limiter?.recordFailure(id, this.now());
    return null;
  }

  /**
   * Runs a password check under the per-username throttle: refused unchecked with
   * {@link TooManyFailedAttemptsError} while `username` is throttled; a null result counts as a
   * failure. Every password login of the provider goes through here exactly once.
   */
  async throttledLogin<T>(username: string, check: () => Promise<T | null>): Promise<T | null> {
    const limiter = this.settings.attempts?.users;
    // A name no store could hold fails the check without a lookup; it must not become a key either.
    if (!limiter || !isStorableText(username, MAX_USERNAME_LENGTH)) return check();
    const key = usernameKey(username);
    const retryAfter = limiter.retryAfter(key, this.now());
    if (retryAfter > 0) throw new TooManyFailedAttemptsError('user', retryAfter);
    const user = await check();
    if (user === null) limiter.recordFailure(key, this.now());
    return user;
  }

  /**
   * `storage.findClient`, through the client cache when enabled. Only authentication reads through
   * it; the management API always reads storage.
   */
  async #findClientToAuthenticate(id: string): Promise<ClientRecord | null> {
    const cache = this.settings.caches?.clients;
    if (!cache) return this.#clients.submit(id, id);
    const nowMs = this.now().getTime();
    const cached = cache.get(id, nowMs);
    if (cached !== undefined) return cached;
    const ticket = cache.ticket(nowMs);
    const client = await this.#clients.submit(id, id);
    if (client) cache.set(id, client, ticket);
    return client;
  }

  /** Mints and stores one issuance: one `insertToken`, or a place in an `insertTokens` batch. */
  async issueTokens(input: IssueTokensInput): Promise<IssuedTokens> {
    const now = this.now();
    const lifetimes = this.lifetimesOf(input.client);
    const accessToken = generateCredential();
    const accessTokenExpiresAt = addSeconds(now, lifetimes.accessTokenLifetime);
    const refreshToken = input.withRefreshToken ? generateCredential() : null;
    const refreshTokenExpiresAt = refreshToken ? addSeconds(now, lifetimes.refreshTokenLifetime) : null;
    const id = randomUUID();
    await this.#insertToken({
      id,
      accessTokenHash: digestCredential(accessToken),
      accessTokenExpiresAt,
      refreshTokenHash: refreshToken ? digestCredential(refreshToken) : null,
      refreshTokenExpiresAt,
      scope: formatScope(input.scope),
      clientId: input.client.id,
      userId: input.userId,
      familyId: input.familyId ?? randomUUID(),
      authorizationCodeId: input.authorizationCodeId ?? null,
      revokedAt: null,
      expiresAt: refreshTokenExpiresAt && refreshTokenExpiresAt > accessTokenExpiresAt ? refreshTokenExpiresAt : accessTokenExpiresAt,
      createdAt: now,
    });
    return { id, accessToken, accessTokenExpiresAt, refreshToken, refreshTokenExpiresAt, scope: [...input.scope] };
  }

  /** The issuance an access token belongs to (revoked and expired included), or null. One call. */
  async findAccessToken(token: unknown): Promise<TokenLookup | null> {
    if (!isBoundedString(token, MAX_CREDENTIAL_LENGTH)) return null;
    const digest = digestCredential(token);
    const found = await this.#findAccessTokenByDigest(digest);
    return found && digestsEqual(found.accessTokenHash, digest) ? found : null;
  }

  /**
   * For the guard (and only the guard): the issuance of an access token that is active at `now`,
   * or null. Through the validated-token cache when enabled: a hit costs no storage call; a miss
   * costs one, and an active result is remembered. Revocations through this provider invalidate
   * the cache as they happen (`invalidatingCaches`); others are seen within its `maxAgeMs`.
   * Introspection and revocation keep reading storage (`findAccessToken`).
   */
  async findActiveAccessTokenForGuard(token: unknown, now: Date): Promise<TokenLookup | null> {
    const cache = this.settings.caches?.tokens;
    if (!cache) {
      const found = await this.findAccessToken(token);
      return found && this.isAccessTokenActive(found, now) ? found : null;
    }
    if (!isBoundedString(token, MAX_CREDENTIAL_LENGTH)) return null;
    const digest = digestCredential(token);
    const found = await cache.through(
      digest,
      now.getTime(),
      async () => {
        const row = await this.#findAccessTokenByDigest(digest);
        // A row of its own already (a fresh read or a copy): frozen, since every hit shares it.
        return row && digestsEqual(row.accessTokenHash, digest) ? Object.freeze(row) : null;
      },
      (row) => this.isAccessTokenActive(row, now),
    );
    // Expiry is checked on every use; the copy keeps callers from moving the shared instant.
    return found && this.isAccessTokenActive(found, now) ? withOwnExpiry(found) : null;
  }

  /** The issuance a refresh token belongs to (revoked and expired included), or null. One call. */
  async findRefreshToken(token: unknown): Promise<TokenLookup | null> {
    if (!isBoundedString(token, MAX_CREDENTIAL_LENGTH)) return null;
    const digest = digestCredential(token);
    const found = await this.storage.findRefreshToken(digest);
    return found && found.refreshTokenHash !== null && digestsEqual(found.refreshTokenHash, digest) ? found : null;
  }

  /** Whether the access token of this issuance may still authenticate. */
  isAccessTokenActive(token: TokenLookup, now = this.now()): boolean {
    return token.revokedAt === null && token.accessTokenExpiresAt > now;
  }

  /** Whether the refresh token of this issuance may still be exchanged. */
  isRefreshTokenActive(token: TokenLookup, now = this.now()): boolean {
    return token.revokedAt === null && token.refreshTokenExpiresAt !== null && token.refreshTokenExpiresAt > now;
  }

  /** Mints and stores an authorization code: one `insertAuthorizationCode`. */
  async issueAuthorizationCode(input: IssueCodeInput): Promise<{ code: string; record: AuthorizationCodeRecord }> {
    const now = this.now();
    const code = generateCredential();
    const record: AuthorizationCodeRecord = {
      id: randomUUID(),
      codeHash: digestCredential(code),
      clientId: input.client.id,
      userId: input.userId,
      redirectUri: input.redirectUri,
      scope: formatScope(input.scope),
      codeChallenge: input.codeChallenge,
      codeChallengeMethod: input.codeChallengeMethod,
      expiresAt: addSeconds(now, this.lifetimesOf(input.client).authorizationCodeLifetime),
      consumedAt: null,
      createdAt: now,
    };
    await this.storage.insertAuthorizationCode(record);
    return { code, record };
  }

  /** The code's record (consumed and expired included), or null. One call. */
  async findAuthorizationCode(code: unknown): Promise<AuthorizationCodeRecord | null> {
    if (!isBoundedString(code, MAX_CREDENTIAL_LENGTH)) return null;
    const digest = digestCredential(code);
    const found = await this.storage.findAuthorizationCode(digest);
    return found && digestsEqual(found.codeHash, digest) ? found : null;
  }
}

/**
 * A copy of a shared token row (cached, or read once for several requests) whose expiry instant,
 * the one handed on to applications (`ctx.state.oauth.token`), is its own: no caller can move it
 * under another.
 */
function withOwnExpiry(row: TokenLookup): TokenLookup {
  return { ...row, accessTokenExpiresAt: new Date(row.accessTokenExpiresAt) };
}

const cores = new WeakMap<OAuthProvider, ProviderCore>();

/** Called once by the OAuthProvider constructor. */
export function attachCore(provider: OAuthProvider, core: ProviderCore): void {
  cores.set(provider, core);
}

/** The core of a provider, for the interactors built on it. */
export function coreOf(provider: OAuthProvider): ProviderCore {
  const core = cores.get(provider);
  if (!core) throw new TypeError('not an OAuthProvider');
  return core;
}
