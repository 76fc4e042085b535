/**
 * Registration management (RFC 7592) over HTTP: a self-registered client reads, replaces and
 * deletes its registration with its registration access token, and nobody else can, nor learn
 * whether a client exists.
 */
import test from 'ava';
import { manage, publicClientMetadata, registered, startRegistrationServer, type RegistrationServer } from './support/registration-server.js';

let server: RegistrationServer;
test.before(async () => {
  server = await startRegistrationServer();
});
test.after.always(() => server?.close());

const newClient = async (overrides: Record<string, unknown> = {}) => {
  const client = await registered(server, publicClientMetadata(server, overrides));
  return { id: String(client['client_id']), token: String(client['registration_access_token']), information: client };
};

/** The metadata fields of a client information response (RFC 7591 §3.2.1), without what the server adds. */
const metadataOf = (information: Record<string, unknown>) => {
  const { client_id, client_id_issued_at, registration_access_token, registration_client_uri, client_secret, client_secret_expires_at, ...metadata } = information;
  return metadata;
};

test('RFC 7592 §2.1 — a client reads its registration with its registration access token: 200, the registered metadata', async (t) => {
  const client = await newClient({ client_uri: 'https://notes.example/' });
  const read = await manage(server, 'GET', client.id, client.token);
  t.is(read.status, 200, read.text);
  t.is(read.json.client_id, client.id);
  t.is(read.json.client_id_issued_at, client.information['client_id_issued_at']);
  t.is(read.json.registration_client_uri, client.information['registration_client_uri']);
  t.deepEqual(metadataOf(read.json), metadataOf(client.information));
  t.is(read.headers.get('cache-control'), 'no-store');
});

test('RFC 7592 §3 — the registration access token is replaced by the one a read returns; the old one stops working', async (t) => {
  const client = await newClient();
  const read = await manage(server, 'GET', client.id, client.token);
  const next = String(read.json.registration_access_token);
  t.regex(next, /^[A-Za-z0-9_-]{43}$/);
  t.not(next, client.token);
  t.is((await manage(server, 'GET', client.id, client.token)).status, 401);
  t.is((await manage(server, 'GET', client.id, next)).status, 200);
});

test('RFC 7592 §2 — a request without a registration access token is answered 401 with a bare Bearer challenge', async (t) => {
  const client = await newClient();
  const answer = await manage(server, 'GET', client.id, null);
  t.is(answer.status, 401);
  t.is(answer.headers.get('www-authenticate'), 'Bearer realm="oauth2"');
});

test("RFC 7592 §2.1 — a wrong token, another client's token and an unknown client are answered alike: 401 invalid_token", async (t) => {
  const [client, other] = [await newClient(), await newClient()];
  const answers = [
    await manage(server, 'GET', client.id, `${client.token.slice(0, -1)}${client.token.endsWith('A') ? 'B' : 'A'}`),
    await manage(server, 'GET', client.id, other.token),
    await manage(server, 'GET', 'dcr_AAAAAAAAAAAAAAAAAAAAAAAA', client.token),
    await manage(server, 'PUT', 'dcr_AAAAAAAAAAAAAAAAAAAAAAAA', client.token, { client_id: 'dcr_AAAAAAAAAAAAAAAAAAAAAAAA' }),
    await manage(server, 'DELETE', 'dcr_AAAAAAAAAAAAAAAAAAAAAAAA', client.token),
  ];
  for (const answer of answers) {
    t.is(answer.status, 401);
    t.deepEqual(answer.json, answers[0]!.json, 'nothing tells an unknown client from a wrong token');
    t.is(answer.headers.get('www-authenticate'), answers[0]!.headers.get('www-authenticate'));
  }
  t.is(answers[0]!.json.error, 'invalid_token');
});

test("RFC 7592 §2 — an operator's client has no configuration endpoint: 401 whatever the token", async (t) => {
  t.is((await manage(server, 'GET', server.spa.id, 'a'.repeat(43))).status, 401);
  t.is((await manage(server, 'DELETE', server.spa.id, 'a'.repeat(43))).status, 401);
  t.truthy(await server.provider.clients.get(server.spa.id));
});

test('RFC 7592 §2.2 — an update replaces the metadata: changed fields change, omitted ones go, and the client record follows', async (t) => {
  const client = await newClient({ client_uri: 'https://notes.example/', scope: 'read write' });
  const replacement = {
    client_id: client.id,
    client_name: 'Notes CLI 2',
    redirect_uris: ['http://127.0.0.1/callback'],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    scope: 'read',
  };
  const answer = await manage(server, 'PUT', client.id, client.token, replacement);
  t.is(answer.status, 200, answer.text);
  const { client_id, ...expected } = replacement;
  t.deepEqual(metadataOf(answer.json), expected);
  t.false('client_uri' in answer.json, 'omitted fields are removed (RFC 7592 §2.2)');
  const stored = await server.provider.clients.get(client.id);
  t.is(stored?.name, 'Notes CLI 2');
  t.deepEqual(stored?.redirectUris, ['http://127.0.0.1/callback']);
  t.deepEqual(stored?.grants, ['authorization_code']);
  t.deepEqual(stored?.scopes, ['read']);
  t.deepEqual(metadataOf((await manage(server, 'GET', client.id, String(answer.json.registration_access_token))).json), expected);
});

test("RFC 7592 §2.2 — an update must name the client's own client_id: missing or another one is refused invalid_client_metadata", async (t) => {
  const client = await newClient();
  for (const clientId of [undefined, 'dcr_somebodyElse00000000000']) {
    const answer = await manage(server, 'PUT', client.id, client.token, { ...publicClientMetadata(server), client_id: clientId });
    t.is(answer.status, 400);
    t.is(answer.json.error, 'invalid_client_metadata');
  }
});

test('RFC 7592 §2.2 — a client_secret sent with an update must be the current one: a client cannot choose its secret', async (t) => {
  const client = await newClient();
  const answer = await manage(server, 'PUT', client.id, client.token, { ...publicClientMetadata(server), client_id: client.id, client_secret: 'my-own-secret' });
  t.is(answer.status, 400);
  t.is(answer.json.error, 'invalid_client_metadata');
  t.is((await server.provider.clients.get(client.id))?.confidential, false);
});

test('RFC 7592 §2.2 — an update cannot turn a public client confidential', async (t) => {
  const client = await newClient();
  const answer = await manage(server, 'PUT', client.id, client.token, {
    ...publicClientMetadata(server),
    client_id: client.id,
    token_endpoint_auth_method: 'client_secret_post',
  });
  t.is(answer.status, 400);
  t.is(answer.json.error, 'invalid_client_metadata');
});

test('RFC 7592 §2.2 — an update is checked like a registration: a bad redirect URI is refused invalid_redirect_uri, changing nothing', async (t) => {
  const client = await newClient();
  const answer = await manage(server, 'PUT', client.id, client.token, {
    ...publicClientMetadata(server),
    client_id: client.id,
    redirect_uris: ['https://evil.example/cb#x'],
  });
  t.is(answer.status, 400);
  t.is(answer.json.error, 'invalid_redirect_uri');
  t.deepEqual((await server.provider.clients.get(client.id))?.redirectUris, [server.redirectUri]);
  t.is((await manage(server, 'GET', client.id, client.token)).status, 200, 'a refused update leaves the token as it was');
});

test('RFC 7592 §2.2 — the registration_access_token, registration_client_uri, client_secret_expires_at and client_id_issued_at of an update are ignored', async (t) => {
  const client = await newClient();
  const answer = await manage(server, 'PUT', client.id, client.token, {
    ...publicClientMetadata(server),
    client_id: client.id,
    registration_access_token: 'chosen',
    registration_client_uri: 'https://evil.example/',
    client_id_issued_at: 1,
    client_secret_expires_at: 1,
  });
  t.is(answer.status, 200, answer.text);
  t.is(answer.json.client_id_issued_at, client.information['client_id_issued_at']);
  t.is(answer.json.registration_client_uri, client.information['registration_client_uri']);
  t.not(answer.json.registration_access_token, 'chosen');
});

test('RFC 7592 §2.3 — a client deletes itself: 204, then the client is gone and its registration access token refused', async (t) => {
  const client = await newClient();
  const answer = await manage(server, 'DELETE', client.id, client.token);
  t.is(answer.status, 204);
  t.is(answer.text, '');
  t.is(await server.provider.clients.get(client.id), null);
  t.is((await manage(server, 'GET', client.id, client.token)).status, 401);
  t.is((await manage(server, 'DELETE', client.id, client.token)).status, 401);
});

test('RFC 7592 §2.2 — an update whose body is not JSON is answered 415', async (t) => {
  const client = await newClient();
  const answer = await fetch(`${server.origin}/auth/register/${client.id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${client.token}`, 'content-type': 'text/plain' },
    body: 'client_id',
  });
  t.is(answer.status, 415);
});

test('RFC 7592 §3 — a HEAD of the configuration endpoint is refused 405, so that the token a read replaces is never lost in a bodiless answer', async (t) => {
  const client = await newClient();
  const head = await fetch(`${server.origin}/auth/register/${client.id}`, { method: 'HEAD', headers: { authorization: `Bearer ${client.token}` } });
  t.is(head.status, 405);
  t.is((await manage(server, 'GET', client.id, client.token)).status, 200, 'the token still works');
});
