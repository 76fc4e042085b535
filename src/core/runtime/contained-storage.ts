import { StorageUnavailableError } from '../errors.js';
import { DuplicateError, UnknownScopeError, type OAuthStorage } from '../storage/storage-port.js';

/**
 * Wraps a storage port so that a driver or connection failure surfaces as
 * {@link StorageUnavailableError} (answered with 503 `temporarily_unavailable`), while the port's
 * own typed errors pass through untouched. Nothing from the driver's message reaches a caller.
 */
export function containStorageFailures(storage: OAuthStorage): OAuthStorage {
  return new Proxy(storage, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== 'function') return member;
      return async (...args: unknown[]) => {
        try {
          return await member.apply(target, args);
        } catch (error) {
          if (error instanceof DuplicateError || error instanceof UnknownScopeError) throw error;
          throw new StorageUnavailableError(error);
        }
      };
    },
  });
}
