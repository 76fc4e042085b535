/**
 * How the token endpoint refuses requests, end to end: 400 for request and grant errors, 401 with
 * a challenge for client authentication failures (RFC 6749 §5.2), always JSON and `no-store`.
 */
import test from 'ava';
import { basic } from './support/http-server.js';
import { postTo, startE2eServer, type E2eFixture } from './support/oauth-server.js';

let server: E2eFixture;

test.before(async () => {
  server = await startE2eServer();
});

test.after.always(() => server.close());

const clientAuth = () => basic(server.confidential.id, server.confidential.secret);
const passwordGrant = () => ({ grant_type: 'password', username: server.user.username, password: server.user.password });

test('RFC 6749 §5.2 — a request without grant_type is refused 400 invalid_request', async (t) => {
  const { status, json, headers } = await postTo(server.endpoint('token'), { scope: 'read' }, { authorization: clientAuth() });
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
  t.is(headers.get('cache-control'), 'no-store');
});

test('RFC 6749 §5.2 — an unknown grant_type is refused 400 unsupported_grant_type', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), { grant_type: 'urn:example:magic' }, { authorization: clientAuth() });
  t.is(status, 400);
  t.is(json.error, 'unsupported_grant_type');
});

test('RFC 6749 §3.2 — a repeated parameter is refused 400 invalid_request', async (t) => {
  const { status, json } = await postTo(
    server.endpoint('token'),
    [['grant_type', 'client_credentials'], ['scope', 'read'], ['scope', 'write']],
    { authorization: clientAuth() },
  );
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
});

test('RFC 6749 §3.2 — a repeated parameter in a JSON body is refused 400 invalid_request', async (t) => {
  const response = await fetch(server.endpoint('token'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: clientAuth() },
    body: JSON.stringify({ grant_type: ['client_credentials', 'password'] }),
  });
  t.is(response.status, 400);
  t.is(((await response.json()) as { error: string }).error, 'invalid_request');
});

test('RFC 6749 §5.2 — a wrong password is refused 400 invalid_grant', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), { ...passwordGrant(), password: 'wrong' }, {
    authorization: clientAuth(),
  });
  t.is(status, 400);
  t.is(json.error, 'invalid_grant');
});

test('RFC 6749 §5.2 — an unknown refresh token is refused 400 invalid_grant', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), { grant_type: 'refresh_token', refresh_token: 'x'.repeat(43) }, {
    authorization: clientAuth(),
  });
  t.is(status, 400);
  t.is(json.error, 'invalid_grant');
});

test('RFC 6749 §5.2 — a scope the client may not have is refused 400 invalid_scope', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials', scope: 'admin' }, {
    authorization: clientAuth(),
  });
  t.is(status, 400);
  t.is(json.error, 'invalid_scope');
});

test('RFC 6749 §5.2 — a wrong secret over HTTP Basic is refused 401 invalid_client with a Basic challenge', async (t) => {
  const { status, json, headers } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials' }, {
    authorization: basic(server.confidential.id, 'not-the-secret'),
  });
  t.is(status, 401);
  t.is(json.error, 'invalid_client');
  t.regex(headers.get('www-authenticate') ?? '', /^Basic realm="[^"]+"$/);
});

test('RFC 6749 §5.2 — a wrong secret in the body is refused 401 invalid_client', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), {
    grant_type: 'client_credentials',
    client_id: server.confidential.id,
    client_secret: 'not-the-secret',
  });
  t.is(status, 401);
  t.is(json.error, 'invalid_client');
});

test('RFC 6749 §5.2 — an unknown client is refused 401 invalid_client', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials' }, {
    authorization: basic('nobody', 'whatever'),
  });
  t.is(status, 401);
  t.is(json.error, 'invalid_client');
});

test('RFC 6749 §5.2 — a request without client authentication is refused 401 invalid_client', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), passwordGrant());
  t.is(status, 401);
  t.is(json.error, 'invalid_client');
});

test('a refusal never echoes the secret that was presented', async (t) => {
  const secret = 'very-secret-value-0123456789';
  const response = await fetch(server.endpoint('token'), {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: server.confidential.id, client_secret: secret }),
  });
  t.false((await response.text()).includes(secret));
});
