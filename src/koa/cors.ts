import type Router from '@koa/router';
import type { Middleware } from 'koa';

/**
 * CORS for the endpoints a browser-based client calls itself (Fetch standard, "CORS protocol"):
 * the token and revocation endpoints, registration and the metadata (an MCP client running in a
 * browser, a single-page app). Any origin may read the answers, without credentials
 * (`Access-Control-Allow-Origin: *`): these endpoints read no cookie or other ambient credential,
 * so a page learns nothing through them that its own server could not ask for; the browser
 * refuses `*` to any request sent with cookies. Not for the authorization endpoint (a page the
 * browser navigates to, with the sign-in cookie and a CSRF token) nor introspection (for resource
 * servers, RFC 7662 §4).
 */

/**
 * Headers a page may read beyond the CORS-safelisted ones: the challenge of a 401
 * (`invalid_client`), the wait of a 429, a created registration's location.
 */
const EXPOSED = 'WWW-Authenticate, Retry-After, Location';

/** Sets `Access-Control-Allow-Origin: *` on the route's answers, errors included. */
export const allowAnyOrigin: Middleware = async (ctx, next) => {
  ctx.set('Access-Control-Allow-Origin', '*');
  ctx.set('Access-Control-Expose-Headers', EXPOSED);
  try {
    await next();
  } finally {
    // Again: an error handler may have replaced the headers set before.
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Expose-Headers', EXPOSED);
  }
};

/**
 * Answers the preflight a browser sends before a cross-origin request with a body type or headers
 * of its own (`Content-Type: application/json`, `Authorization`, `MCP-Protocol-Version`): 204 with
 * the methods of `path` and the headers asked for, which are granted since no answer depends on
 * the caller's origin. Browsers keep it for up to `Access-Control-Max-Age` (capped at 2 h by most).
 */
export function answerPreflights(router: Router, path: string, methods: readonly string[]): void {
  const allowed = [...methods, 'OPTIONS'].join(', ');
  router.options(path, (ctx) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Allow-Methods', allowed);
    ctx.set('Allow', allowed);
    const requested = ctx.get('Access-Control-Request-Headers');
    if (requested !== '') ctx.set('Access-Control-Allow-Headers', requested);
    ctx.set('Access-Control-Max-Age', '86400');
    ctx.vary('Access-Control-Request-Headers');
    ctx.status = 204;
  });
}
