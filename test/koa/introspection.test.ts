/** The introspection endpoint (RFC 7662), end to end. */
import test from 'ava';
import { basic } from './support/http-server.js';
import { postTo, startE2eServer, type E2eFixture } from './support/oauth-server.js';

let server: E2eFixture;

test.before(async () => {
  server = await startE2eServer();
});

test.after.always(() => server.close());

const clientAuth = () => basic(server.confidential.id, server.confidential.secret);

async function userToken(scope = 'read'): Promise<string> {
  const { json } = await postTo(
    server.endpoint('token'),
    { grant_type: 'password', username: server.user.username, password: server.user.password, scope },
    { authorization: clientAuth() },
  );
  return json.access_token as string;
}

test('RFC 7662 §2.2 — an active token is described: active, scope, client_id, username, sub, exp', async (t) => {
  const token = await userToken('read write');
  const { status, json, headers } = await postTo(server.endpoint('introspect'), { token }, { authorization: clientAuth() });
  t.is(status, 200);
  t.is(json.active, true);
  t.is(json.scope, 'read write');
  t.is(json.client_id, server.confidential.id);
  t.is(json.username, server.user.username);
  t.is(json.sub, server.user.id);
  t.true(json.exp > json.iat);
  t.is(headers.get('cache-control'), 'no-store');
});

test('RFC 7662 §2.2 — a revoked token is described only as inactive', async (t) => {
  const token = await userToken();
  await postTo(server.endpoint('revoke'), { token }, { authorization: clientAuth() });
  const { status, json } = await postTo(server.endpoint('introspect'), { token }, { authorization: clientAuth() });
  t.is(status, 200);
  t.deepEqual(json, { active: false });
});

test('RFC 7662 §2.2 — an unknown token is described only as inactive', async (t) => {
  const { json } = await postTo(server.endpoint('introspect'), { token: 'x'.repeat(43) }, { authorization: clientAuth() });
  t.deepEqual(json, { active: false });
});

test('introspection accepts client credentials in a JSON body', async (t) => {
  const token = await userToken();
  const { json } = await postTo(
    server.endpoint('introspect'),
    { token, client_id: server.confidential.id, client_secret: server.confidential.secret },
    { json: true },
  );
  t.is(json.active, true);
});

test('RFC 7662 §2.1 — introspection by a public client is refused 401 invalid_client', async (t) => {
  const token = await userToken();
  const { status, json } = await postTo(server.endpoint('introspect'), { token, client_id: server.public.id });
  t.is(status, 401);
  t.is(json.error, 'invalid_client');
});

test('RFC 7662 §2.3 — introspection with a wrong secret is refused 401 invalid_client with a Basic challenge', async (t) => {
  const token = await userToken();
  const { status, headers } = await postTo(server.endpoint('introspect'), { token }, {
    authorization: basic(server.confidential.id, 'wrong'),
  });
  t.is(status, 401);
  t.regex(headers.get('www-authenticate') ?? '', /^Basic /);
});
