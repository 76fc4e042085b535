import type { SigningKeyRecord } from './records.js';

/**
 * The optional signing-key port: the `oauth_signing_keys` table, the keys JWT access tokens
 * (RFC 9068) are signed with. Private keys arrive encrypted; the storage never sees them in clear.
 * Without the port, no resource can be issued JWT access tokens (docs/contract.md).
 */
export interface OAuthSigningKeyStorage {
  /**
   * Every key whose `expiresAt` is null or after `now` (published keys), ordered by `activatesAt`
   * then `id`. One round trip.
   *
   * Called by: the key ring (signing, the JWKS endpoint), on start and when its copy is stale.
   */
  listSigningKeys(now: Date): Promise<SigningKeyRecord[]>;

  /**
   * Writes a new key. Throws {@link DuplicateError} (`signing key`) when the id is taken.
   *
   * Called by: `provider.keys.rotate()` (the CLI's `keys rotate`), and the first JWT issuance when
   * there is no key yet.
   */
  insertSigningKey(key: SigningKeyRecord): Promise<void>;

  /**
   * Sets `retiresAt` and `expiresAt` of every key activated before `activatesBefore` that is not
   * retired yet, in one statement. Returns how many keys were retired.
   *
   * Called by: `provider.keys.rotate()`, once the new key is written.
   */
  retireSigningKeys(activatesBefore: Date, retiresAt: Date, expiresAt: Date): Promise<number>;

  /**
   * Deletes the keys whose `expiresAt` is before `now`. Returns how many went.
   *
   * Called by: `purgeExpired()`.
   */
  purgeSigningKeys(now: Date): Promise<number>;
}

/** The signing-key port's methods, in the order they are documented. */
export const SIGNING_KEY_METHODS = [
  'listSigningKeys',
  'insertSigningKey',
  'retireSigningKeys',
  'purgeSigningKeys',
] as const satisfies ReadonlyArray<keyof OAuthSigningKeyStorage>;
