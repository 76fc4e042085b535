/** Every grant of the token endpoint, end to end over HTTP on a real provider and database. */
import { createHash, randomBytes } from 'node:crypto';
import test from 'ava';
import { createAuthorizationEndpoint } from '../../src/core/index.js';
import { basic } from './support/http-server.js';
import { postTo, REDIRECT_URI, startE2eServer, type E2eFixture } from './support/oauth-server.js';

let server: E2eFixture;

test.before(async () => {
  server = await startE2eServer();
});

test.after.always(() => server.close());

const clientAuth = () => basic(server.confidential.id, server.confidential.secret);

test('RFC 6749 §4.4 — client_credentials with HTTP Basic client authentication issues a bearer access token', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials', scope: 'read' }, {
    authorization: clientAuth(),
  });
  t.is(status, 200);
  t.is(json.token_type, 'Bearer');
  t.is(typeof json.access_token, 'string');
  t.true(json.access_token.length >= 43, 'at least 256 bits');
  t.is(json.scope, 'read');
  t.false('refresh_token' in json, 'RFC 6749 §4.4.3: no refresh token for client_credentials');
});

test('RFC 6749 §2.3.1 — client_credentials with client credentials in the body issues a token', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), {
    grant_type: 'client_credentials',
    client_id: server.confidential.id,
    client_secret: server.confidential.secret,
  });
  t.is(status, 200);
  t.is(typeof json.access_token, 'string');
});

test('RFC 6749 §5.1 — token responses are sent with Cache-Control: no-store and Pragma: no-cache', async (t) => {
  const { headers } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials' }, { authorization: clientAuth() });
  t.is(headers.get('cache-control'), 'no-store');
  t.is(headers.get('pragma'), 'no-cache');
  t.regex(headers.get('content-type') ?? '', /^application\/json/);
});

test('a JSON body is accepted by the token endpoint like a form', async (t) => {
  const { status, json } = await postTo(
    server.endpoint('token'),
    { grant_type: 'client_credentials', client_id: server.confidential.id, client_secret: server.confidential.secret },
    { json: true },
  );
  t.is(status, 200);
  t.is(json.token_type, 'Bearer');
});

test('RFC 6749 §4.3 — password issues an access token and a refresh token for the user', async (t) => {
  const { status, json } = await postTo(
    server.endpoint('token'),
    { grant_type: 'password', username: server.user.username, password: server.user.password, scope: 'read write' },
    { authorization: clientAuth() },
  );
  t.is(status, 200);
  t.is(typeof json.access_token, 'string');
  t.is(typeof json.refresh_token, 'string');
  t.is(json.scope, 'read write');
  t.true(Number.isInteger(json.expires_in) && json.expires_in > 0);
});

test('RFC 6749 §6 — refresh_token exchanges a refresh token for new tokens', async (t) => {
  const first = await postTo(
    server.endpoint('token'),
    { grant_type: 'password', username: server.user.username, password: server.user.password },
    { authorization: clientAuth() },
  );
  const { status, json } = await postTo(
    server.endpoint('token'),
    { grant_type: 'refresh_token', refresh_token: first.json.refresh_token },
    { authorization: clientAuth() },
  );
  t.is(status, 200);
  t.is(typeof json.access_token, 'string');
  t.not(json.access_token, first.json.access_token);
  t.not(json.refresh_token, first.json.refresh_token);
});

test('RFC 9700 §4.14.2 — a rotated refresh token is refused when presented again', async (t) => {
  const first = await postTo(
    server.endpoint('token'),
    { grant_type: 'password', username: server.user.username, password: server.user.password },
    { authorization: clientAuth() },
  );
  const refresh = { grant_type: 'refresh_token', refresh_token: first.json.refresh_token };
  t.is((await postTo(server.endpoint('token'), refresh, { authorization: clientAuth() })).status, 200);
  const replay = await postTo(server.endpoint('token'), refresh, { authorization: clientAuth() });
  t.is(replay.status, 400);
  t.is(replay.json.error, 'invalid_grant');
});

/** PKCE pair (RFC 7636 §4.1–4.2, S256). */
function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

async function issueCode(clientId: string, challenge: string): Promise<string> {
  const endpoint = createAuthorizationEndpoint({ provider: server.provider });
  const check = await endpoint.validate({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'read',
    state: 'st',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  if (!check.ok) throw new Error(`authorization request refused: ${check.error}`);
  const { redirectTo } = await endpoint.approve(check.request, { id: server.user.id });
  const code = new URL(redirectTo).searchParams.get('code');
  if (code === null) throw new Error('no code issued');
  return code;
}

test('RFC 6749 §4.1.3 — authorization_code with PKCE issues tokens to a public client identified by client_id', async (t) => {
  const { verifier, challenge } = pkcePair();
  const code = await issueCode(server.public.id, challenge);
  const { status, json } = await postTo(server.endpoint('token'), {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: server.public.id,
    code_verifier: verifier,
  });
  t.is(status, 200);
  t.is(typeof json.access_token, 'string');
  t.is(json.scope, 'read');
});

test('RFC 7636 §4.6 — authorization_code with a wrong code_verifier is refused with invalid_grant', async (t) => {
  const { challenge } = pkcePair();
  const code = await issueCode(server.public.id, challenge);
  const { status, json } = await postTo(server.endpoint('token'), {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: server.public.id,
    code_verifier: pkcePair().verifier,
  });
  t.is(status, 400);
  t.is(json.error, 'invalid_grant');
});

test('RFC 6749 §4.1.2 — an authorization code is refused the second time it is exchanged', async (t) => {
  const { verifier, challenge } = pkcePair();
  const code = await issueCode(server.confidential.id, challenge);
  const exchange = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
  t.is((await postTo(server.endpoint('token'), exchange, { authorization: clientAuth() })).status, 200);
  const replay = await postTo(server.endpoint('token'), exchange, { authorization: clientAuth() });
  t.is(replay.status, 400);
  t.is(replay.json.error, 'invalid_grant');
});
