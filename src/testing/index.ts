/**
 * oauth2-kit/testing: the provider conformance suite, the storage-port suite, an in-memory reference
 * storage, and the fixed clock tests give a provider.
 */
export { runConformanceSuite } from './conformance-suite.js';
export type {
  ConformanceAssertions,
  ConformanceSubject,
  ConformanceSuiteOptions,
  ConformanceTestFunction,
} from './conformance/types.js';
export { MemoryStorage } from './memory-storage.js';
export { countStorageCalls, type CountedStorage } from './storage-call-counter.js';
export {
  runStorageSuite,
  type StorageSuiteAssertions,
  type StorageSuiteOptions,
  type StorageSuiteSubject,
  type StorageSuiteTest,
} from './storage-suite.js';
export { createTestClock, TEST_CLOCK_START, type TestClock } from './test-clock.js';
