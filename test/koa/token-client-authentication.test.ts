/**
 * How the token endpoint reads what a client sends, end to end over HTTP: HTTP Basic credentials
 * form-urlencoded-decoded (RFC 6749 §2.3.1), one client authentication method per request (§2.3),
 * and the code grant's `redirect_uri` from the body only, compared as the grant requires
 * (§3.2, §4.1.3, §5.2).
 */
import { createHash, randomBytes } from 'node:crypto';
import test from 'ava';
import { createAuthorizationEndpoint } from '../../src/core/index.js';
import { basic } from './support/http-server.js';
import { postTo, REDIRECT_URI, startE2eServer, type E2eFixture } from './support/oauth-server.js';

let server: E2eFixture;
/** A confidential client whose id has every unreserved character that is not a letter or digit. */
let punctuated: { id: string; secret: string };

test.before(async () => {
  server = await startE2eServer();
  const created = await server.provider.clients.create({
    id: 'billing-api.v2_eu~1',
    name: 'Billing',
    grants: ['client_credentials'],
    scopes: ['read'],
    defaultScopes: ['read'],
  });
  punctuated = { id: created.client.id, secret: created.clientSecret ?? '' };
});

test.after.always(() => server.close());

/** Basic as RFC 6749 §2.3.1 and panva's oauth4webapi send it: every character but [A-Za-z0-9] escaped. */
function strictBasic(clientId: string, secret: string): string {
  const encode = (value: string) =>
    encodeURIComponent(value).replace(/[-_.!~*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

const rawBasic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

/** A code for the confidential client, issued for REDIRECT_URI with PKCE. */
async function issueCode(): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const endpoint = createAuthorizationEndpoint({ provider: server.provider });
  const check = await endpoint.validate({
    response_type: 'code',
    client_id: server.confidential.id,
    redirect_uri: REDIRECT_URI,
    scope: 'read',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  if (!check.ok) throw new Error(`authorization request refused: ${check.error}`);
  const { redirectTo } = await endpoint.approve(check.request, { id: server.user.id });
  return { code: new URL(redirectTo).searchParams.get('code') ?? '', verifier };
}

const confidentialBasic = () => basic(server.confidential.id, server.confidential.secret);

test('RFC 6749 §2.3.1 — Basic credentials are form-urlencoded-decoded: an id with - . _ ~ sent escaped gets a token', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials' }, {
    authorization: strictBasic(punctuated.id, punctuated.secret),
  });
  t.is(status, 200);
  t.is(json.token_type, 'Bearer');
});

test('RFC 6749 §2.3.1 — Basic credentials sent unescaped (no % or +) still authenticate as before', async (t) => {
  const { status } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials' }, {
    authorization: rawBasic(`${punctuated.id}:${punctuated.secret}`),
  });
  t.is(status, 200);
});

test('RFC 6749 §2.3.1 — a malformed percent-escape in Basic credentials is refused 401 invalid_client', async (t) => {
  const { status, json, headers } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials' }, {
    authorization: rawBasic(`${punctuated.id}%2:${punctuated.secret}`),
  });
  t.is(status, 401);
  t.is(json.error, 'invalid_client');
  t.regex(headers.get('www-authenticate') ?? '', /^Basic realm="[^"]+"$/);
});

test('RFC 6749 §2.3.1 — a wrong secret over escaped Basic is refused 401 invalid_client with a Basic challenge', async (t) => {
  const { status, json, headers } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials' }, {
    authorization: strictBasic(punctuated.id, `${punctuated.secret}-wrong`),
  });
  t.is(status, 401);
  t.is(json.error, 'invalid_client');
  t.regex(headers.get('www-authenticate') ?? '', /^Basic realm="[^"]+"$/);
});

test('RFC 6749 §2.3 — Basic together with client_secret in the body is refused 400 invalid_request', async (t) => {
  const { status, json } = await postTo(
    server.endpoint('token'),
    { grant_type: 'client_credentials', client_id: server.confidential.id, client_secret: server.confidential.secret },
    { authorization: confidentialBasic() },
  );
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
  t.is(json.access_token, undefined);
});

test('RFC 6749 §2.3 — Basic for one client with another client_id in the body is refused 400 invalid_request', async (t) => {
  const { status, json } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials', client_id: punctuated.id }, {
    authorization: confidentialBasic(),
  });
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
  t.is(json.access_token, undefined);
});

test('RFC 6749 §2.3 — Basic with the same client’s client_id in the body is one method and gets a token', async (t) => {
  const { status } = await postTo(server.endpoint('token'), { grant_type: 'client_credentials', client_id: punctuated.id }, {
    authorization: strictBasic(punctuated.id, punctuated.secret),
  });
  t.is(status, 200);
});

test('RFC 6749 §4.1.3 — a redirect_uri that differs from the authorization request’s is refused 400 invalid_grant', async (t) => {
  const { code, verifier } = await issueCode();
  const { status, json } = await postTo(
    server.endpoint('token'),
    { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: `${REDIRECT_URI}/other` },
    { authorization: confidentialBasic() },
  );
  t.is(status, 400);
  t.is(json.error, 'invalid_grant');
});

test('RFC 6749 §5.2 — a redirect_uri that is no URI at all does not match either: 400 invalid_grant', async (t) => {
  const { code, verifier } = await issueCode();
  const { status, json } = await postTo(
    server.endpoint('token'),
    { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: 'not a uri' },
    { authorization: confidentialBasic() },
  );
  t.is(status, 400);
  t.is(json.error, 'invalid_grant');
});

test('RFC 6749 §4.1.3 — an omitted redirect_uri, required by the authorization request, is refused 400 invalid_request', async (t) => {
  const { code, verifier } = await issueCode();
  const { status, json } = await postTo(
    server.endpoint('token'),
    { grant_type: 'authorization_code', code, code_verifier: verifier },
    { authorization: confidentialBasic() },
  );
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
  t.regex(json.error_description, /redirect_uri/);
});

test('RFC 6749 §3.2 — a redirect_uri in the query string is not read: only in the query, the code exchange is refused', async (t) => {
  const { code, verifier } = await issueCode();
  const { status, json } = await postTo(
    `${server.endpoint('token')}?${new URLSearchParams({ redirect_uri: REDIRECT_URI })}`,
    { grant_type: 'authorization_code', code, code_verifier: verifier },
    { authorization: confidentialBasic() },
  );
  t.is(status, 400);
  t.is(json.error, 'invalid_request');
});

test('RFC 6749 §3.2 — the body’s redirect_uri decides, whatever the query string says', async (t) => {
  const { code, verifier } = await issueCode();
  const { status, json } = await postTo(
    `${server.endpoint('token')}?${new URLSearchParams({ redirect_uri: 'https://evil.example/', grant_type: 'password' })}`,
    { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI },
    { authorization: confidentialBasic() },
  );
  t.is(status, 200);
  t.truthy(json.access_token);
});
