import type { SigningKeyRecord } from './records.js';

/**
 * The optional signing-key port: the `oauth_signing_keys` table, the keys JWT access tokens
 * (RFC 9068) are signed with and the JWKS endpoint publishes (RFC 7517). Private keys arrive
 * encrypted under the operator's key; the storage never sees them in clear and stores them as
 * given. Keys are few, so no call needs a batch limit. Without the port, no resource can be issued
 * JWT access tokens (docs/contract.md).
 */
export interface OAuthSigningKeyStorage {
  /**
   * Every key whose `expiresAt` is null or after `now` (the published keys), ordered by
   * `activatesAt` then `id`. One statement.
   *
   * Called by: the key ring (JWT issuance, the JWKS endpoint, `provider.keys.list()` and
   * `jwks()`) on first use and when its copy is stale; `provider.check()` with signing keys configured.
   */
  listSigningKeys(now: Date): Promise<SigningKeyRecord[]>;

  /**
   * Writes a new key. Throws {@link DuplicateError} (`signing key`) when the id is taken.
   *
   * Called by: `provider.keys.rotate()` (the CLI's `keys rotate`), and the first JWT issuance when
   * no key is published.
   */
  insertSigningKey(key: SigningKeyRecord): Promise<void>;

  /**
   * Sets `retiresAt` and `expiresAt` of every key activated before `activatesBefore` whose
   * `retiresAt` is null, in one statement; a key retired already keeps its instants. Returns how
   * many keys were retired.
   *
   * Called by: `provider.keys.rotate()`, once the new key is written, when every published key is
   * of the algorithm rotated (keys of several algorithms retire one by one, by id).
   */
  retireSigningKeys(activatesBefore: Date, retiresAt: Date, expiresAt: Date): Promise<number>;

  /**
   * Sets `retiresAt` and `expiresAt` of the key `id` if its `retiresAt` is null, in one
   * statement; a key retired already keeps its instants. Returns whether it retired the key.
   *
   * Called by: `provider.keys.rotate()`, for each key an earlier rotation published ahead to sign
   * after the new key: it retires before it ever signs, so that the newest rotation wins; and,
   * when keys of several algorithms are published, for each older key of the algorithm rotated,
   * and for each key of an algorithm the provider no longer keeps.
   */
  retireSigningKeyById(id: string, retiresAt: Date, expiresAt: Date): Promise<boolean>;

  /**
   * Deletes the keys whose `expiresAt` is before `now`, in one statement. Returns how many went.
   *
   * Called by: `provider.purgeExpired()` (the CLI's `tokens purge-expired`).
   */
  purgeSigningKeys(now: Date): Promise<number>;
}

/** The signing-key port's methods, in the order they are documented. */
export const SIGNING_KEY_METHODS = [
  'listSigningKeys',
  'insertSigningKey',
  'retireSigningKeys',
  'retireSigningKeyById',
  'purgeSigningKeys',
] as const satisfies ReadonlyArray<keyof OAuthSigningKeyStorage>;
