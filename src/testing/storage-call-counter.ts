import type { OAuthStorage } from '../core/index.js';

/** A storage wrapped to count its calls, with the counter. */
export interface CountedStorage {
  storage: OAuthStorage;
  count(): number;
  reset(): void;
}

/**
 * Counts calls into a storage port: for a storage whose every method is one round trip (such as
 * {@link MemoryStorage} standing in for a database), calls are the queries the conformance suite
 * budgets.
 */
export function countStorageCalls(storage: OAuthStorage): CountedStorage {
  let calls = 0;
  const counted = new Proxy(storage, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        calls += 1;
        return member.apply(target, args);
      };
    },
  });
  return {
    storage: counted,
    count: () => calls,
    reset: () => {
      calls = 0;
    },
  };
}
