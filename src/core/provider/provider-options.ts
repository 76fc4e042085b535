import { ValidationError } from '../errors.js';
import { resolveClientMetadataOptions, type ClientMetadataDocumentOptions } from './client-metadata/metadata-document-options.js';
import { resolveThrottle, type ThrottleOptions } from '../runtime/attempt-throttle.js';
import { readCachesFrom, type InProcessCacheOptions } from '../runtime/read-caches.js';
import type { CacheInvalidationSetting } from '../runtime/invalidation-relay.js';
import type { CacheInvalidationChannel } from '../storage/cache-invalidation-channel.js';
import { DEFAULT_STORAGE_TIMEOUT_MS, isStorageTimeout } from '../runtime/storage-deadline.js';
import type { CredentialSettings } from './credentials.js';
import { resolveDynamicRegistration, type DynamicRegistrationOptions } from './dynamic-registration-options.js';
import { assertLifetime, DEFAULT_LIFETIMES, type Lifetimes } from './lifetimes.js';
import { assertScryptCost, DEFAULT_SCRYPT_COST, type ScryptCost } from './password-hashing.js';
import { resolveOpenIdSettings, type OpenIdOptions } from './openid/openid-options.js';
import { resolveSigningSettings, type SigningKeyOptions } from './signing/signing-options.js';

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
  /**
   * The issuer identifier (RFC 8414 §2): `https://login.example.com`, exactly as the metadata
   * announces it (`https` without query or fragment; `http` only on a loopback host). JWT access
   * tokens (RFC 9068) carry it as `iss`, and resource servers compare it as a string, so a
   * provider without it cannot issue them. The Koa router announces it when given none of its own.
   */
  issuer?: string;
  /**
   * What the provider needs to sign JWT access tokens (RFC 9068) for the resources defined with
   * `tokenFormat: 'jwt'`: the operator key their private keys are encrypted under at rest, and the
   * algorithm of new keys. Without it, such a resource's tokens cannot be issued (the token
   * endpoint answers 500 and `onError` says why), and no JWKS is served. Keys are created and
   * rotated with `provider.keys` (the CLI's `keys rotate`); the first JWT creates the first key.
   * Needs a storage with the signing-key port.
   */
  signingKeys?: SigningKeyOptions;
  /**
   * The longest a JWT access token lives, in seconds (bounded further by the client's and the
   * resource's access-token lifetimes). Default 300; at most 3600. A resource server that verifies
   * JWTs locally accepts one until it expires, revoked or not (introspection, and the guard that
   * reads the database, see revocation at once): keep it short.
   */
  jwtAccessTokenLifetime?: number;
  /** The clock every expiry is computed and checked with. Default `() => new Date()`; tests move it. */
  now?: () => Date;
  /**
   * scrypt cost for password hashes of the default user store. Default N=2^17, r=8, p=1 (OWASP
   * Password Storage Cheat Sheet; 128 MiB and about half a second per hash). A stored hash below it
   * (any of N, r, p lower) is replaced by one at this cost when its user next signs in; hosts short
   * of memory may choose `{ N: 2 ** 15, r: 8, p: 3 }` (32 MiB), which OWASP lists as equivalent.
   */
  passwordHashCost?: ScryptCost;
  /**
   * Told about failures that no answer to a request carries: today, a password hash upgraded at
   * sign-in (see `passwordHashCost`) that could not be stored — the sign-in succeeds regardless,
   * and the next one tries again. Failures that do reach an answer (a 503, a 500) go to the
   * endpoints' own `onError`. The error may carry driver details: log it, never send it. Default:
   * a process warning (`process.emitWarning`), which Node prints to stderr.
   */
  onError?: (error: unknown) => void;
  /**
   * Opt-in: remember access tokens the guard found active, in this process, so that a repeated
   * token costs no database read. `true` for the defaults (10 000 tokens, 1 s).
   *
   * Revocations made through this provider (RFC 7009 revocation, refresh rotation and reuse
   * detection, the invalidate-client/user interactors, client and user deletion) take effect at
   * once. Revocations made elsewhere (another server process, the CLI, SQL by hand) take effect
   * here at most `maxAgeMs` later: that is the price, and the reason the bound is short. Those made
   * through another provider reach this one in milliseconds when a channel carries them (see
   * `cacheInvalidation`, on by default on PostgreSQL); the bound is then the worst case. Expiry is
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
   * How revocations and client changes made through other processes reach this one's in-process
   * caches (`validatedTokenCache`, `clientCache`) before their `maxAgeMs` bound: each write that
   * invalidates them here is published on this channel, and each message from another process
   * invalidates the same entries here (docs/scaling.md, docs/adr/0011-cache-invalidation-channel.md).
   * Default: the storage's own channel — PostgreSQL LISTEN/NOTIFY for `OAuthSqlProvider` on `pg`;
   * none on MySQL/MariaDB, which is said once in the log. A channel object (`redisInvalidationChannel(redis)`,
   * `postgresInvalidationChannel({ connectionString })`) to choose; `false` for none (the `maxAgeMs`
   * bound alone). Unused when no cache is on. While the channel is down, the caches fall back to
   * the bound, and `onError` hears so once, and again when it is back.
   */
  cacheInvalidation?: CacheInvalidationChannel | false;
  /**
   * Milliseconds any one storage call may take before the request it serves is answered 503
   * `temporarily_unavailable` (the call itself is abandoned, not cancelled: bound it with the
   * driver's own timeouts too, see docs/reliability.md). Default 10 000; 0 for no bound; at most
   * 600 000.
   */
  storageTimeout?: number;
  /**
   * Throttling of credential guessing (docs/adr/0007-throttling-by-source.md): failures are counted
   * per source address (default 50 per 15 minutes), per source and client id (20 per minute) and per
   * source and username (10 per 5 minutes); a source past a limit is answered 429 with
   * `Retry-After`, and nobody else is. A username failing from many sources is delayed, never
   * locked; password checks in flight are bounded. Counted in the storage's attempt-counter table,
   * shared by every process on the database (or in a store of your choosing, e.g. Redis). `false`
   * turns it all off.
   */
  throttle?: ThrottleOptions | false;
  /**
   * Opt-in: offer the resource owner password credentials grant (RFC 6749 §4.3), which RFC 9700
   * §2.4 says "MUST NOT be used": the client sees the user's password, and the grant can carry
   * neither a second factor nor the user's consent. Default false: clients cannot be registered
   * with the `password` grant, the token endpoint answers `grant_type=password` with
   * `unsupported_grant_type` (even for a client registered with it earlier), and the metadata does
   * not advertise it. With it, each client still needs the grant in its registration.
   */
  allowPasswordGrant?: boolean;
  /**
   * Opt-in: clients that register themselves (RFC 7591 dynamic client registration) and manage
   * their registration (RFC 7592), under a policy that decides each registration (open
   * registration of public clients, an initial access token, or a function of yours), throttled
   * per source address. Needs a storage with the client-registration port. Default off: the
   * registration endpoint is not served and the metadata names none.
   */
  dynamicRegistration?: DynamicRegistrationOptions;
  /**
   * Opt-in: clients known by their Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document,
   * MCP's preferred registration). A `client_id` that is an https URL is then the address of a JSON
   * document describing a public client; the server fetches it (HTTPS only, public addresses only,
   * small, quick, cached per its caching headers), stores the client, and lets it through the
   * authorization code flow with PKCE, the consent page showing the URL's host. Needs a storage
   * with the client-registration port. Default off: such a `client_id` is an unknown client.
   */
  clientMetadataDocuments?: ClientMetadataDocumentOptions;
  /**
   * Opt-in: OpenID Connect Core 1.0 on the authorization-code flow. A request with the `openid`
   * scope gets an ID token (signed with the provider's keys, so `issuer` and `signingKeys` are
   * required), the userinfo endpoint answers its access token, and the discovery document is
   * served. With a storage that has the session and consent-grant ports, a signed-in browser and a
   * remembered consent let later authorizations (and `prompt=none`) through without the page.
   * docs/oidc.md lists what is supported.
   */
  openid?: OpenIdOptions;
}

/** The options of a provider, checked and with defaults applied. */
export interface ResolvedProviderOptions {
  credentials: CredentialSettings;
  storageTimeout: number;
  cacheInvalidation: CacheInvalidationSetting;
}

/** Checks the options; throws {@link ValidationError} naming the first field refused. */
export function resolveProviderOptions(options: OAuthProviderOptions): ResolvedProviderOptions {
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
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new ValidationError('onError', 'must be a function');
  }
  const storageTimeout = options.storageTimeout ?? DEFAULT_STORAGE_TIMEOUT_MS;
  if (!isStorageTimeout(storageTimeout)) {
    throw new ValidationError('storageTimeout', 'must be a whole number of milliseconds between 0 and 600000');
  }
  if (options.allowPasswordGrant !== undefined && typeof options.allowPasswordGrant !== 'boolean') {
    throw new ValidationError('allowPasswordGrant', 'must be a boolean');
  }
  const cacheInvalidation = options.cacheInvalidation ?? 'storage';
  if (cacheInvalidation !== 'storage' && cacheInvalidation !== false && !isChannel(cacheInvalidation)) {
    throw new ValidationError('cacheInvalidation', 'must be false or a channel with publish(message) and subscribe(onMessage, events)');
  }
  const counterStore = typeof options.throttle === 'object' && options.throttle.store !== undefined ? options.throttle.store : 'storage';
  return {
    credentials: {
      lifetimes,
      signing: resolveSigningSettings(options),
      now: options.now ?? (() => new Date()),
      passwordCost: { ...passwordCost },
      report: options.onError ?? warnOfUnansweredFailure,
      caches: readCachesFrom(options),
      throttle: resolveThrottle(options.throttle),
      allowPasswordGrant: options.allowPasswordGrant === true,
      // Registrations and document fetches are counted where failed attempts are, even with that throttle off.
      dynamicRegistration: resolveDynamicRegistration(options.dynamicRegistration, counterStore),
      clientMetadataDocuments: resolveClientMetadataOptions(options.clientMetadataDocuments, counterStore),
      openid: resolveOpenIdSettings(options.openid),
    },
    storageTimeout,
    cacheInvalidation,
  };
}

function isChannel(value: unknown): value is CacheInvalidationChannel {
  const candidate = value as Partial<CacheInvalidationChannel> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.publish === 'function' && typeof candidate.subscribe === 'function';
}

/** The default `onError`: a process warning, so that the failure is heard without configuration. */
function warnOfUnansweredFailure(error: unknown): void {
  process.emitWarning(error instanceof Error ? error.message : String(error), { code: 'OAUTH2KIT_UNANSWERED_FAILURE' });
}
