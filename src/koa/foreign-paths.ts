import type Router from '@koa/router';
import type { Middleware } from 'koa';

/**
 * Lets requests for paths none of `router`'s routes can match go straight on, without the router:
 * `@koa/router` tests every route's pattern against every request that reaches it and emits a
 * not-found event for each one that misses, some microseconds that every request to the
 * application's own routes, mounted after the OAuth router, would otherwise pay for nothing
 * (measured: ≈ 5 µs a request, against ≈ 0.1 µs for this test). The test is against the literal
 * beginning of each route's path (up to its first parameter, wildcard or group), so it can only
 * let through requests the router would not have matched, whatever routes it holds: those it was
 * built with and any the application adds later, prefixes included. `routes()` and `middleware()`
 * return the same middleware, which keeps its `router` property, so that mounting this router
 * inside another (`parent.use(oauth.routes())`) still copies its routes.
 */
export function skipForeignPaths(router: Router): void {
  const dispatch = router.middleware() as unknown as Middleware;
  // What the test depends on: the routes, changed only by adding one or by `router.prefix()`.
  let routes = -1;
  let prefix: unknown;
  let beginning: RegExp | null = null;
  const skipping: Middleware = (ctx, next) => {
    if (router.stack.length !== routes || router.opts.prefix !== prefix) {
      routes = router.stack.length;
      prefix = router.opts.prefix;
      beginning = beginningsOf(router);
    }
    if (beginning === null || ctx['routerPath'] || ctx['newRouterPath']) return dispatch(ctx, next);
    return beginning.test(ctx.path) ? dispatch(ctx, next) : next();
  };
  Object.assign(skipping, { router: (dispatch as { router?: unknown }).router });
  const middleware = (() => skipping) as unknown as Router['middleware'];
  router.routes = middleware;
  router.middleware = middleware;
}

/**
 * A pattern matching the beginning every route's path must have, or null when some route could
 * match anything (a RegExp path, a host-bound router, a router-wide path option): then every
 * request goes to the router.
 */
function beginningsOf(router: Router): RegExp | null {
  const options = router.opts as { host?: unknown; routerPath?: unknown; sensitive?: boolean };
  if (options.host !== undefined || options.routerPath !== undefined) return null;
  const beginnings = new Set<string>();
  for (const layer of router.stack) {
    if (typeof layer.path !== 'string') return null;
    const literal = /^[^:*{}()?+!\\]*/.exec(layer.path)?.[0] ?? '';
    if (literal === '' || literal === '/') return null;
    beginnings.add(literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  }
  if (beginnings.size === 0) return null;
  // @koa/router matches paths case-insensitively unless `sensitive` is set.
  return new RegExp(`^(?:${[...beginnings].join('|')})`, options.sensitive === true ? '' : 'i');
}
