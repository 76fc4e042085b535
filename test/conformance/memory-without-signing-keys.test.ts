/**
 * The conformance suite on a storage that implements no signing-key port (RFC 9068 JWT access
 * tokens): the in-memory reference storage with the port's four methods hidden, declared
 * `storesSigningKeys: false`. The JWT tests are skipped, saying so; the test of what such a server
 * must do instead — refuse a resource with `tokenFormat: 'jwt'`, and say why `provider.keys` cannot
 * work — runs.
 */
import test from 'ava';
import { OAuthProvider } from '../../src/core/index.js';
import { SIGNING_KEY_METHODS } from '../../src/core/storage/signing-key-port.js';
import { countStorageCalls, MemoryStorage, runConformanceSuite } from '../../src/testing/index.js';
import { withoutPort } from './support/without-port.js';

runConformanceSuite(test, {
  name: 'memory without signing keys',
  storesSigningKeys: false,
  async setup(options) {
    const memory = new MemoryStorage();
    const counted = countStorageCalls(withoutPort(memory, SIGNING_KEY_METHODS));
    return {
      provider: new OAuthProvider(counted.storage, options),
      countQueries: counted.count,
      resetQueryCount: counted.reset,
      dumpAllRows: () => memory.dumpAllRows(),
      close: async () => {},
    };
  },
});
