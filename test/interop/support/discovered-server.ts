/**
 * The authorization server the interop tests talk to: a router served on a free loopback port,
 * and its metadata as oauth4webapi discovers it (RFC 8414), over plain HTTP, which oauth4webapi
 * refuses unless told: the server is on loopback for the test only.
 */
import Koa from 'koa';
import * as oauth from 'oauth4webapi';
import type { createOAuthRouter } from '../../../src/koa/index.js';
import { serve, type ServedApp } from '../../koa/support/http-server.js';

/** oauth4webapi's option allowing plain HTTP, for every request of an interop test. */
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** `router` served, and the authorization server metadata discovered from it. */
export async function serveAndDiscover(router: ReturnType<typeof createOAuthRouter>): Promise<{ served: ServedApp; as: oauth.AuthorizationServer }> {
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  const served = await serve(app);
  const issuer = new URL(served.origin);
  return { served, as: await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure })) };
}
