import { StorageUnavailableError } from '../errors.js';
import { DuplicateError, UnknownScopeError } from '../storage/storage-errors.js';

/**
 * What a storage call's failure becomes for the core's callers: the port's own typed errors pass
 * through (they are answered precisely: a taken id, an unknown scope); anything else — a driver or
 * connection error, a timeout — becomes {@link StorageUnavailableError}, answered 503
 * `temporarily_unavailable`, with the original kept as `cause` for logs and never in a message.
 */
export function containedFailure(error: unknown): Error {
  if (error instanceof DuplicateError || error instanceof UnknownScopeError) return error;
  return new StorageUnavailableError(error);
}
