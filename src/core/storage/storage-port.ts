import type { OAuthCacheInvalidationSource } from './cache-invalidation-channel.js';
import { ATTEMPT_COUNTER_METHODS, type OAuthAttemptCounterStorage } from './attempt-counter-port.js';
import { CLIENT_REGISTRATION_METHODS, type OAuthClientRegistrationStorage } from './client-registration-port.js';
import { MANAGEMENT_METHODS, type OAuthManagementStorage } from './management-port.js';
import { RESOURCE_METHODS, type OAuthResourceStorage } from './resource-port.js';
import { RUNTIME_METHODS, type OAuthRuntimeStorage } from './runtime-port.js';
import { CONSENT_GRANT_METHODS, type OAuthConsentGrantStorage } from './consent-grant-port.js';
import { SESSION_METHODS, type OAuthSessionStorage } from './session-port.js';
import { SIGNING_KEY_METHODS, type OAuthSigningKeyStorage } from './signing-key-port.js';
import { USER_STORE_METHODS, type OAuthUserStorage } from './user-store-port.js';

/**
 * What a storage may add for `provider.check()`: one way to reach the database that fails at once
 * with the driver's own reason. A storage behind a pool that retries a refused connection, a wrong
 * password or an unknown database until its acquire timeout and then names none of them (the
 * `mariadb` pool's) implements it so that the check reports the cause within a second or two.
 */
export interface OAuthConnectionCheck {
  /**
   * Opens one connection of its own (outside any pool), enters the database and closes it;
   * rejects with the driver's error, unchanged, when it cannot. Writes and reads nothing.
   * `provider.check()` calls it first, bounded by `storageTimeout`; nothing else calls it.
   */
  checkConnection(): Promise<void>;
}

/**
 * What an {@link OAuthProvider} is built on: the runtime port and the management port, and
 * optionally the user-store port, the attempt-counter port and a connection check. `OAuthSqlProvider` and
 * `OAuthPrismaProvider` implement all four; all OAuth behaviour lives in the core on top of them,
 * so both behave identically by construction. A third-party storage implements them and proves itself with the storage and
 * conformance suites of `oauth2-kit/testing` (docs/contract.md says what each method owes).
 *
 * Guarantees every implementation owes:
 * - Every method is atomic: it fully happens or not at all (no half-written client or token).
 * - `claimToken` and `consumeAuthorizationCode` are compare-and-set in the database itself (one
 *   conditional UPDATE), never read-then-write in JavaScript, so concurrent callers see one winner.
 * - Lookups by digest are a single round trip.
 * - Inputs are bound as parameters, never interpolated into SQL.
 */
export type OAuthStorage = OAuthRuntimeStorage &
  OAuthManagementStorage &
  Partial<OAuthUserStorage> &
  Partial<OAuthAttemptCounterStorage> &
  Partial<OAuthResourceStorage> &
  Partial<OAuthClientRegistrationStorage> &
  Partial<OAuthSigningKeyStorage> &
  Partial<OAuthSessionStorage> &
  Partial<OAuthConsentGrantStorage> &
  Partial<OAuthConnectionCheck> &
  Partial<OAuthCacheInvalidationSource>;

/** A storage whose user-store methods are all there. */
export type OAuthStorageWithUsers = OAuthRuntimeStorage & OAuthManagementStorage & OAuthUserStorage;

/** A storage whose resource methods are all there. */
export type OAuthStorageWithResources = OAuthStorage & OAuthResourceStorage;

/** A storage whose client-registration methods are all there. */
export type OAuthStorageWithClientRegistrations = OAuthStorage & OAuthClientRegistrationStorage;

/** A storage whose signing-key methods are all there. */
export type OAuthStorageWithSigningKeys = OAuthStorage & OAuthSigningKeyStorage;

/** A storage whose session methods are all there. */
export type OAuthStorageWithSessions = OAuthStorage & OAuthSessionStorage;

/** A storage whose consent-grant methods are all there. */
export type OAuthStorageWithConsentGrants = OAuthStorage & OAuthConsentGrantStorage;

/** A storage whose attempt-counter methods are all there. */
export type OAuthStorageWithAttemptCounters = OAuthStorage & OAuthAttemptCounterStorage;

/**
 * Throws a `TypeError` naming every method `storage` lacks, so that an incomplete third-party
 * storage fails when the provider is built, not on the first request that needs the method. The
 * user store is all six of its methods or none; every other optional port all of its methods or none.
 */
export function assertStoragePorts(storage: unknown): asserts storage is OAuthStorage {
  if (typeof storage !== 'object' || storage === null) throw new TypeError('OAuthProvider needs a storage object (OAuthStorage)');
  const has = (method: string) => typeof (storage as Record<string, unknown>)[method] === 'function';
  const missing: string[] = [...RUNTIME_METHODS, ...MANAGEMENT_METHODS].filter((method) => !has(method));
  for (const optionalPort of [USER_STORE_METHODS, ATTEMPT_COUNTER_METHODS, RESOURCE_METHODS, CLIENT_REGISTRATION_METHODS, SIGNING_KEY_METHODS, SESSION_METHODS, CONSENT_GRANT_METHODS]) {
    const present = optionalPort.filter(has);
    if (present.length > 0 && present.length < optionalPort.length) {
      missing.push(...optionalPort.filter((method) => !has(method)));
    }
  }
  if (missing.length > 0) {
    throw new TypeError(`the storage does not implement ${missing.join(', ')} (see OAuthStorage in docs/contract.md)`);
  }
}

/** Whether the storage implements the optional user-store port. */
export function hasUserStore(storage: OAuthStorage): storage is OAuthStorageWithUsers {
  return USER_STORE_METHODS.every((method) => typeof storage[method] === 'function');
}

/** Whether the storage implements the optional attempt-counter port. */
export function hasAttemptCounters(storage: OAuthStorage): storage is OAuthStorageWithAttemptCounters {
  return ATTEMPT_COUNTER_METHODS.every((method) => typeof storage[method] === 'function');
}

/** Whether the storage implements the optional resource port. */
export function hasResources(storage: OAuthStorage): storage is OAuthStorageWithResources {
  return RESOURCE_METHODS.every((method) => typeof storage[method] === 'function');
}

/** Whether the storage implements the optional client-registration port. */
export function hasClientRegistrations(storage: OAuthStorage): storage is OAuthStorageWithClientRegistrations {
  return CLIENT_REGISTRATION_METHODS.every((method) => typeof storage[method] === 'function');
}

/** Whether the storage implements the optional signing-key port. */
export function hasSigningKeys(storage: OAuthStorage): storage is OAuthStorageWithSigningKeys {
  return SIGNING_KEY_METHODS.every((method) => typeof storage[method] === 'function');
}

/** Whether the storage implements the optional session port. */
export function hasSessions(storage: OAuthStorage): storage is OAuthStorageWithSessions {
  return SESSION_METHODS.every((method) => typeof storage[method] === 'function');
}

/** Whether the storage implements the optional consent-grant port. */
export function hasConsentGrants(storage: OAuthStorage): storage is OAuthStorageWithConsentGrants {
  return CONSENT_GRANT_METHODS.every((method) => typeof storage[method] === 'function');
}
