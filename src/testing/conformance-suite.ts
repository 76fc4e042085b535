import type { OAuthProviderOptions } from '../core/index.js';
import { authorizationCodes } from './conformance/authorization-codes.js';
import { authorizationRequests } from './conformance/authorization-requests.js';
import { clientAuthentication } from './conformance/client-authentication.js';
import { clientRegistration } from './conformance/client-registration.js';
import { credentialsAtRest } from './conformance/credentials-at-rest.js';
import { defaultScopes } from './conformance/default-scopes.js';
import type { DefineConformanceTest } from './conformance/define.js';
import { createTestClock, Harness } from './conformance/harness.js';
import { hostileInput } from './conformance/hostile-input.js';
import { introspectionPermission } from './conformance/introspection-permission.js';
import { jwtAccessTokens } from './conformance/jwt-access-tokens.js';
import { housekeeping } from './conformance/housekeeping.js';
import { management } from './conformance/management.js';
import { queryCosts } from './conformance/query-costs.js';
import { refreshRotation } from './conformance/refresh-rotation.js';
import { resourceAudiences } from './conformance/resource-audiences.js';
import { resourceBoundGuard } from './conformance/resource-bound-guard.js';
import { resourceManagement } from './conformance/resource-management.js';
import { resourceRequests } from './conformance/resource-requests.js';
import { revocationAndIntrospection } from './conformance/revocation-introspection.js';
import { tokenEndpointHttp } from './conformance/token-endpoint-http.js';
import { tokenIssuance } from './conformance/token-issuance.js';
import { tokenSubjects } from './conformance/token-subjects.js';
import { tokenValidation } from './conformance/token-validation.js';
import type { ConformanceCapability, ConformanceSuiteOptions, ConformanceTestFunction } from './conformance/types.js';
import { userStore } from './conformance/user-store.js';

const GROUPS: ReadonlyArray<(define: DefineConformanceTest) => void> = [
  clientAuthentication,
  tokenIssuance,
  defaultScopes,
  tokenValidation,
  refreshRotation,
  authorizationCodes,
  authorizationRequests,
  revocationAndIntrospection,
  introspectionPermission,
  tokenSubjects,
  tokenEndpointHttp,
  resourceRequests,
  resourceAudiences,
  resourceBoundGuard,
  jwtAccessTokens,
  management,
  resourceManagement,
  userStore,
  housekeeping,
  credentialsAtRest,
  clientRegistration,
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
 * import { OAuthProvider } from 'oauth2-kit';
 * import { countStorageCalls, runConformanceSuite } from 'oauth2-kit/testing';
 *
 * runConformanceSuite(test.serial, {
 *   name: 'my-storage',
 *   // MyStorage cannot list what it holds: the "no usable credential at rest" test is registered
 *   // as skipped, saying so. Without this line, setup must return dumpAllRows().
 *   inspectsRows: false,
 *   setup: async (options) => {
 *     // Every call into MyStorage is one round trip, so counting calls counts queries.
 *     const counted = countStorageCalls(new MyStorage());
 *     return {
 *       provider: new OAuthProvider(counted.storage, options),
 *       countQueries: counted.count,
 *       resetQueryCount: counted.reset,
 *       close: async () => {},
 *     };
 *   },
 * });
 * ```
 *
 * Pass `test.serial` when each setup is heavy (a database per test); `test` runs them concurrently.
 * A test needing a capability the options declare false (`inspectsRows`, `countsQueries`,
 * `storesResources`, `storesSigningKeys`) is registered with `test.skip`, the reason in its title:
 * it never counts as passed.
 */
export function runConformanceSuite(test: ConformanceTestFunction, options: ConformanceSuiteOptions): void {
  const titled = (title: string) => `${options.name} › ${title}`;
  type Run = Parameters<DefineConformanceTest>[1];
  const declare = (title: string, run: Run, providerOptions?: OAuthProviderOptions): void => {
    test(titled(title), async (t) => {
      const clock = createTestClock();
      const subject = await options.setup(Harness.providerOptions(clock, providerOptions));
      try {
        await run(t, new Harness(subject, clock));
      } finally {
        await subject.close();
      }
    });
  };
  const requiring = (
    needed: ConformanceCapability | readonly ConformanceCapability[],
    title: string,
    run: Run,
    providerOptions?: OAuthProviderOptions,
  ): void => {
    const missing = (typeof needed === 'string' ? [needed] : needed).find((capability) => options[capability] === false);
    if (missing !== undefined) test.skip(titled(`${title} (not checked: ${UNSUPPORTED[missing]})`), async () => {});
    else declare(title, run, providerOptions);
  };
  const lacking = (capability: ConformanceCapability, title: string, run: Run, providerOptions?: OAuthProviderOptions): void => {
    if (options[capability] === false) declare(title, run, providerOptions);
  };
  const define: DefineConformanceTest = Object.assign(declare, { requiring, lacking });
  for (const group of GROUPS) group(define);
}

/** Why a test needing the capability is skipped, for its title. */
const UNSUPPORTED: Record<ConformanceCapability, string> = {
  inspectsRows: 'declared inspectsRows: false, the storage cannot dump its rows',
  countsQueries: 'declared countsQueries: false, the storage counts no queries',
  storesResources: 'declared storesResources: false, the storage keeps no resources',
  storesClientRegistrations: 'declared storesClientRegistrations: false, the storage keeps no client registrations',
  storesSigningKeys: 'declared storesSigningKeys: false, the storage keeps no signing keys',
};
