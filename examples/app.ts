/**
 * The example authorization server, shared by both examples (they differ only in the provider they
 * build): the OAuth routes under `/auth`, the library's sign-in/consent page for the authorization
 * endpoint, the demo API (`GET /api/me`, `GET /api/admin` with scope `admin`), the demo MCP server at
 * `/mcp` and the reports API, each bound to its resource with its metadata (RFC 9728), and one log line
 * per request.
 */
import Router from '@koa/router';
import OAuth2Server from '@node-oauth/oauth2-server';
import Koa from 'koa';
import {
  createAuthController,
  createClientRegistrationEndpoint,
  createGuard,
  createJwksEndpoint,
  createOpenIdDiscovery,
  createUserInfoEndpoint,
  offersDynamicRegistration,
  offersOpenIdConnect,
  type OAuthProvider,
} from 'oauth2-kit';
import { authorizationPage, createOAuthRouter, endSessionPage, guard, jwtGuard, serveProtectedResourceMetadata } from 'oauth2-kit/koa';
import { demoCallback, demoSignedOut } from './demo-callback.js';
import { demoMcpServer } from './demo-mcp-server.js';
import { demoResources, MCP_SCOPE, type DemoResources } from './demo-resources.js';
import { mcpEndpoint } from './koa-mcp.js';
import { describeError, type JsonLog } from './json-log.js';
import { requestLog } from './request-log.js';

/** What the example app is built from. */
export interface ExampleAppOptions {
  provider: OAuthProvider;
  log: JsonLog;
  /**
   * Key of the sign-in form's CSRF tokens (≥ 32 bytes), shared by every process behind one
   * address; without it each process makes its own, and a form shown by one is refused by another.
   */
  csrfSecret?: string;
  /** The issuer identifier (RFC 8414 §2) the metadata announces and `iss` carries (RFC 9207). */
  issuer: string;
  /** Accept `?access_token=` at the demo API (RFC 6750 §2.3 discourages it). Default false. */
  allowQueryAccessToken?: boolean;
  /** The MCP server and the reports API. Default: `demoResources(issuer)`. */
  resources?: DemoResources;
}

/** The Koa application, ready for `http.createServer(app.callback())`. */
export function createExampleApp({ provider, log, csrfSecret, issuer, allowQueryAccessToken = false, resources = demoResources(issuer) }: ExampleAppOptions): Koa {
  const server = new OAuth2Server({
    model: provider.userModel(provider.users.getUser, provider.users.login),
    // Public clients refresh with their client_id alone; confidential ones must still authenticate
    // (the model refuses them otherwise). Plain PKCE is offered only to clients registered for it.
    requireClientAuthentication: { refresh_token: false },
    enablePlainPKCE: true,
  } as OAuth2Server.ServerOptions);
  // Failures that are not protocol errors (database down, bugs): logged by kind, never by message,
  // which for driver errors can quote bound parameters.
  const onError = (error: unknown) => log.error('oauth_failure', describeError(error));
  const authController = createAuthController({ server, provider, onError });
  // ?access_token= (RFC 6750 §2.3) only when asked for; the request log never records query
  // strings, so such a token does not end up in the logs.
  const bearer = createGuard({ provider, allowBearerTokensInQueryString: allowQueryAccessToken, onError });

  const app = new Koa();
  app.on('error', (error: unknown, ctx?: Koa.Context) => {
    log.error('request_failed', { ...describeError(error), ...(ctx ? { method: ctx.method, path: ctx.path } : {}) });
  });
  app.use(requestLog(log));
  app.use(serveProtectedResourceMetadata(resources.mcp));
  app.use(serveProtectedResourceMetadata(resources.reports));

  const oauthRoutes = createOAuthRouter({
    // Explicit: an issuer taken from the Host header is whatever the client says it is.
    issuer,
    authController,
    // RFC 7591 registration and the JWT signing keys, when the provider offers them.
    registration: offersDynamicRegistration(provider) ? createClientRegistrationEndpoint({ provider, onError }) : undefined,
    jwks: provider.keys.canSign ? createJwksEndpoint({ provider, onError }) : undefined,
    authorize: authorizationPage({ provider, csrfSecret }),
    // OpenID Connect (the provider's `openid` option): UserInfo, discovery and RP-initiated logout.
    ...(offersOpenIdConnect(provider)
      ? {
          userinfo: createUserInfoEndpoint({ provider, onError }),
          openIdDiscovery: createOpenIdDiscovery({ provider }),
          endSession: endSessionPage({ provider, csrfSecret }),
        }
      : {}),
    scopesSupported: ['read', 'admin', 'openid', 'profile', MCP_SCOPE],
  });
  app.use(oauthRoutes.routes()).use(oauthRoutes.allowedMethods());

  const api = new Router();
  // Bound to no resource: only tokens asked for none pass (RFC 8707 §2), as the banner's commands
  // ask; a token issued for the MCP server or the reports API is refused here, 401 invalid_token.
  api.get('/api/me', guard(bearer), (ctx) => {
    const oauth = ctx.state.oauth!;
    // The token's facts, never the token itself.
    ctx.body = {
      client: oauth.client,
      user: oauth.user === null ? null : { id: oauth.user.id, username: oauth.user.username ?? null },
      scope: oauth.scope,
      expiresAt: oauth.token.accessTokenExpiresAt.toISOString(),
    };
  });
  api.get('/api/admin', guard(bearer, { scope: ['admin'] }), (ctx) => {
    const oauth = ctx.state.oauth!;
    ctx.body = { message: 'admin scope granted', client: oauth.client.id, user: oauth.user?.id ?? null };
  });
  // The MCP server verifies its JWT access tokens (RFC 9068) itself, with the keys the issuer
  // publishes, as it would running on another machine: only tokens issued for it (RFC 8707), with
  // its scope. Its 401s name its metadata (RFC 9728 §5.1).
  const mcpToken = jwtGuard({ issuer, resourceMetadata: resources.mcp, onError });
  api.all(
    '/mcp',
    mcpToken({ scope: [MCP_SCOPE] }),
    mcpEndpoint((ctx) => demoMcpServer(ctx.state.oauth!), { allowedHosts: [new URL(resources.mcp.resource).host] }),
  );
  // Another resource: a token issued for the MCP server is refused here, 401 invalid_token.
  api.get('/api/reports', guard(bearer, { resourceMetadata: resources.reports }), (ctx) => {
    const oauth = ctx.state.oauth!;
    ctx.body = { reports: [], client: oauth.client.id, audience: oauth.audience };
  });
  api.get('/demo/callback', demoCallback());
  api.get('/demo/signed-out', demoSignedOut());
  api.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  app.use(api.routes()).use(api.allowedMethods());
  return app;
}
