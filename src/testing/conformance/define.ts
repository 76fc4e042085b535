import type { OAuthProviderOptions } from '../../core/index.js';
import type { Harness } from './harness.js';
import type { ConformanceAssertions } from './types.js';

/**
 * Declares one conformance test: it gets a fresh provider (constructed with the suite's clock plus
 * `providerOptions`) wrapped in a {@link Harness}, closed afterwards whatever happens.
 */
export type DefineConformanceTest = (
  title: string,
  run: (t: ConformanceAssertions, h: Harness) => Promise<void>,
  providerOptions?: OAuthProviderOptions,
) => void;
