import type { Middleware } from 'koa';
import type { UserInfoEndpoint } from '../core/index.js';
import { oauthErrorBoundary } from './error-boundary.js';
import { reportingTo } from './error-reporting.js';
import { toOAuthHttpRequest } from './oauth-http-request.js';
import { sendOAuthResponse } from './oauth-http-response.js';

/**
 * The UserInfo endpoint (OIDC Core §5.3) as one Koa middleware, for GET and POST. A token sent as
 * the `access_token` form parameter of a POST (RFC 6750 §2.2) is seen only when a body parser ran
 * before it (the router mounts one). Failures that are not protocol errors reach the endpoint's
 * `onError`, or else the application's `error` event. It never calls `next`.
 */
export function userInfoController(endpoint: UserInfoEndpoint, options: { legacyForbiddenErrors?: boolean } = {}): Middleware {
  const catchErrors = oauthErrorBoundary({ legacyForbiddenErrors: options.legacyForbiddenErrors === true });
  return function oauthUserInfo(ctx) {
    return catchErrors(ctx, async () => {
      sendOAuthResponse(ctx, await endpoint.userinfo(toOAuthHttpRequest(ctx), { fallbackOnError: reportingTo(ctx) }));
    });
  };
}
