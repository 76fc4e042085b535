import type { Context, Middleware } from 'koa';
import { oauthErrorResponse } from '../core/index.js';
import { sendOAuthResponse } from './oauth-http-response.js';
import { protectPage } from './authorize-page/page-response.js';

/** What the router knows about the endpoint, handed to every authorization-endpoint handler. */
export interface AuthorizeEndpointFacts {
  /**
   * The issuer identifier the metadata document announces (the configured `issuer`, or else the
   * request's origin), for the `iss` parameter of authorization responses (RFC 9207 §2).
   * Undefined when the request's `Host` makes no valid origin.
   */
  issuer: string | undefined;
}

/** A step of the authorization endpoint: answers the request on `ctx` (page, redirect or error). */
export type AuthorizeHandler = (ctx: Context, endpoint: AuthorizeEndpointFacts) => Promise<void>;

/**
 * The application's authorization endpoint (RFC 6749 §3.1). The router provides the routes, the
 * body parsing of `POST` (form or JSON, in `ctx.request.body`), the error boundary and protective
 * headers; the handlers provide the page and the flow.
 */
export interface AuthorizeHandlers {
  /** `GET {prefix}/authorize`: typically validates the request and shows the sign-in/consent page. */
  get?: AuthorizeHandler;
  /** `POST {prefix}/authorize`: typically receives the page's form and redirects to the client. */
  post?: AuthorizeHandler;
}

/**
 * Runs an authorization-endpoint handler behind defaults that keep its page out of frames and
 * caches (RFC 6749 §10.13 clickjacking; the page may carry a CSRF token). The handler may override
 * any of them. Without a handler the endpoint answers 400 `unsupported_response_type` as JSON: no
 * redirect is ever made, because nothing has validated the client's `redirect_uri`
 * (RFC 6749 §4.1.2.1).
 */
export function authorizeEndpoint(
  handler: AuthorizeHandler | undefined,
  issuerOf: (ctx: Context) => string | undefined = () => undefined,
): Middleware {
  return async function oauthAuthorize(ctx) {
    protectPage(ctx);
    if (handler === undefined) {
      sendOAuthResponse(
        ctx,
        oauthErrorResponse(
          400,
          'unsupported_response_type',
          `this server does not offer the authorization endpoint for ${ctx.method} requests`,
        ),
      );
      return;
    }
    await handler(ctx, { issuer: issuerOf(ctx) });
  };
}
