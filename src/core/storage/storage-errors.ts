/** Errors a storage implementation throws, which the core answers precisely instead of with 503. */

/** A unique key (client id, user id, username) is already taken. */
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

/** A client refers to scopes missing from the scope catalogue. */
export class UnknownScopeError extends Error {
  override readonly name = 'UnknownScopeError';
  constructor(readonly scopes: string[]) {
    super(`unknown scope: ${scopes.join(' ')}`);
  }
}
