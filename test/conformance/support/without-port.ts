/**
 * The in-memory reference storage with one optional port hidden: its methods read as absent, every
 * other one works. For the conformance runs of storages that lack a port.
 */
import type { OAuthStorage } from '../../../src/core/index.js';
import type { MemoryStorage } from '../../../src/testing/index.js';

export function withoutPort(storage: MemoryStorage, methods: readonly string[]): OAuthStorage {
  const hidden = new Set<PropertyKey>(methods);
  return new Proxy(storage, {
    get(target, property) {
      if (hidden.has(property)) return undefined;
      const member: unknown = Reflect.get(target, property, target);
      return typeof member === 'function' ? member.bind(target) : member;
    },
  });
}
