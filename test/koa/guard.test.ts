/**
 * Bearer-token protection of API routes (RFC 6750) through `router.guard()`, end to end with
 * tokens issued by the token endpoint.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import test from 'ava';
import type { OAuthGuardResult } from '../../src/core/index.js';
import { basic, getWithHeaders } from './support/http-server.js';
import { postTo, startE2eServer, type E2eFixture } from './support/oauth-server.js';

let server: E2eFixture;

test.before(async () => {
  server = await startE2eServer();
});

test.after.always(() => server.close());

async function userToken(scope: string): Promise<string> {
  const { json } = await postTo(
    server.endpoint('token'),
    { grant_type: 'password', username: server.user.username, password: server.user.password, scope },
    { authorization: basic(server.confidential.id, server.confidential.secret) },
  );
  return json.access_token as string;
}

async function clientToken(): Promise<string> {
  const { json } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials', scope: 'read' }, {
    authorization: basic(server.confidential.id, server.confidential.secret),
  });
  return json.access_token as string;
}

const api = (path: string) => `${server.origin}/api${path}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('a valid user token reaches the route with ctx.state.oauth describing it', async (t) => {
  const response = await fetch(api('/me'), { headers: bearer(await userToken('read')) });
  t.is(response.status, 200);
  const { oauth } = (await response.json()) as { oauth: OAuthGuardResult };
  t.is(oauth.client.id, server.confidential.id);
  t.is(oauth.client.name, 'Service');
  t.is(oauth.user?.id, server.user.id);
  t.deepEqual(oauth.scope, ['read']);
  t.is(typeof oauth.token.id, 'string');
});

test('a client_credentials token reaches the route with a null user', async (t) => {
  const response = await fetch(api('/me'), { headers: bearer(await clientToken()) });
  t.is(response.status, 200);
  t.is(((await response.json()) as { oauth: OAuthGuardResult }).oauth.user, null);
});

test('RFC 6750 §3.1 — a request without a token is refused 401 with a bare Bearer challenge', async (t) => {
  const response = await fetch(api('/me'));
  t.is(response.status, 401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  t.regex(challenge, /^Bearer realm="[^"]+"$/);
});

test('RFC 6750 §3.1 — an unknown token is refused 401 invalid_token with a Bearer challenge', async (t) => {
  const response = await fetch(api('/me'), { headers: bearer('x'.repeat(43)) });
  t.is(response.status, 401);
  t.regex(response.headers.get('www-authenticate') ?? '', /^Bearer realm="[^"]+", error="invalid_token"/);
});

test('RFC 6750 §3.1 — a token without the required scope is refused 403 insufficient_scope naming the scope', async (t) => {
  const response = await fetch(api('/notes'), { method: 'POST', headers: bearer(await userToken('read')) });
  t.is(response.status, 403);
  const challenge = response.headers.get('www-authenticate') ?? '';
  t.regex(challenge, /error="insufficient_scope"/);
  t.regex(challenge, /scope="write"/);
  t.is(((await response.json()) as { error: string }).error, 'insufficient_scope');
});

test('a token with the required scope passes the scoped guard', async (t) => {
  const response = await fetch(api('/notes'), { method: 'POST', headers: bearer(await userToken('read write')) });
  t.is(response.status, 200);
});

test('a passthrough route serves a caller without a token anonymously', async (t) => {
  const response = await fetch(api('/feed'));
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { oauth: null });
});

test('a passthrough route serves a caller with a valid token as authenticated', async (t) => {
  const response = await fetch(api('/feed'), { headers: bearer(await userToken('read')) });
  t.is(((await response.json()) as { oauth: OAuthGuardResult }).oauth.user?.id, server.user.id);
});

test('a passthrough route still refuses a caller presenting an invalid token', async (t) => {
  const response = await fetch(api('/feed'), { headers: bearer('x'.repeat(43)) });
  t.is(response.status, 401);
});

test('RFC 9110 §11.1 — the Bearer scheme is case-insensitive: bearer and BEARER reach the route like Bearer', async (t) => {
  const token = await userToken('read');
  for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
    const response = await fetch(api('/me'), { headers: { authorization: `${scheme} ${token}` } });
    t.is(response.status, 200, scheme);
  }
});

test('RFC 6750 §3.1 — an Authorization header of another scheme is refused 401 with a bare Bearer challenge, no error code', async (t) => {
  for (const authorization of ['Basic dXNlcjpwYXNz', 'Digest username="u", realm="r", nonce="n", uri="/", response="x"']) {
    const response = await fetch(api('/me'), { headers: { authorization } });
    t.is(response.status, 401, authorization);
    t.regex(response.headers.get('www-authenticate') ?? '', /^Bearer realm="[^"]+"$/, authorization);
    t.is(await response.text(), '', authorization);
  }
});

test('RFC 6750 §3.1 — a Bearer header with a malformed token is still refused 400 invalid_request', async (t) => {
  const response = await fetch(api('/me'), { headers: { authorization: 'bearer not!a!token' } });
  t.is(response.status, 400);
  t.regex(response.headers.get('www-authenticate') ?? '', /^Bearer realm="[^"]+", error="invalid_request"/);
});

test('RFC 6750 §3.1 — a passthrough route serves a caller with only a Basic Authorization header anonymously', async (t) => {
  const response = await fetch(api('/feed'), { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { oauth: null });
});

test('RFC 6750 §2.3 — a bearer token in the query string is refused by default', async (t) => {
  const token = await userToken('read');
  const response = await fetch(api(`/me?access_token=${token}`));
  t.is(response.status, 400);
  t.is(((await response.json()) as { error: string }).error, 'invalid_request');
});

test('RFC 6750 §2 — a token presented twice (header and query) is refused 400 invalid_request', async (t) => {
  const token = await userToken('read');
  const response = await fetch(api(`/me?access_token=${token}`), { headers: bearer(token) });
  t.is(response.status, 400);
});

test('RFC 6750 §3.1 — a revoked token is refused 401 invalid_token', async (t) => {
  const token = await userToken('read');
  const revoked = await postTo(server.endpoint('revoke'), { token }, {
    authorization: basic(server.confidential.id, server.confidential.secret),
  });
  t.is(revoked.status, 200);
  const response = await fetch(api('/me'), { headers: bearer(token) });
  t.is(response.status, 401);
  t.regex(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
});

test('RFC 6750 §3.1 — a repeated Authorization header is refused 400 invalid_request, whichever token it carries', async (t) => {
  const token = await userToken('read');
  // Node sends an array value as one header line per element; its types only admit that for some headers.
  const repeated = { authorization: [`Bearer ${token}`, 'Bearer forged'] } as unknown as OutgoingHttpHeaders;
  const { status } = await getWithHeaders(api('/me'), repeated);
  t.is(status, 400);
});
