/**
 * Stand-ins at the bindings' own boundary, for the tests that specify the translation itself (what
 * reaches an interactor, how its answer is written back). Everything OAuth is tested end to end
 * against a real provider elsewhere.
 */
import type { OAuthHttpRequest, OAuthHttpResponse } from '../../../src/core/protocol/http.js';
import type { AuthControllerInteractor, OAuth2GuardInteractor, OAuthGuardOutcome } from '../../../src/core/protocol/interactors.js';

/** Answers every endpoint with 200 and the request it was handed, as JSON. */
export function echoAuthController(): AuthControllerInteractor {
  const echo = (endpoint: string) => async (request: OAuthHttpRequest): Promise<OAuthHttpResponse> => ({
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: { endpoint, method: request.method, query: request.query, body: request.body },
  });
  return { token: echo('token'), revoke: echo('revoke'), introspect: echo('introspect') };
}

/** An auth controller whose every call answers the given response. */
export function fixedAuthController(response: OAuthHttpResponse): AuthControllerInteractor {
  const answer = async () => response;
  return { token: answer, revoke: answer, introspect: answer };
}

/** An auth controller whose every call throws the given error. */
export function throwingAuthController(error: unknown): AuthControllerInteractor {
  const fail = async (): Promise<OAuthHttpResponse> => {
    throw error;
  };
  return { token: fail, revoke: fail, introspect: fail };
}

/** A guard that decides with `decide` and counts its calls. */
export function scriptedGuard(decide: (request: OAuthHttpRequest) => OAuthGuardOutcome): OAuth2GuardInteractor & {
  calls: number;
} {
  const guard = {
    calls: 0,
    async check(request: OAuthHttpRequest) {
      guard.calls += 1;
      return decide(request);
    },
  };
  return guard;
}
