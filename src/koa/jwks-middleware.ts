import type { Middleware } from 'koa';
import type { JwksEndpoint } from '../core/index.js';
import { oauthErrorBoundary } from './error-boundary.js';
import { reportingTo } from './error-reporting.js';
import { sendOAuthResponse } from './oauth-http-response.js';

/**
 * The JWKS endpoint (RFC 7517 §5, the `jwks_uri` of RFC 8414 §2) as one Koa middleware, for
 * mounting on a route of your own: `router.get('/jwks', jwksController(createJwksEndpoint({ provider })))`.
 * It sends the provider's published signing keys with `Cache-Control: public, max-age=600` and
 * `Access-Control-Allow-Origin: *`; failures are answered as JSON (503, 500) and reach the
 * endpoint's `onError`, or else the application's `error` event. It never calls `next`.
 */
export function jwksController(endpoint: JwksEndpoint, options: { legacyForbiddenErrors?: boolean } = {}): Middleware {
  const catchErrors = oauthErrorBoundary({ legacyForbiddenErrors: options.legacyForbiddenErrors === true });
  return function oauthJwks(ctx) {
    return catchErrors(ctx, async () => {
      sendOAuthResponse(ctx, await endpoint.jwks({ fallbackOnError: reportingTo(ctx) }));
    });
  };
}
