/**
 * Dynamic client registration (RFC 7591) over HTTP: the Koa router on a PGlite-backed provider
 * with open registration of public clients, each rule of §2 and §3 one test.
 */
import test from 'ava';
import { basic } from '../throttling/support/from-address.js';
import { publicClientMetadata, register, registered, startRegistrationServer, type RegistrationServer } from './support/registration-server.js';

let server: RegistrationServer;
test.before(async () => {
  server = await startRegistrationServer();
});
test.after.always(() => server?.close());

const refusal = async (metadata: Record<string, unknown>) => {
  const answer = await register(server, publicClientMetadata(server, metadata));
  return { status: answer.status, error: answer.json?.error as string | undefined, description: answer.json?.error_description as string | undefined };
};

test('RFC 7591 §3.2.1 — a public client is registered 201 with a client_id, its issue time, a registration access token and URI, and no secret', async (t) => {
  const answer = await register(server, publicClientMetadata(server));
  t.is(answer.status, 201, answer.text);
  const body = answer.json as Record<string, unknown>;
  t.regex(String(body['client_id']), /^dcr_[A-Za-z0-9_-]{24}$/, '144 random bits after a recognisable prefix');
  t.false('client_secret' in body);
  t.false('client_secret_expires_at' in body);
  t.is(body['client_id_issued_at'], Math.floor(server.provider.now().getTime() / 1000));
  t.regex(String(body['registration_access_token']), /^[A-Za-z0-9_-]{43}$/, '256 random bits');
  t.is(body['registration_client_uri'], `https://login.example/auth/register/${String(body['client_id'])}`);
  t.is(answer.headers.get('cache-control'), 'no-store');
  t.is(answer.headers.get('pragma'), 'no-cache');
  t.regex(answer.headers.get('content-type') ?? '', /^application\/json/);
});

test('RFC 7591 §3.2.1 — the answer repeats the registered metadata, with the defaults of §2 applied', async (t) => {
  const body = await registered(server, { redirect_uris: [server.redirectUri], token_endpoint_auth_method: 'none', client_name: 'Minimal' });
  t.deepEqual(body['redirect_uris'], [server.redirectUri]);
  t.deepEqual(body['grant_types'], ['authorization_code']);
  t.deepEqual(body['response_types'], ['code']);
  t.is(body['token_endpoint_auth_method'], 'none');
  t.is(body['client_name'], 'Minimal');
  t.is(body['scope'], 'read write', 'every scope offered, when the registration names none');
});

test('RFC 7591 §2 — metadata the server does not understand is ignored: neither refused nor returned', async (t) => {
  const body = await registered(server, publicClientMetadata(server, { foo: 'bar', 'client_name#ja-Jpan-JP': 'ノート', jwks_uri: 'https://app.example/jwks', nested: { a: 1 } }));
  for (const field of ['foo', 'client_name#ja-Jpan-JP', 'jwks_uri', 'nested']) t.false(field in body, field);
  t.is(body['client_name'], 'Notes CLI');
});

test('RFC 7591 §2 — the optional human-facing fields are kept as given: client_uri, logo_uri, tos_uri, policy_uri, contacts, software_id, software_version', async (t) => {
  const fields = {
    client_uri: 'https://notes.example/',
    logo_uri: 'https://notes.example/logo.png',
    tos_uri: 'https://notes.example/tos',
    policy_uri: 'https://notes.example/privacy',
    contacts: ['admin@notes.example'],
    software_id: '4NRB1-0XZABZI9E6-5SM3R',
    software_version: '2.1',
  };
  const body = await registered(server, publicClientMetadata(server, fields));
  for (const [field, value] of Object.entries(fields)) t.deepEqual(body[field], value, field);
});

for (const [what, uri] of [
  ['a redirect URI with a fragment', 'https://app.example/cb#frag'],
  ['a relative redirect URI', '/callback'],
  ['a javascript: redirect URI', 'javascript:alert(1)'],
  ['a redirect URI that is not a string', 42],
] as const) {
  test(`RFC 7591 §3.2.2 — ${what} is refused invalid_redirect_uri`, async (t) => {
    const answer = await refusal({ redirect_uris: [uri] });
    t.is(answer.status, 400);
    t.is(answer.error, 'invalid_redirect_uri');
    t.regex(answer.description ?? '', /redirect_uris\[0\]/);
  });
}

test('RFC 7591 §3.2.2 — an http redirect URI on a host other than the loopback interface is refused invalid_redirect_uri (RFC 6749 §3.1.2.1)', async (t) => {
  const answer = await refusal({ redirect_uris: ['https://app.example/ok', 'http://app.example/callback'] });
  t.is(answer.status, 400);
  t.is(answer.error, 'invalid_redirect_uri');
  t.regex(answer.description ?? '', /redirect_uris\[1\] uses http/);
});

test('RFC 7591 §3.2.2 — more than 20 redirect URIs, the most a metadata document may list too, are refused invalid_redirect_uri', async (t) => {
  const uris = (count: number) => Array.from({ length: count }, (_, index) => `https://app.example/callback/${index}`);
  const answer = await refusal({ redirect_uris: uris(21) });
  t.is(answer.status, 400);
  t.is(answer.error, 'invalid_redirect_uri');
  t.regex(answer.description ?? '', /at most 20 URIs/);
  t.deepEqual((await registered(server, publicClientMetadata(server, { redirect_uris: uris(20) })))['redirect_uris'], uris(20));
});

test('RFC 8252 §7.3 — http redirect URIs on 127.0.0.1, [::1] and localhost, and a private-use scheme (§7.1), are registered', async (t) => {
  const uris = ['http://127.0.0.1/callback', 'http://[::1]:8080/callback', 'http://localhost:6274/oauth/callback', 'com.example.notes:/oauth2redirect'];
  const body = await registered(server, publicClientMetadata(server, { redirect_uris: uris }));
  t.deepEqual(body['redirect_uris'], uris);
});

test('RFC 7591 §2 — the authorization_code grant without redirect_uris is refused invalid_redirect_uri', async (t) => {
  const answer = await refusal({ redirect_uris: undefined });
  t.is(answer.status, 400);
  t.is(answer.error, 'invalid_redirect_uri');
});

test('RFC 7591 §2.1 — grant_types and response_types that disagree are refused invalid_client_metadata', async (t) => {
  for (const mismatch of [
    { grant_types: ['authorization_code'], response_types: [] },
    { grant_types: ['refresh_token', 'authorization_code'], response_types: ['token'] },
  ]) {
    const answer = await refusal(mismatch);
    t.is(answer.status, 400, JSON.stringify(mismatch));
    t.is(answer.error, 'invalid_client_metadata', JSON.stringify(mismatch));
  }
});

test('RFC 7591 §2 — a grant type the server does not offer self-registered clients (implicit, password, device code) is refused invalid_client_metadata', async (t) => {
  for (const grant of ['implicit', 'password', 'urn:ietf:params:oauth:grant-type:device_code']) {
    const answer = await refusal({ grant_types: ['authorization_code', grant] });
    t.is(answer.error, 'invalid_client_metadata', grant);
  }
});

test('RFC 7591 §2 — a refresh_token grant alone, which no grant could start, is refused invalid_client_metadata', async (t) => {
  const answer = await refusal({ grant_types: ['refresh_token'], response_types: [] });
  t.is(answer.error, 'invalid_client_metadata');
});

test('RFC 7591 §2 — a token endpoint authentication method other than none, client_secret_basic and client_secret_post is refused invalid_client_metadata', async (t) => {
  for (const method of ['private_key_jwt', 'client_secret_jwt', 'tls_client_auth']) {
    const answer = await refusal({ token_endpoint_auth_method: method });
    t.is(answer.error, 'invalid_client_metadata', method);
  }
});

test('RFC 7591 §2 — a public client (token_endpoint_auth_method none) asking for client_credentials is refused invalid_client_metadata', async (t) => {
  const answer = await refusal({ grant_types: ['authorization_code', 'client_credentials'] });
  t.is(answer.error, 'invalid_client_metadata');
  t.regex(answer.description ?? '', /client_credentials/);
});

test('RFC 7591 §2 — a registration naming scopes gets those; a scope outside those offered is refused invalid_client_metadata', async (t) => {
  t.is((await registered(server, publicClientMetadata(server, { scope: 'read' })))['scope'], 'read');
  const answer = await refusal({ scope: 'read admin' });
  t.is(answer.status, 400);
  t.is(answer.error, 'invalid_client_metadata');
  t.regex(answer.description ?? '', /`admin`/);
  t.is((await refusal({ scope: 'read "quoted"' })).error, 'invalid_client_metadata', 'not a list of scope-tokens');
});

test('RFC 7591 §2 — a client_name that is not 1–255 printable characters is refused invalid_client_metadata', async (t) => {
  for (const name of ['', '   ', 'n'.repeat(256), 42, 'bell\u0007']) {
    t.is((await refusal({ client_name: name })).error, 'invalid_client_metadata', JSON.stringify(name));
  }
});

test('RFC 7591 §2 — client_uri, logo_uri, tos_uri and policy_uri must be http or https URLs, contacts an array of strings', async (t) => {
  for (const field of ['client_uri', 'logo_uri', 'tos_uri', 'policy_uri']) {
    t.is((await refusal({ [field]: 'javascript:alert(1)' })).error, 'invalid_client_metadata', field);
  }
  t.is((await refusal({ contacts: 'admin@notes.example' })).error, 'invalid_client_metadata');
});

test('RFC 7591 §2.3 — a software_statement that is not a JWT in JWS compact form is refused invalid_software_statement', async (t) => {
  for (const statement of ['not-a-jwt', 42, 'a.b']) {
    const answer = await refusal({ software_statement: statement });
    t.is(answer.status, 400);
    t.is(answer.error, 'invalid_software_statement', JSON.stringify(statement));
  }
});

test('RFC 7591 §3 — the public-clients policy refuses a confidential client invalid_client_metadata, registering nothing', async (t) => {
  const answer = await refusal({ token_endpoint_auth_method: 'client_secret_basic', client_name: 'Refused confidential' });
  t.is(answer.status, 400);
  t.is(answer.error, 'invalid_client_metadata');
  t.regex(answer.description ?? '', /public clients only/);
  t.false((await server.provider.clients.list()).some((client) => client.name === 'Refused confidential'));
});

test('RFC 7591 §3.2.2 — error descriptions hold only the characters RFC 6749 §5.2 allows', async (t) => {
  const answer = await refusal({ redirect_uris: ['http://app.example/cb'] });
  t.regex(answer.description ?? '', /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
  t.regex(answer.description ?? '', /RFC 6749 section 3\.1\.2\.1/);
});

test('RFC 7591 §3.1 — a body that is not JSON is answered 415; malformed JSON, an array or no body at all 400 or 415', async (t) => {
  const post = (body: string, type?: string) =>
    fetch(server.registrationEndpoint, { method: 'POST', body, headers: type === undefined ? {} : { 'content-type': type } });
  const form = await post('redirect_uris=https%3A%2F%2Fapp.example%2Fcb', 'application/x-www-form-urlencoded');
  t.is(form.status, 415);
  t.is(((await form.json()) as { error: string }).error, 'invalid_request');
  t.is((await post('{"redirect_uris": [', 'application/json')).status, 400);
  t.is((await post('[]', 'application/json')).status, 400);
  t.is((await fetch(server.registrationEndpoint, { method: 'POST' })).status, 415);
});

test('RFC 7591 §3.1 — a registration body larger than the body limit is answered 413, registering nothing', async (t) => {
  const answer = await register(server, publicClientMetadata(server, { client_name: 'Oversized', padding: 'x'.repeat(20_000) }));
  t.is(answer.status, 413);
  t.false((await server.provider.clients.list()).some((client) => client.name === 'Oversized'));
});

test('RFC 6749 §2.3.1 — a registered public client is known to the token endpoint by its client_id alone, with no secret', async (t) => {
  const client = await registered(server, publicClientMetadata(server));
  const stored = await server.provider.clients.get(String(client['client_id']));
  t.is(stored?.confidential, false);
  t.is(stored?.name, 'Notes CLI');
  t.true(stored?.requirePkce);
  t.deepEqual(stored?.grants, ['authorization_code', 'refresh_token']);
  t.deepEqual(stored?.scopes, ['read', 'write']);
  const wrongSecret = await fetch(`${server.origin}/auth/token`, {
    method: 'POST',
    headers: { authorization: basic(String(client['client_id']), 'guess') },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  t.is(wrongSecret.status, 401, 'a public client has no secret to present');
});
