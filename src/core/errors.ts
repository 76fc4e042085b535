/**
 * Errors the core throws at its callers (management API, user store, provider construction).
 * OAuth protocol errors are answered by the HTTP interactors as RFC 6749 §5.2 bodies instead.
 */

/** Input to the management API, the user store or the provider options was refused. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    /** The offending field, e.g. `redirectUris[1]`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/**
 * The storage port failed (driver or connection error). The original error is kept as `cause` for
 * logs; the message never carries it, so nothing from the database leaks into a response.
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  constructor(cause: unknown) {
    super('the OAuth storage is unavailable', { cause });
  }
}
