/**
 * The conformance suite on the in-memory reference storage with one optional port hidden: its
 * methods read as absent, every other one works. For the runs of storages that lack a port.
 */
import type { TestFn } from 'ava';
import { OAuthProvider, type OAuthStorage } from '../../../src/core/index.js';
import { countStorageCalls, MemoryStorage, runConformanceSuite, type ConformanceSuiteOptions } from '../../../src/testing/index.js';

/** `storage` with `methods` reading as absent. */
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

/** Runs the suite as `name` on a memory storage without `methods`, declaring what it lacks in `capabilities`. */
export function runWithoutPort(
  test: TestFn,
  name: string,
  methods: readonly string[],
  capabilities: Pick<ConformanceSuiteOptions, 'storesResources' | 'storesSigningKeys' | 'storesClientRegistrations'>,
): void {
  runConformanceSuite(test, {
    name,
    ...capabilities,
    async setup(options) {
      const memory = new MemoryStorage();
      const counted = countStorageCalls(withoutPort(memory, methods));
      return {
        provider: new OAuthProvider(counted.storage, options),
        countQueries: counted.count,
        resetQueryCount: counted.reset,
        dumpAllRows: () => memory.dumpAllRows(),
        close: async () => {},
      };
    },
  });
}
