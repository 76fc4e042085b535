import { authorizationCodes } from './conformance/authorization-codes.js';
import { authorizationRequests } from './conformance/authorization-requests.js';
import { clientAuthentication } from './conformance/client-authentication.js';
import { credentialsAtRest } from './conformance/credentials-at-rest.js';
import type { DefineConformanceTest } from './conformance/define.js';
import { createTestClock, Harness } from './conformance/harness.js';
import { hostileInput } from './conformance/hostile-input.js';
import { housekeeping } from './conformance/housekeeping.js';
import { management } from './conformance/management.js';
import { queryCosts } from './conformance/query-costs.js';
import { refreshRotation } from './conformance/refresh-rotation.js';
import { revocationAndIntrospection } from './conformance/revocation-introspection.js';
import { tokenEndpointHttp } from './conformance/token-endpoint-http.js';
import { tokenIssuance } from './conformance/token-issuance.js';
import { tokenValidation } from './conformance/token-validation.js';
import type { ConformanceSuiteOptions, ConformanceTestFunction } from './conformance/types.js';
import { userStore } from './conformance/user-store.js';

const GROUPS: ReadonlyArray<(define: DefineConformanceTest) => void> = [
  clientAuthentication,
  tokenIssuance,
  tokenValidation,
  refreshRotation,
  authorizationCodes,
  authorizationRequests,
  revocationAndIntrospection,
  tokenEndpointHttp,
  management,
  userStore,
  housekeeping,
  credentialsAtRest,
  queryCosts,
  hostileInput,
];

/**
 * Declares the conformance suite: every behaviour an `OAuthProvider` must show, whatever its
 * storage, driven through real `OAuth2Server` instances and the framework-free interactors.
 * Each test calls `setup` for a fresh provider on an empty database and closes it afterwards.
 *
 * ```ts
 * import test from 'ava';
 * import { runConformanceSuite } from 'oauth2-kit/testing';
 * runConformanceSuite(test.serial, { name: 'my-storage', setup: async (options) => ({
 *   provider: new OAuthProvider(new MyStorage(), options),
 *   close: async () => {},
 * }) });
 * ```
 *
 * Pass `test.serial` when each setup is heavy (a database per test); `test` runs them concurrently.
 */
export function runConformanceSuite(test: ConformanceTestFunction, options: ConformanceSuiteOptions): void {
  const define: DefineConformanceTest = (title, run, providerOptions) => {
    test(`${options.name} › ${title}`, async (t) => {
      const clock = createTestClock();
      const subject = await options.setup(Harness.providerOptions(clock, providerOptions));
      try {
        await run(t, new Harness(subject, clock));
      } finally {
        await subject.close();
      }
    });
  };
  for (const group of GROUPS) group(define);
}
