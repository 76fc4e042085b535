/** Why a JWT access token could not be signed, or a signing key not be managed. */
export type SigningKeyErrorCode =
  /**
   * A stored private key is encrypted under an operator key that is not configured (neither
   * `signingKeys.encryptionKey` nor one of `previousEncryptionKeys`): the key was changed or mistyped.
   */
  | 'signing_encryption_key_mismatch'
  /**
   * A stored key cannot be used: its encrypted private key does not decrypt under the key its
   * header names (the row was altered), or what it holds is not the private half of its public key.
   */
  | 'signing_key_unreadable'
  /**
   * A token is to be signed with an algorithm the provider keeps no key for (not
   * `signingKeys.algorithm`, nor among `signingKeys.algorithms` or the OpenID ones).
   */
  | 'signing_algorithm_not_configured'
  /** A JWT access token or a new key is needed, but the provider has no `signingKeys.encryptionKey`. */
  | 'signing_not_configured'
  /** A JWT access token is needed, but the provider has no `issuer` to name in its `iss` claim. */
  | 'signing_issuer_missing'
  /** A JWT access token is needed, but the storage has no signing-key port to keep keys in. */
  | 'signing_storage_unsupported';

/**
 * A JWT access token (RFC 9068) could not be signed, or a signing key could not be created or
 * read. The message names the key, the option or the cause, and what to do. At the token endpoint
 * it is a server failure: the request is answered 500 `server_error` and this error goes to the
 * endpoint's `onError`; `provider.check()` throws it at start-up for the first two codes.
 */
export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
  constructor(
    readonly code: SigningKeyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
