/** The revocation endpoint (RFC 7009), end to end. */
import test from 'ava';
import { basic } from './support/http-server.js';
import { postTo, startE2eServer, type E2eFixture } from './support/oauth-server.js';

let server: E2eFixture;

test.before(async () => {
  server = await startE2eServer();
});

test.after.always(() => server.close());

const clientAuth = () => basic(server.confidential.id, server.confidential.secret);

async function userTokens(): Promise<{ access_token: string; refresh_token: string }> {
  const { json } = await postTo(
    server.endpoint('token'),
    { grant_type: 'password', username: server.user.username, password: server.user.password },
    { authorization: clientAuth() },
  );
  return json as { access_token: string; refresh_token: string };
}

test('RFC 7009 §2.2 — revoking an access token answers 200 with an empty body, and the token stops working', async (t) => {
  const { access_token } = await userTokens();
  const response = await fetch(server.endpoint('revoke'), {
    method: 'POST',
    headers: { authorization: clientAuth() },
    body: new URLSearchParams({ token: access_token, token_type_hint: 'access_token' }),
  });
  t.is(response.status, 200);
  t.is(await response.text(), '');
  const after = await fetch(`${server.origin}/api/me`, { headers: { authorization: `Bearer ${access_token}` } });
  t.is(after.status, 401);
});

test('RFC 7009 §2.1 — revoking a refresh token stops it from being exchanged', async (t) => {
  const { refresh_token } = await userTokens();
  t.is((await postTo(server.endpoint('revoke'), { token: refresh_token }, { authorization: clientAuth() })).status, 200);
  const exchange = await postTo(server.endpoint('token'), { grant_type: 'refresh_token', refresh_token }, {
    authorization: clientAuth(),
  });
  t.is(exchange.status, 400);
  t.is(exchange.json.error, 'invalid_grant');
});

test('RFC 7009 §2.2 — revoking an unknown token answers 200 all the same', async (t) => {
  const { status } = await postTo(server.endpoint('revoke'), { token: 'x'.repeat(43) }, { authorization: clientAuth() });
  t.is(status, 200);
});

test('revocation accepts client credentials in the body and a JSON body', async (t) => {
  const { access_token } = await userTokens();
  const { status } = await postTo(
    server.endpoint('revoke'),
    { token: access_token, client_id: server.confidential.id, client_secret: server.confidential.secret },
    { json: true },
  );
  t.is(status, 200);
});

test('RFC 6749 §5.2 — revocation with a wrong client secret is refused 401 invalid_client with a Basic challenge', async (t) => {
  const { access_token } = await userTokens();
  const { status, json, headers } = await postTo(server.endpoint('revoke'), { token: access_token }, {
    authorization: basic(server.confidential.id, 'wrong'),
  });
  t.is(status, 401);
  t.is(json.error, 'invalid_client');
  t.regex(headers.get('www-authenticate') ?? '', /^Basic /);
});

test('RFC 7009 §2.1 — revocation without a token parameter is refused 400 invalid_request', async (t) => {
  const { status, json } = await postTo(server.endpoint('revoke'), {}, { authorization: clientAuth() });
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
});

test("RFC 7009 §2.1 — a client cannot revoke another client's token", async (t) => {
  const { access_token } = await userTokens();
  await postTo(server.endpoint('revoke'), { token: access_token, client_id: server.public.id });
  const after = await fetch(`${server.origin}/api/me`, { headers: { authorization: `Bearer ${access_token}` } });
  t.is(after.status, 200);
});
