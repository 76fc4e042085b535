/**
 * The UserInfo endpoint (OIDC Core §5.3) over real HTTP: how the access token is presented and
 * judged (RFC 6750), and what the answers carry. What the claims are: userinfo-claims.test.ts.
 */
import test from 'ava';
import { createTestClock } from '../../src/testing/index.js';
import { basic } from '../koa/support/http-server.js';
import { closeUserInfoDatabase, getUserInfo, startUserInfoServer, type UserInfoServer } from './support/userinfo-server.js';

test.after.always(closeUserInfoDatabase);

async function started(t: { teardown(fn: () => Promise<void>): void }, options?: Parameters<typeof startUserInfoServer>[0]): Promise<UserInfoServer> {
  const server = await startUserInfoServer(options);
  t.teardown(() => server.close());
  return server;
}

test.serial("OIDC Core §5.3.2 — a GET with the access token in the Authorization header is answered 200 with the user's sub as JSON", async (t) => {
  const server = await started(t);
  const { status, headers, json } = await getUserInfo(server, await server.userToken('openid'));
  t.is(status, 200);
  t.regex(headers.get('content-type') ?? '', /^application\/json/);
  t.deepEqual(json, { sub: server.user.id });
});

test.serial('OIDC Core §5.3.2 — the claims are sent with Cache-Control: no-store', async (t) => {
  const server = await started(t);
  const { headers } = await getUserInfo(server, await server.userToken('openid'));
  t.is(headers.get('cache-control'), 'no-store');
});

test.serial('OIDC Core §5.3.1 — a POST may carry the access token as the access_token form parameter (RFC 6750 §2.2)', async (t) => {
  const server = await started(t);
  const accessToken = await server.userToken('openid');
  const response = await fetch(server.userinfo, { method: 'POST', body: new URLSearchParams({ access_token: accessToken }) });
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { sub: server.user.id });
});

test.serial('OIDC Core §5.3.1 — a POST may carry the access token in the Authorization header, with an empty body', async (t) => {
  const server = await started(t);
  const accessToken = await server.userToken('openid');
  const response = await fetch(server.userinfo, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { sub: server.user.id });
});

test.serial('RFC 6750 §2.3 — the access token in the query is refused 400 invalid_request unless the router allows it', async (t) => {
  const server = await started(t);
  const accessToken = await server.userToken('openid');
  const response = await fetch(`${server.userinfo}?access_token=${encodeURIComponent(accessToken)}`);
  t.is(response.status, 400);
  t.regex(response.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_request"/);
});

test.serial('RFC 6750 §2.3 — a router built with allowBearerTokensInQueryString accepts the access token in the query', async (t) => {
  const server = await started(t, { router: { allowBearerTokensInQueryString: true } });
  const accessToken = await server.userToken('openid');
  const response = await fetch(`${server.userinfo}?access_token=${encodeURIComponent(accessToken)}`);
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { sub: server.user.id });
});

test.serial('OIDC Core §5.3.3 — a request without an access token is answered 401 with a bare Bearer challenge (RFC 6750 §3.1)', async (t) => {
  const server = await started(t);
  const response = await fetch(server.userinfo);
  t.is(response.status, 401);
  t.is(response.headers.get('www-authenticate'), 'Bearer realm="oauth2"');
});

test.serial('OIDC Core §5.3.3 — an unknown access token is answered 401 with error="invalid_token" (RFC 6750 §3.1)', async (t) => {
  const server = await started(t);
  const { status, headers, json } = await getUserInfo(server, 'not-a-token-this-server-issued');
  t.is(status, 401);
  t.regex(headers.get('www-authenticate') ?? '', /^Bearer realm="oauth2", error="invalid_token"/);
  t.is(json['error'], 'invalid_token');
});

test.serial('OIDC Core §5.3.3 — a revoked access token is answered 401 invalid_token', async (t) => {
  const server = await started(t);
  const accessToken = await server.userToken('openid');
  const revoked = await fetch(`${server.origin}/auth/revoke`, {
    method: 'POST',
    headers: { authorization: basic(server.client.id, server.client.secret) },
    body: new URLSearchParams({ token: accessToken }),
  });
  t.is(revoked.status, 200);
  const { status, headers } = await getUserInfo(server, accessToken);
  t.is(status, 401);
  t.regex(headers.get('www-authenticate') ?? '', /error="invalid_token"/);
});

test.serial('OIDC Core §5.3.3 — an expired access token is answered 401 invalid_token', async (t) => {
  const clock = createTestClock();
  const server = await started(t, { provider: { now: clock.now } });
  const accessToken = await server.userToken('openid');
  clock.advance(3601);
  const { status, headers } = await getUserInfo(server, accessToken);
  t.is(status, 401);
  t.regex(headers.get('www-authenticate') ?? '', /error="invalid_token"/);
});

test.serial('OIDC Core §5.3.1 — an access token without the openid scope is answered 403 insufficient_scope naming it (RFC 6750 §3.1)', async (t) => {
  const server = await started(t);
  const { status, headers, json } = await getUserInfo(server, await server.userToken('read profile'));
  t.is(status, 403);
  t.is(json['error'], 'insufficient_scope');
  t.regex(headers.get('www-authenticate') ?? '', /error="insufficient_scope", .*scope="openid"/);
});

test.serial("OIDC Core §5.3 — a client's own access token (client credentials) names no user: 401 invalid_token", async (t) => {
  const server = await started(t);
  const { status, headers, json } = await getUserInfo(server, await server.clientToken('openid'));
  t.is(status, 401);
  t.is(json['error'], 'invalid_token');
  t.regex(headers.get('www-authenticate') ?? '', /error="invalid_token"/);
});

test.serial('RFC 8707 §2 — an access token issued for a resource server is refused 401 invalid_token: the API it was sent to cannot read the claims', async (t) => {
  const server = await started(t);
  await server.provider.resources.define({ id: 'https://api.example', name: 'API' });
  const accessToken = await server.userToken('openid email', { resource: 'https://api.example' });
  const { status, json } = await getUserInfo(server, accessToken);
  t.is(status, 401);
  t.is(json['error'], 'invalid_token');
});

test.serial('OIDC Core §5.3.3 — error answers are not cached either (Cache-Control: no-store)', async (t) => {
  const server = await started(t);
  const { headers } = await getUserInfo(server, 'not-a-token-this-server-issued');
  t.is(headers.get('cache-control'), 'no-store');
});

test.serial('Fetch CORS — the UserInfo endpoint answers any origin, and exposes the WWW-Authenticate challenge', async (t) => {
  const server = await started(t);
  const response = await fetch(server.userinfo, { headers: { origin: 'https://spa.example' } });
  t.is(response.status, 401);
  t.is(response.headers.get('access-control-allow-origin'), '*');
  t.regex(response.headers.get('access-control-expose-headers') ?? '', /WWW-Authenticate/);
});

test.serial('Fetch CORS — a preflight for the Authorization header is granted for GET and POST', async (t) => {
  const server = await started(t);
  const response = await fetch(server.userinfo, {
    method: 'OPTIONS',
    headers: { origin: 'https://spa.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });
  t.is(response.status, 204);
  t.is(response.headers.get('access-control-allow-origin'), '*');
  t.is(response.headers.get('access-control-allow-methods'), 'GET, POST, OPTIONS');
  t.is(response.headers.get('access-control-allow-headers'), 'authorization');
});

test.serial('OIDC Core §5.3 — a provider built without openid serves no UserInfo endpoint (404)', async (t) => {
  const server = await started(t, { provider: { openid: null } });
  const response = await fetch(server.userinfo, { headers: { authorization: `Bearer ${await server.userToken('openid')}` } });
  t.is(response.status, 404);
});
