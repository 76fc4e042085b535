import type { Middleware } from 'koa';
import type { AuthControllerInteractor } from '../core/index.js';
import { oauthBodyParser } from './body-parser.js';
import { oauthErrorBoundary } from './error-boundary.js';
import { reportingTo } from './error-reporting.js';
import { toOAuthHttpRequest } from './oauth-http-request.js';
import { sendOAuthResponse } from './oauth-http-response.js';

/** Options shared by the endpoint middlewares. */
export interface OAuthEndpointOptions {
  /** Largest accepted request body, in bytes or as `'16kb'`-style text. Default `'16kb'`. */
  bodyLimit?: string | number;
  /**
   * Answer the errors the binding itself detects (unreadable body, unexpected exception) with 403,
   * matching an interactor built with `legacyForbiddenErrors`. Default false.
   */
  legacyForbiddenErrors?: boolean;
}

/**
 * The token endpoint (RFC 6749 §3.2) as one Koa middleware, for mounting on a route of your own:
 * `router.post('/token', authController(interactor))`. Self-contained: it reads the body (form or
 * JSON), answers unreadable bodies and unexpected errors as JSON, and sends what the interactor
 * decides, `Cache-Control: no-store` included. It never calls `next`.
 *
 * Failures that are not protocol errors (storage unavailable, bugs) go to the interactor's
 * `onError` when it was built with one; otherwise they are emitted on the Koa application
 * (`app.on('error', …)`, which Koa logs by default), with the request's context. Either way once.
 */
export function authController(interactor: AuthControllerInteractor, options: OAuthEndpointOptions = {}): Middleware {
  return endpointMiddleware(interactor, 'token', options);
}

/** The revocation endpoint (RFC 7009 §2) as one Koa middleware; see {@link authController}. */
export function revocationController(
  interactor: AuthControllerInteractor,
  options: OAuthEndpointOptions = {},
): Middleware {
  return endpointMiddleware(interactor, 'revoke', options);
}

/** The introspection endpoint (RFC 7662 §2) as one Koa middleware; see {@link authController}. */
export function introspectionController(
  interactor: AuthControllerInteractor,
  options: OAuthEndpointOptions = {},
): Middleware {
  return endpointMiddleware(interactor, 'introspect', options);
}

/**
 * One of the endpoints above. The Koa application hears the failures the interactor's own
 * `onError` does not (`fallbackOnError`): an interactor built without one is heard too.
 */
export function endpointMiddleware(
  interactor: AuthControllerInteractor,
  endpoint: 'token' | 'revoke' | 'introspect',
  options: OAuthEndpointOptions,
): Middleware {
  const legacy = { legacyForbiddenErrors: options.legacyForbiddenErrors === true };
  const catchErrors = oauthErrorBoundary(legacy);
  const parseBody = oauthBodyParser({ ...legacy, ...(options.bodyLimit === undefined ? {} : { limit: options.bodyLimit }) });
  return function oauthEndpoint(ctx) {
    return catchErrors(ctx, () =>
      parseBody(ctx, async () => {
        const request = toOAuthHttpRequest(ctx);
        sendOAuthResponse(ctx, await interactor[endpoint](request, { fallbackOnError: reportingTo(ctx) }));
      }),
    );
  };
}
