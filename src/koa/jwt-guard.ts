import type { Middleware } from 'koa';
import { createJwtGuard, type JwtGuardOptions } from '../core/index.js';
import { guard, type OAuthGuardMiddlewareOptions } from './guard.js';

/**
 * Builds the middleware of one route (or router) from a {@link jwtGuard}: `scope`, `passthrough`,
 * `resourceMetadata` and `resource` as for {@link guard}. No `acceptAnyAudience`: a JWT guard
 * always checks `aud` (RFC 9068 §4).
 */
export type JwtGuardMiddlewareFactory = (options?: Omit<OAuthGuardMiddlewareOptions, 'acceptAnyAudience'>) => Middleware;

/**
 * Protects routes of a resource server that verifies JWT access tokens (RFC 9068) itself, with
 * the issuer's published keys: no database, no call to the authorization server per request, so
 * it runs on any machine. Takes the options of `createJwtGuard` (`issuer`, `resource` or a
 * described `resourceMetadata`, `jwksUri`, `algorithms`, `introspection` for opaque tokens…) and
 * returns a function that builds each route's middleware, which behaves as {@link guard}'s:
 * `ctx.state.oauth` on success (`token.id` is the `jti`, `user` the `sub`, null for a client's own
 * token), 401/400/403 with a Bearer challenge otherwise, and 503 when the issuer's keys cannot be
 * fetched, the failure emitted on the application (or told to `onError`) with the URL and cause.
 * One key set and one cache serve every route built from it: build it once.
 *
 * @example
 * const requireToken = jwtGuard({ issuer: 'https://auth.example.com', resourceMetadata: api });
 * routes.get('/api/notes', requireToken({ scope: ['notes:read'] }), (ctx) => {
 *   ctx.body = { user: ctx.state.oauth?.user?.id };
 * });
 */
export function jwtGuard(options: JwtGuardOptions): JwtGuardMiddlewareFactory {
  const interactor = createJwtGuard(options);
  return (routeOptions = {}) => {
    if ((routeOptions as OAuthGuardMiddlewareOptions).acceptAnyAudience === true) {
      throw new TypeError('a jwtGuard route admits only tokens whose aud names its resource (RFC 9068 §4): acceptAnyAudience is not one of its options');
    }
    return guard(interactor, routeOptions);
  };
}
