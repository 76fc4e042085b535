/**
 * A protected resource that is not its authorization server (RFC 9728): one Koa application issues
 * tokens (`createOAuthRouter`, RFC 8414 metadata), another, on its own port, serves the resource
 * `/mcp`, its metadata, and answers every refusal with a challenge naming that metadata (§5.1). A
 * client that knows only the resource's URL finds the authorization server from the first 401
 * (§5), here panva's oauth4webapi, which checks each document against the URL it came for.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import Router from '@koa/router';
import test from 'ava';
import Koa from 'koa';
import * as oauth from 'oauth4webapi';
import { createGuard, OAuthProvider, ProtectedResourceMetadataError, protectedResourceMetadata, type ProtectedResource } from '../../src/core/index.js';
import { createOAuthRouter, guard, serveProtectedResourceMetadata } from '../../src/koa/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { basic, serve, type ServedApp } from './support/http-server.js';
import { serveAtOwnOrigin } from './support/own-origin.js';

/** oauth4webapi refuses plain HTTP unless told: both servers are on loopback for the test only. */
const insecure = { [oauth.allowInsecureRequests]: true } as const;

let provider: OAuthProvider;
let authorizationServer: ServedApp;
let resourceServer: ServedApp;
let mcp: ProtectedResource;
const client = { id: 'mcp-client', secret: '' };

test.before(async () => {
  provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  await provider.scopes.define('mcp:tools');
  await provider.scopes.define('mcp:admin');
  const created = await provider.clients.create({ id: client.id, name: 'MCP client', grants: ['client_credentials'], scopes: ['mcp:tools', 'mcp:admin'] });
  client.secret = created.clientSecret ?? '';

  authorizationServer = await serveAtOwnOrigin((origin) => {
    const router = createOAuthRouter({ provider, server: new OAuth2Server({ model: provider.clientModel() }), issuer: origin });
    const app = new Koa();
    app.use(router.routes()).use(router.allowedMethods());
    return app;
  });

  // The resource shares the provider's storage, as a resource server on the same database would.
  resourceServer = await serveAtOwnOrigin((origin) => {
    mcp = protectedResourceMetadata({
      resource: `${origin}/mcp`,
      authorizationServers: [authorizationServer.origin],
      scopesSupported: ['mcp:tools'],
      resourceName: 'Example MCP server',
    });
    const bearer = createGuard({ provider });
    const routes = new Router();
    routes.get('/mcp', guard(bearer, { scope: ['mcp:tools'], resourceMetadata: mcp }), (ctx) => {
      ctx.body = { client: ctx.state.oauth?.client.id };
    });
    routes.post('/mcp/admin', guard(bearer, { scope: ['mcp:admin'], resourceMetadata: mcp }), (ctx) => {
      ctx.body = { admin: true };
    });
    routes.get('/feed', guard(bearer, { passthrough: true, resourceMetadata: mcp }), (ctx) => {
      ctx.body = { client: ctx.state.oauth?.client.id ?? null };
    });
    const app = new Koa();
    app.use(serveProtectedResourceMetadata(mcp)).use(routes.routes()).use(routes.allowedMethods());
    return app;
  });
  // RFC 8707: the guard of a described resource admits only tokens issued for it.
  await provider.resources.define({ id: mcp.resource, name: 'Example MCP server', scopes: ['mcp:tools', 'mcp:admin'] });
});

test.after.always(async () => {
  await resourceServer?.close();
  await authorizationServer?.close();
});

async function token(scope: string): Promise<string> {
  const response = await fetch(`${authorizationServer.origin}/auth/token`, {
    method: 'POST',
    headers: { authorization: basic(client.id, client.secret) },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: mcp.resource }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

const resource = (path: string, init?: RequestInit) => fetch(`${resourceServer.origin}${path}`, init);
const bearer = (value: string) => ({ headers: { authorization: `Bearer ${value}` } });

test('RFC 9728 §5.1 — a request to the resource without a token gets 401 naming its metadata and the scope it needs', async (t) => {
  const response = await resource('/mcp');
  t.is(response.status, 401);
  t.is(response.headers.get('www-authenticate'), `Bearer realm="oauth2", scope="mcp:tools", resource_metadata="${mcp.metadataUrl}"`);
});

test('RFC 9728 §5.1 — an unknown token gets 401 invalid_token naming the resource metadata', async (t) => {
  const response = await resource('/mcp', bearer('x'.repeat(43)));
  t.is(response.status, 401);
  t.is(
    response.headers.get('www-authenticate'),
    `Bearer realm="oauth2", error="invalid_token", error_description="Invalid token: access token is invalid", scope="mcp:tools", resource_metadata="${mcp.metadataUrl}"`,
  );
});

test('RFC 6750 §3.1 — a token without the required scope gets 403 insufficient_scope with the scope and the resource metadata', async (t) => {
  const response = await resource('/mcp/admin', { method: 'POST', ...bearer(await token('mcp:tools')) });
  t.is(response.status, 403);
  t.is(
    response.headers.get('www-authenticate'),
    `Bearer realm="oauth2", error="insufficient_scope", error_description="Insufficient scope: authorized scope is insufficient", scope="mcp:admin", resource_metadata="${mcp.metadataUrl}"`,
  );
});

test('a valid token with the required scope reaches the resource', async (t) => {
  const response = await resource('/mcp', bearer(await token('mcp:tools')));
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { client: client.id });
});

test('RFC 9728 §5.1 — a passthrough route lets an anonymous caller in, and names the metadata to one with a bad token', async (t) => {
  t.deepEqual(await (await resource('/feed')).json(), { client: null });
  const refused = await resource('/feed', bearer('x'.repeat(43)));
  t.is(refused.status, 401);
  t.regex(refused.headers.get('www-authenticate') ?? '', /resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/);
});

test('RFC 9728 §3 — the resource serves its metadata from its own origin, and the authorization server does not', async (t) => {
  t.is(new URL(mcp.metadataUrl).origin, resourceServer.origin);
  t.is((await fetch(mcp.metadataUrl)).status, 200);
  t.is((await fetch(`${authorizationServer.origin}/.well-known/oauth-protected-resource/mcp`)).status, 404);
});

test('RFC 9728 §3.2 — the resource’s metadata names the authorization server that issues its tokens', async (t) => {
  t.deepEqual(await (await fetch(mcp.metadataUrl)).json(), {
    resource: `${resourceServer.origin}/mcp`,
    authorization_servers: [authorizationServer.origin],
    scopes_supported: ['mcp:tools'],
    bearer_methods_supported: ['header'],
    resource_name: 'Example MCP server',
  });
});

test('RFC 9728 §5 — an oauth4webapi client that knows only the resource URL goes from the 401 to the resource metadata, the authorization server metadata, a token, and the resource', async (t) => {
  const url = new URL(`${resourceServer.origin}/mcp`);

  // 1–2. A request with a token the resource does not know is answered with a challenge.
  const challenge = await t.throwsAsync(oauth.protectedResourceRequest('x'.repeat(43), 'GET', url, undefined, undefined, insecure), {
    instanceOf: oauth.WWWAuthenticateChallengeError,
  });
  const parameters = challenge?.cause[0]?.parameters;
  t.is(challenge?.cause[0]?.scheme, 'bearer');
  t.is(parameters?.resource_metadata, mcp.metadataUrl);

  // 3–5. The resource metadata, whose `resource` must be the URL the client used (§3.3).
  const resourceMetadata = await oauth.processResourceDiscoveryResponse(url, await fetch(parameters?.resource_metadata ?? ''));
  const issuer = new URL(resourceMetadata.authorization_servers?.[0] ?? '');

  // 6–7. The authorization server metadata (RFC 8414), whose `issuer` must be the one named.
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  t.is(as.token_endpoint, `${authorizationServer.origin}/auth/token`);

  // 8–9. A token for the scope the challenge named.
  const oauthClient: oauth.Client = { client_id: client.id };
  const granted = await oauth.processClientCredentialsResponse(
    as,
    oauthClient,
    await oauth.clientCredentialsGrantRequest(as, oauthClient, oauth.ClientSecretBasic(client.secret), { scope: parameters?.scope ?? '', resource: mcp.resource }, insecure),
  );

  // 10–11. The resource, with that token.
  const answer = await oauth.protectedResourceRequest(granted.access_token, 'GET', url, undefined, undefined, insecure);
  t.is(answer.status, 200);
  t.deepEqual(await answer.json(), { client: client.id });
});

test('RFC 9728 §3.1 — a client that derives the well-known URL itself (oauth4webapi) gets the same document the challenge names', async (t) => {
  const url = new URL(`${resourceServer.origin}/mcp`);
  const derived = await oauth.processResourceDiscoveryResponse(url, await oauth.resourceDiscoveryRequest(url, insecure));
  t.deepEqual(derived, await (await fetch(mcp.metadataUrl)).json());
});

test('RFC 9728 §5.1 — router.guard() takes resourceMetadata too, for a resource served by the authorization server’s own app', async (t) => {
  const described = protectedResourceMetadata({ resource: 'https://auth.example.com/api', authorizationServers: ['https://auth.example.com'] });
  const router = createOAuthRouter({ provider, server: new OAuth2Server({ model: provider.clientModel() }), issuer: 'https://auth.example.com' });
  const api = new Router().get('/api', router.guard({ resourceMetadata: described }), (ctx) => {
    ctx.body = 'ok';
  });
  const app = new Koa();
  app.use(router.routes()).use(api.routes());
  const served = await serve(app);
  try {
    const response = await fetch(`${served.origin}/api`);
    t.is(response.headers.get('www-authenticate'), `Bearer realm="oauth2", resource_metadata="${described.metadataUrl}"`);
  } finally {
    await served.close();
  }
});

test('RFC 9728 §5.1 — guard() refuses a resourceMetadata it could not name, when it is built', (t) => {
  const error = t.throws(() => guard(createGuard({ provider }), { resourceMetadata: '/.well-known/oauth-protected-resource/mcp' }), {
    instanceOf: ProtectedResourceMetadataError,
  });
  t.is(error?.code, 'invalid_resource_metadata');
});
