import type { OAuthProviderOptions } from '../../core/index.js';
import type { Harness } from './harness.js';
import type { ConformanceAssertions, ConformanceCapability } from './types.js';

type ConformanceRun = (t: ConformanceAssertions, h: Harness) => Promise<void>;

/**
 * Declares one conformance test: it gets a fresh provider (constructed with the suite's clock plus
 * `providerOptions`) wrapped in a {@link Harness}, closed afterwards whatever happens.
 */
export interface DefineConformanceTest {
  (title: string, run: ConformanceRun, providerOptions?: OAuthProviderOptions): void;
  /**
   * The same, for a test that needs `capability` (or every one of several) of the subject: when the
   * suite options declare one false the test is registered as skipped, the reason (the first such
   * capability's) in its title, and never runs.
   */
  requiring(
    capability: ConformanceCapability | readonly ConformanceCapability[],
    title: string,
    run: ConformanceRun,
    providerOptions?: OAuthProviderOptions,
  ): void;
  /**
   * A test of what a subject without `capability` must do instead: declared only when the suite
   * options declare the capability false, and not at all otherwise.
   */
  lacking(capability: ConformanceCapability, title: string, run: ConformanceRun, providerOptions?: OAuthProviderOptions): void;
}
