/**
 * The storage-port suite on the in-memory reference storage: the storage every application's unit
 * tests are invited to use keeps the same promises as the database-backed ones. Every call into a
 * MemoryStorage stands for one round trip, so the call count is the statement count.
 */
import test from 'ava';
import { countStorageCalls, MemoryStorage, runStorageSuite } from '../../src/testing/index.js';

runStorageSuite(test, {
  name: 'memory',
  async setup() {
    const counted = countStorageCalls(new MemoryStorage());
    return { storage: counted.storage, countQueries: counted.count, close: async () => {} };
  },
});
