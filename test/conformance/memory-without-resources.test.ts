/**
 * The conformance suite on a storage that implements no resource port (RFC 8707): the in-memory
 * reference storage with the port's four methods hidden, declared `storesResources: false`. The
 * tests that register resources are skipped, saying so; those of what such a server must do
 * instead — refuse every `resource` with `invalid_target` — run.
 */
import test from 'ava';
import { OAuthProvider } from '../../src/core/index.js';
import { RESOURCE_METHODS } from '../../src/core/storage/resource-port.js';
import { countStorageCalls, MemoryStorage, runConformanceSuite } from '../../src/testing/index.js';
import { withoutPort } from './support/without-port.js';

runConformanceSuite(test, {
  name: 'memory without resources',
  storesResources: false,
  async setup(options) {
    const memory = new MemoryStorage();
    const counted = countStorageCalls(withoutPort(memory, RESOURCE_METHODS));
    return {
      provider: new OAuthProvider(counted.storage, options),
      countQueries: counted.count,
      resetQueryCount: counted.reset,
      dumpAllRows: () => memory.dumpAllRows(),
      close: async () => {},
    };
  },
});
