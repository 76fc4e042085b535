import { invalidatingCaches } from './runtime/cache-invalidating-storage.js';
import { ClientRegistry } from './provider/client-registry.js';
import { containStorageFailures } from './runtime/contained-storage.js';
import { attemptLimitersFrom, type ThrottleOptions } from './runtime/failed-attempt-limiter.js';
import { ValidationError } from './errors.js';
import { purgeExpired, type PurgeOptions, type PurgeResult } from './provider/expired-purge.js';
import { isClientId, isUserId } from './provider/input-limits.js';
import type { GetOAuthUserInteractor, LoginOAuthUserInteractor, ValidateScopeInteractor } from './protocol/interactors.js';
import { assertLifetime, DEFAULT_LIFETIMES, type Lifetimes } from './provider/lifetimes.js';
import {
  buildOAuth2ServerModel,
  type OAuthClientCredentialsModel,
  type OAuthUserModel,
} from './oauth2-server/model.js';
import { assertScryptCost, DEFAULT_SCRYPT_COST, type ScryptCost } from './provider/password-hashing.js';
import { attachCore, ProviderCore } from './provider/credentials.js';
import { readCachesFrom, type InProcessCacheOptions } from './runtime/read-caches.js';
import { ScopeCatalogue } from './provider/scope-catalogue.js';
import { defaultValidateScope } from './provider/scope.js';
import type { OAuthStorage } from './storage/storage-port.js';
import { DEFAULT_STORAGE_TIMEOUT_MS, isStorageTimeout, withStorageDeadline } from './runtime/storage-deadline.js';
import { UserStore } from './provider/user-store.js';

/** Server-wide settings of an {@link OAuthProvider}. Every field is optional. */
export interface OAuthProviderOptions {
  /** Access-token lifetime in seconds for clients that set none. Default 3600; at most 1 day. */
  accessTokenLifetime?: number;
  /** Refresh-token lifetime in seconds for clients that set none. Default 14 days; at most 366 days. */
  refreshTokenLifetime?: number;
  /**
   * Authorization-code lifetime in seconds for clients that set none. Default 300; at most 600
   * (RFC 6749 §4.1.2 recommends at most 10 minutes).
   */
  authorizationCodeLifetime?: number;
  /** The clock every expiry is computed and checked with. Default `() => new Date()`; tests move it. */
  now?: () => Date;
  /**
   * scrypt cost for new password hashes of the default user store. Default N=2^15, r=8, p=1.
   * Existing hashes keep the cost they were made with.
   */
  passwordHashCost?: ScryptCost;
  /**
   * Opt-in: remember access tokens the guard found active, in this process, so that a repeated
   * token costs no database read. `true` for the defaults (10 000 tokens, 1 s).
   *
   * Revocations made through this provider (RFC 7009 revocation, refresh rotation and reuse
   * detection, the invalidate-client/user interactors, client and user deletion) take effect at
   * once. Revocations made elsewhere (another server process, the CLI, SQL by hand) take effect
   * here at most `maxAgeMs` later: that is the price, and the reason the bound is short. Expiry is
   * checked on every request. Introspection and revocation never read through this cache.
   */
  validatedTokenCache?: InProcessCacheOptions | boolean;
  /**
   * Opt-in: remember clients read to authenticate them, in this process (defaults: 1 000 clients,
   * 1 s). Saves the client read of every token request. Changes made through this provider's
   * management API (secret rotation, updates, deletion, scope removal) take effect at once; changes
   * made through another process take effect here at most `maxAgeMs` later — including a secret
   * rotated elsewhere, which keeps working here for up to that long.
   */
  clientCache?: InProcessCacheOptions | boolean;
  /**
   * Milliseconds any one storage call may take before the request it serves is answered 503
   * `temporarily_unavailable` (the call itself is abandoned, not cancelled: bound it with the
   * driver's own timeouts too, see docs/reliability.md). Default 10 000; 0 for no bound; at most
   * 600 000.
   */
  storageTimeout?: number;
  /**
   * Throttling of credential guessing: failed client authentications per client id (default 20 per
   * minute) and failed password logins per username (default 10 per 5 minutes). Past the limit,
   * attempts are refused unchecked with 429 and `Retry-After` until the window has room again.
   * Counted in this process only. `false` turns both off.
   */
  throttle?: ThrottleOptions | false;
}

/** An @node-oauth/oauth2-server grant list for `clientModel()`. */
const CLIENT_CREDENTIALS_ONLY = ['client_credentials'] as const;
const ALL_GRANTS = ['authorization_code', 'client_credentials', 'password', 'refresh_token'] as const;

/**
 * The OAuth 2.0 authorization server's behaviour on top of a storage port. `OAuthSqlProvider` and
 * `OAuthPrismaProvider` are this class constructed with their storage, so both behave identically;
 * a third-party storage gets the same behaviour by implementing {@link OAuthStorage}.
 *
 * Lifetimes are configured here (and per client), not on `OAuth2Server`: the model stamps every
 * token and code with them.
 */
export class OAuthProvider {
  /** Management API for clients. */
  readonly clients: ClientRegistry;
  /** The scope catalogue. */
  readonly scopes: ScopeCatalogue;
  /** The default user store. */
  readonly users: UserStore;

  readonly #core: ProviderCore;

  constructor(storage: OAuthStorage, options: OAuthProviderOptions = {}) {
    const lifetimes: Lifetimes = { ...DEFAULT_LIFETIMES };
    for (const field of ['accessTokenLifetime', 'refreshTokenLifetime', 'authorizationCodeLifetime'] as const) {
      const value = options[field];
      if (value !== undefined) {
        assertLifetime(field, value);
        lifetimes[field] = value;
      }
    }
    const passwordCost = options.passwordHashCost ?? DEFAULT_SCRYPT_COST;
    try {
      assertScryptCost(passwordCost);
    } catch (error) {
      throw new ValidationError('passwordHashCost', (error as Error).message);
    }
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new ValidationError('now', 'must be a function returning a Date');
    }
    const storageTimeout = options.storageTimeout ?? DEFAULT_STORAGE_TIMEOUT_MS;
    if (!isStorageTimeout(storageTimeout)) {
      throw new ValidationError('storageTimeout', 'must be a whole number of milliseconds between 0 and 600000');
    }
    const attempts = attemptLimitersFrom(options.throttle);
    const caches = readCachesFrom(options);
    const contained = containStorageFailures(withStorageDeadline(storage, storageTimeout));
    this.#core = new ProviderCore(caches.tokens || caches.clients ? invalidatingCaches(contained, caches) : contained, {
      lifetimes,
      now: options.now ?? (() => new Date()),
      passwordCost: { ...passwordCost },
      caches,
      attempts,
    });
    attachCore(this, this.#core);
    this.clients = new ClientRegistry(this.#core);
    this.scopes = new ScopeCatalogue(this.#core);
    this.users = new UserStore(this.#core);
  }

  /**
   * An oauth2-server model for the client_credentials grant only: a client's other grants are
   * hidden from the server, which answers `unauthorized_client` for them.
   */
  clientModel(): OAuthClientCredentialsModel {
    const model = buildOAuth2ServerModel({
      core: this.#core,
      grants: CLIENT_CREDENTIALS_ONLY,
      validateScope: defaultValidateScope,
    });
    const { generateAccessToken, getClient, getUserFromClient, validateScope, saveToken, getAccessToken, verifyScope } = model;
    return { generateAccessToken, getClient, getUserFromClient, validateScope, saveToken, getAccessToken, verifyScope };
  }

  /**
   * An oauth2-server model for client_credentials, password, refresh_token and authorization_code
   * (with PKCE): `new OAuth2Server({ model: provider.userModel(getUser, loginUser) })`.
   *
   * @param getUser loads the user a refresh token or code was issued to; `provider.users.getUser`
   *   for the default store.
   * @param loginUser checks a username and password for the password grant; `provider.users.login`
   *   for the default store.
   * @param validateScope decides the granted scopes; by default the requested scopes when the
   *   client may have them all, the client's scopes when none was requested. Whatever it returns,
   *   a scope the client may not have is never granted.
   */
  userModel(
    getUser: GetOAuthUserInteractor,
    loginUser: LoginOAuthUserInteractor,
    validateScope: ValidateScopeInteractor = defaultValidateScope,
  ): OAuthUserModel {
    if (typeof getUser !== 'function' || typeof loginUser !== 'function' || typeof validateScope !== 'function') {
      throw new TypeError('userModel(getUser, loginUser, validateScope?) takes functions');
    }
    return buildOAuth2ServerModel({
      core: this.#core,
      grants: ALL_GRANTS,
      validateScope,
      getUser,
      getUserIsDefaultStore: getUser === this.users.getUser,
      // The model throttles every login itself; the store's own throttled `login` would count twice.
      loginUser: loginUser === this.users.login ? (username, password) => this.users.verifyPassword(username, password) : loginUser,
    });
  }

  /**
   * `(clientId) => number of tokens revoked`: ends every live token of a client, effective on the
   * next request (validation reads the revocation from storage every time).
   */
  invalidateClientTokensInteractor(): (clientId: string) => Promise<number> {
    return async (clientId) => (isClientId(clientId) ? this.#core.storage.revokeTokens({ clientId }, this.#core.now()) : 0);
  }

  /** `(userId) => number of tokens revoked`: ends every live token issued to a user, at once. */
  invalidateUserTokensInteractor(): (userId: string) => Promise<number> {
    return async (userId) => (isUserId(userId) ? this.#core.storage.revokeTokens({ userId }, this.#core.now()) : 0);
  }

  /**
   * Deletes tokens and authorization codes past their expiry, in batches of `batchSize` until none
   * is left. Run it periodically; validation never depends on it.
   */
  purgeExpired(options: PurgeOptions = {}): Promise<PurgeResult> {
    return purgeExpired(this.#core.storage, options.now ?? this.#core.now(), options.batchSize ?? 1000);
  }
}
