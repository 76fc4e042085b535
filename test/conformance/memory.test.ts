import test from 'ava';
import { OAuthProvider } from '../../src/core/index.js';
import { countStorageCalls, MemoryStorage, runConformanceSuite } from '../../src/testing/index.js';

runConformanceSuite(test, {
  name: 'memory',
  async setup(options) {
    const memory = new MemoryStorage();
    const counted = countStorageCalls(memory);
    return {
      provider: new OAuthProvider(counted.storage, options),
      countQueries: counted.count,
      resetQueryCount: counted.reset,
      dumpAllRows: () => memory.dumpAllRows(),
      close: async () => {},
    };
  },
});
