import { ValidationError, type OAuthStorageCheckError } from './errors.js';
import {
  buildOAuth2ServerModel,
  type OAuthClientCredentialsModel,
  type OAuthUserModel,
} from './oauth2-server/model.js';
import type { GetOAuthUser, LoginOAuthUser, ValidateScope } from './provider/application-callbacks.js';
import { ClientRegistry } from './provider/client-registry.js';
import { ConsentGrantRegistry } from './provider/consent-grant-registry.js';
import { Credentials } from './provider/credentials.js';
import { purgeExpired, type PurgeOptions, type PurgeResult } from './provider/expired-purge.js';
import { mayBeStoredClientId } from './provider/client-metadata/client-id-url.js';
import { isUserId } from './provider/input-limits.js';
import { resolveProviderOptions, type OAuthProviderOptions } from './provider/provider-options.js';
import { linkCredentials } from './provider/provider-link.js';
import { ResourceRegistry } from './provider/resource-registry.js';
import { ScopeCatalogue } from './provider/scope-catalogue.js';
import { defaultValidateScope } from './provider/scope.js';
import { offeredGrants } from './provider/grant-policy.js';
import { UserStore } from './provider/user-store.js';
import { SigningKeyRegistry } from './provider/signing/signing-key-registry.js';
import { checkStorage } from './runtime/storage-check.js';
import { InvalidationRelay } from './runtime/invalidation-relay.js';
import { StorageStack } from './runtime/storage-stack.js';
import { assertStoragePorts, type OAuthStorage } from './storage/storage-port.js';

export type { OAuthProviderOptions } from './provider/provider-options.js';

/** An @node-oauth/oauth2-server grant list for `clientModel()`. */
const CLIENT_CREDENTIALS_ONLY = ['client_credentials'] as const;

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
  /** Management API for remembered consent (OIDC Core §3.1.2.4): list it, revoke it with the tokens it allowed. */
  readonly grants: ConsentGrantRegistry;
  /** The protected resources tokens may be asked for (RFC 8707 resource indicators). */
  readonly resources: ResourceRegistry;
  /** The keys JWT access tokens (RFC 9068) are signed with, and their JWK Set (RFC 7517). */
  readonly keys: SigningKeyRegistry;
  /** The `issuer` option (RFC 8414 §2), the `iss` of JWT access tokens; undefined when not given. */
  readonly issuer: string | undefined;

  readonly #credentials: Credentials;
  readonly #relay: InvalidationRelay;

  /**
   * @param storage the storage ports (docs/contract.md); every required method is checked here,
   *   so that an incomplete storage fails now with the names of what it lacks.
   * @param options server-wide settings; a refused value throws {@link ValidationError}.
   */
  constructor(storage: OAuthStorage, options: OAuthProviderOptions = {}) {
    assertStoragePorts(storage);
    const resolved = resolveProviderOptions(options);
    const { caches, report } = resolved.credentials;
    this.#relay = new InvalidationRelay(caches, report);
    const relay = this.#relay;
    const stack = new StorageStack(storage, {
      timeoutMs: resolved.storageTimeout,
      caches,
      onInvalidated: (method, args) => relay.publish(method, args),
    });
    this.#credentials = new Credentials(stack, resolved.credentials);
    linkCredentials(this, this.#credentials);
    this.clients = new ClientRegistry(this.#credentials);
    this.scopes = new ScopeCatalogue(this.#credentials);
    this.users = new UserStore(this.#credentials);
    this.grants = new ConsentGrantRegistry(this.#credentials);
    this.resources = new ResourceRegistry(this.#credentials);
    const { signing } = resolved.credentials;
    if (signing.operatorKeys !== null && stack.signingKeys === null) {
      throw new ValidationError(
        'signingKeys',
        'the storage has no signing-key port (OAuthSigningKeyStorage) to keep signing keys in: use a storage that has one, or leave signingKeys out',
      );
    }
    if (resolved.credentials.openid !== null) {
      if (signing.issuer === null) throw new ValidationError('openid', 'needs the issuer option: ID tokens name it as iss (OIDC Core §2)');
      if (signing.operatorKeys === null) throw new ValidationError('openid', 'needs signingKeys: ID tokens are signed with the provider\'s keys (OIDC Core §2)');
    }
    this.keys = new SigningKeyRegistry(this.#credentials.keyRing, stack.signingKeys, {
      now: () => this.#credentials.now(),
      report: resolved.credentials.report,
    });
    this.issuer = signing.issuer ?? undefined;
    this.#relay.start(resolved.cacheInvalidation, storage);
  }

  /**
   * Releases what the provider holds of its own: the cache-invalidation subscription and its
   * connection (the storage's LISTEN connection, a Redis subscriber). The storage's pool is the
   * application's, closed by it. Call it before `pool.end()` when the provider has a cache.
   */
  async close(): Promise<void> {
    await this.#relay.close();
  }

  /**
   * The provider's clock: the instant every expiry is computed and checked against (the `now`
   * option; the wall clock by default). Bindings that keep time of their own (form tokens, cookies)
   * read it so that everything ages together.
   */
  now(): Date {
    return this.#credentials.now();
  }

  /**
   * Probes the storage once, for start-up: `await provider.check()` before `listen()` turns a wrong
   * database URL, a refused connection, rejected credentials or missing tables into one clear
   * error, instead of a server that answers 503 to every request.
   *
   * It first runs the storage's connection check when it has one (`mariadbPoolAdapter` with
   * `connectionConfig`), then makes one cheap read through each storage call the provider needs at
   * request time — a client and an access token that cannot exist, an authorization code, the
   * scope catalogue and, with the default user store, a user — bypassing the read caches, each
   * bounded by `storageTimeout`. With a cache and a cache-invalidation channel, it then waits for the
   * channel's first subscription attempt (a failure is reported to `onError`, not thrown). It writes nothing. A refused connection, an unknown host, an
   * unknown database, bad credentials or missing tables are named within a second or two.
   *
   * @throws {@link OAuthStorageCheckError} on the first failing read, with a precise `reason`
   *   (`connection_refused`, `unknown_host`, `bad_credentials`, `unknown_database`,
   *   `schema_missing`, … see `classifyStorageFailure`) and a stable, coarser `code`:
   *   `storage_unreachable` (the database cannot be reached or entered), `storage_schema_missing`
   *   (missing tables or columns: run the migrations), `storage_failed` (anything else). The
   *   message names the reason, the call, the cause in the database's words (credentials in URLs
   *   redacted) and what to do; the driver's error is the `cause`.
   * @throws `SigningKeyError` when the provider has `signingKeys` and a key that signs now or will
   *   cannot be decrypted: `signing_encryption_key_mismatch` (the configured operator key is not the
   *   one the keys were sealed under) or `signing_key_unreadable` (the stored key was altered). Each
   *   such key is decrypted once here, so that the first JWT access token does not find out.
   */
  async check(): Promise<void> {
    await checkStorage(this.#credentials.storage);
    await this.#relay.ready();
    const ring = this.#credentials.keyRing;
    if (ring !== null && ring.canSign) await ring.verify(this.#credentials.now());
  }

  /**
   * An oauth2-server model for the client_credentials grant only: a client's other grants are
   * hidden from the server, which answers `unauthorized_client` for them.
   */
  clientModel(): OAuthClientCredentialsModel {
    const model = buildOAuth2ServerModel({
      credentials: this.#credentials,
      grants: CLIENT_CREDENTIALS_ONLY,
      validateScope: defaultValidateScope,
    });
    const { generateAccessToken, getClient, getUserFromClient, validateScope, saveToken, getAccessToken, verifyScope } = model;
    const subset = { generateAccessToken, getClient, getUserFromClient, validateScope, saveToken, getAccessToken, verifyScope };
    linkCredentials(subset, this.#credentials);
    return subset;
  }

  /**
   * An oauth2-server model for client_credentials, refresh_token, authorization_code (with PKCE)
   * and, when the provider offers it (`allowPasswordGrant`), password:
   * `new OAuth2Server({ model: provider.userModel(getUser, loginUser) })`.
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
    getUser: GetOAuthUser,
    loginUser: LoginOAuthUser,
    validateScope: ValidateScope = defaultValidateScope,
  ): OAuthUserModel {
    if (typeof getUser !== 'function' || typeof loginUser !== 'function' || typeof validateScope !== 'function') {
      throw new TypeError('userModel(getUser, loginUser, validateScope?) takes functions');
    }
    return buildOAuth2ServerModel({
      credentials: this.#credentials,
      // Without `allowPasswordGrant` the password grant is hidden from oauth2-server (RFC 9700 §2.4).
      grants: offeredGrants(this.#credentials.settings.allowPasswordGrant),
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
    return async (clientId) => (mayBeStoredClientId(clientId) ? this.#credentials.storage.runtime.revokeTokens({ clientId }, this.#credentials.now()) : 0);
  }

  /** `(userId) => number of tokens revoked`: ends every live token issued to a user, at once. */
  invalidateUserTokensInteractor(): (userId: string) => Promise<number> {
    return async (userId) => (isUserId(userId) ? this.#credentials.storage.runtime.revokeTokens({ userId }, this.#credentials.now()) : 0);
  }

  /**
   * Deletes tokens, authorization codes and failed-attempt counters past their expiry, in batches
   * of `batchSize` until none is left, the signing keys that left the JWKS (retired, and past the
   * last instant a token they signed can expire), and with `unusedClientsAfterDays` the self-registered
   * clients (RFC 7591, and those known by their metadata document) issued no token for that long.
   * Run it periodically; validation never depends on it.
   */
  purgeExpired(options: PurgeOptions = {}): Promise<PurgeResult> {
    const now = options.now ?? this.#credentials.now();
    return purgeExpired(this.#credentials.storage, now, options.batchSize ?? 1000, options.unusedClientsAfterDays);
  }
}
