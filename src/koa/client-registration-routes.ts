import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { oauthErrorResponse, type ClientRegistrationCallOptions, type ClientRegistrationInteractor } from '../core/index.js';
import { oauthBodyParser } from './body-parser.js';
import { allowAnyOrigin, answerPreflights } from './cors.js';
import { oauthErrorBoundary } from './error-boundary.js';
import { reportingTo } from './error-reporting.js';
import { issuerFromRequest } from './issuer.js';
import { toOAuthHttpRequest } from './oauth-http-request.js';
import { sendOAuthResponse } from './oauth-http-response.js';

/** How the registration routes are mounted. */
export interface ClientRegistrationRouteSettings {
  /** The registration endpoint's path, e.g. `/auth/register`; each client's is below it. */
  path: string;
  /** The configured issuer's origin, or undefined to take each request's (as the metadata does). */
  origin: string | undefined;
  /** Largest accepted body. */
  bodyLimit?: string | number;
  legacyForbiddenErrors: boolean;
}

/**
 * Mounts dynamic client registration on `router`: `POST {path}` (RFC 7591 §3) and
 * `GET|PUT|DELETE {path}/:clientId`, the client configuration endpoint (RFC 7592 §2). Bodies are
 * JSON objects within the body limit (others: 415, 413, 400); every error, unexpected ones
 * included, is answered as JSON.
 */
export function mountClientRegistration(router: Router, interactor: ClientRegistrationInteractor, settings: ClientRegistrationRouteSettings): void {
  const legacy = { legacyForbiddenErrors: settings.legacyForbiddenErrors };
  const boundary = oauthErrorBoundary(legacy);
  const parseBody = oauthBodyParser({ ...legacy, ...(settings.bodyLimit === undefined ? {} : { limit: settings.bodyLimit }) });
  const refuseOtherMediaTypes = jsonBodiesOnly(legacy);

  const callOptions = (ctx: Context): ClientRegistrationCallOptions => ({
    fallbackOnError: reportingTo(ctx),
    clientUri: (clientId) => `${settings.origin ?? issuerFromRequest(ctx) ?? ''}${settings.path}/${encodeURIComponent(clientId)}`,
  });
  const clientId = (ctx: Context): string => String(ctx.params['clientId'] ?? '');
  const answer =
    (run: (ctx: Context) => ReturnType<ClientRegistrationInteractor['register']>): Middleware =>
    async (ctx) => {
      sendOAuthResponse(ctx, await run(ctx));
    };

  // Browser-based clients (an MCP client in a page) register themselves: CORS (./cors.ts).
  router.post(settings.path, allowAnyOrigin, boundary, refuseOtherMediaTypes, parseBody, answer((ctx) => interactor.register(toOAuthHttpRequest(ctx), callOptions(ctx))));
  answerPreflights(router, settings.path, ['POST']);
  const clientPath = `${settings.path}/:clientId`;
  answerPreflights(router, clientPath, ['GET', 'PUT', 'DELETE']);
  router.get(clientPath, allowAnyOrigin, boundary, refuseHead(legacy), answer((ctx) => interactor.read(toOAuthHttpRequest(ctx), clientId(ctx), callOptions(ctx))));
  router.put(
    clientPath,
    allowAnyOrigin,
    boundary,
    refuseOtherMediaTypes,
    parseBody,
    answer((ctx) => interactor.update(toOAuthHttpRequest(ctx), clientId(ctx), callOptions(ctx))),
  );
  router.delete(clientPath, allowAnyOrigin, boundary, answer((ctx) => interactor.delete(toOAuthHttpRequest(ctx), clientId(ctx), callOptions(ctx))));
}

/**
 * RFC 7591 §3.1: the registration request is a JSON document. A body of another media type is
 * answered 415 before it is read; a request without a body reaches the endpoint, which says the
 * same.
 */
function jsonBodiesOnly(legacy: { legacyForbiddenErrors: boolean }): Middleware {
  return async (ctx, next) => {
    const hasBody = ctx.get('Transfer-Encoding') !== '' || (ctx.request.length ?? 0) > 0;
    if (hasBody && ctx.request.is('application/json') === false) {
      const description = 'the body must be a JSON object sent as application/json (RFC 7591 section 3.1)';
      sendOAuthResponse(ctx, oauthErrorResponse(415, 'invalid_request', description, legacy));
      return;
    }
    await next();
  };
}

/**
 * A read replaces the registration access token (RFC 7592 §3), and a HEAD answer carries no body:
 * the router would serve HEAD as GET, and the client would lose its token. 405 instead.
 */
function refuseHead(legacy: { legacyForbiddenErrors: boolean }): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'HEAD') return next();
    ctx.set('Allow', 'GET, PUT, DELETE');
    sendOAuthResponse(ctx, oauthErrorResponse(405, 'invalid_request', 'read the registration with GET', legacy));
  };
}
