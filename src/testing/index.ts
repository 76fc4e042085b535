/**
 * oauth2-kit/testing: the provider conformance suite and an in-memory reference storage.
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
