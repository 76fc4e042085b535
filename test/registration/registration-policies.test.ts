/**
 * Who may register (RFC 7591 §3): an initial access token, a policy function of the
 * application's, the scopes self-registered clients are offered, and registration off by default.
 */
import test from 'ava';
import type { RegistrationRequestFacts } from '../../src/core/index.js';
import { basic } from '../throttling/support/from-address.js';
import {
  INITIAL_ACCESS_TOKEN,
  publicClientMetadata,
  register,
  registered,
  registrationServer,
} from './support/registration-server.js';

const withInitialAccessToken = { policy: 'initial-access-token', initialAccessToken: INITIAL_ACCESS_TOKEN, throttle: false } as const;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('RFC 7591 §3 — with an initial access token required, a registration presenting none is answered 401 with a bare Bearer challenge', async (t) => {
  const server = await registrationServer(t, withInitialAccessToken);
  const answer = await register(server, publicClientMetadata(server));
  t.is(answer.status, 401);
  t.is(answer.headers.get('www-authenticate'), 'Bearer realm="oauth2"', 'RFC 6750 §3.1: no error code without credentials');
  t.is(answer.json.error, 'invalid_token');
});

test('RFC 7591 §3 — a wrong initial access token is answered 401 invalid_token, registering nothing', async (t) => {
  const server = await registrationServer(t, withInitialAccessToken);
  const answer = await register(server, publicClientMetadata(server, { client_name: 'Wrong token' }), { headers: bearer(`${INITIAL_ACCESS_TOKEN}x`) });
  t.is(answer.status, 401);
  t.regex(answer.headers.get('www-authenticate') ?? '', /^Bearer realm="oauth2", error="invalid_token"/);
  t.is(answer.json.error, 'invalid_token');
  t.false((await server.provider.clients.list()).some((client) => client.name === 'Wrong token'));
});

test('RFC 7591 §3.2.1 — a confidential client registered with the initial access token gets a 256-bit secret that never expires, and authenticates with it', async (t) => {
  const server = await registrationServer(t, withInitialAccessToken);
  const metadata = {
    client_name: 'Reporting job',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    scope: 'read',
  };
  const client = await registered(server, metadata, bearer(INITIAL_ACCESS_TOKEN));
  t.regex(String(client['client_secret']), /^[A-Za-z0-9_-]{43}$/);
  t.is(client['client_secret_expires_at'], 0);
  const token = await fetch(`${server.origin}/auth/token`, {
    method: 'POST',
    headers: { authorization: basic(String(client['client_id']), String(client['client_secret'])) },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' }),
  });
  t.is(token.status, 200, await token.clone().text());
  t.is(((await token.json()) as { scope: string }).scope, 'read');
});

test('RFC 7591 §2 — token_endpoint_auth_method defaults to client_secret_basic: a client that names none gets a secret', async (t) => {
  const server = await registrationServer(t, withInitialAccessToken);
  const client = await registered(server, { redirect_uris: [server.redirectUri] }, bearer(INITIAL_ACCESS_TOKEN));
  t.is(client['token_endpoint_auth_method'], 'client_secret_basic');
  t.is(typeof client['client_secret'], 'string');
});

test('RFC 7591 §3 — any of several initial access tokens is accepted, so that one can be replaced without an outage', async (t) => {
  const next = 'iat-next-0123456789abcdef0123456789abcdef';
  const server = await registrationServer(t, { ...withInitialAccessToken, initialAccessToken: [INITIAL_ACCESS_TOKEN, next] });
  for (const token of [INITIAL_ACCESS_TOKEN, next]) t.is((await register(server, publicClientMetadata(server), { headers: bearer(token) })).status, 201);
});

test('RFC 7591 §3.2.2 — a policy function sees the validated metadata and the source address, and its refusal is answered with its code and description', async (t) => {
  const seen: RegistrationRequestFacts[] = [];
  const server = await registrationServer(t, {
    throttle: false,
    policy: (facts) => {
      seen.push(facts);
      return facts.metadata.client_name === 'Blocked'
        ? { accept: false, error: 'invalid_client_metadata', description: 'this client name is not allowed here' }
        : { accept: true };
    },
  });
  const answer = await register(server, publicClientMetadata(server, { client_name: 'Blocked' }));
  t.is(answer.status, 400);
  t.deepEqual(answer.json, { error: 'invalid_client_metadata', error_description: 'this client name is not allowed here' });
  t.is(seen.length, 1);
  t.is(seen[0]!.operation, 'register');
  t.is(seen[0]!.clientId, null);
  t.regex(seen[0]!.sourceAddress ?? '', /^(::ffff:)?127\.0\.0\.1$/);
  t.deepEqual(seen[0]!.metadata.grant_types, ['authorization_code', 'refresh_token']);
  t.is(seen[0]!.metadata.scope, 'read write', 'the defaults are applied before the policy sees the metadata');
  t.is((await register(server, publicClientMetadata(server, { client_name: 'Allowed' }))).status, 201);
});

test('RFC 7591 §2 — a policy may narrow the scope a client registers with, never widen it', async (t) => {
  const server = await registrationServer(t, { throttle: false, policy: () => ({ accept: true, scope: ['read', 'admin'] }) });
  const client = await registered(server, publicClientMetadata(server, { scope: 'read write' }));
  t.is(client['scope'], 'read');
  t.deepEqual((await server.provider.clients.get(String(client['client_id'])))?.scopes, ['read']);
});

test('RFC 7591 §2.3 — the software statement reaches the policy unverified, which may refuse it unapproved_software_statement', async (t) => {
  const statement = 'eyJhbGciOiJSUzI1NiJ9.eyJzb2Z0d2FyZV9pZCI6IjQifQ.c2lnbmF0dXJl';
  const statements: Array<string | null> = [];
  const server = await registrationServer(t, {
    throttle: false,
    policy: ({ softwareStatement }) => {
      statements.push(softwareStatement);
      return softwareStatement === null ? { accept: true } : { accept: false, error: 'unapproved_software_statement', description: 'unknown issuer' };
    },
  });
  const answer = await register(server, publicClientMetadata(server, { software_statement: statement }));
  t.is(answer.status, 400);
  t.is(answer.json.error, 'unapproved_software_statement');
  t.is((await register(server, publicClientMetadata(server))).status, 201);
  t.deepEqual(statements, [statement, null]);
});

test('a policy that throws is answered 500 without its message, reported, and registers nothing', async (t) => {
  const reported: unknown[] = [];
  const server = await registrationServer(t, {
    throttle: false,
    policy: () => {
      throw new Error('policy database down: secret-detail');
    },
  });
  const answer = await register(server, publicClientMetadata(server, { client_name: 'Policy failure' }));
  t.is(answer.status, 500);
  t.false(answer.text.includes('secret-detail'));
  reported.push(...server.emittedErrors);
  t.true(reported.some((error) => error instanceof Error && error.message.includes('policy database down')));
  t.false((await server.provider.clients.list()).some((client) => client.name === 'Policy failure'));
});

test('the scopes option bounds what self-registered clients may ask for, and is what one asking for none gets', async (t) => {
  const server = await registrationServer(t, { policy: 'public-clients', throttle: false, scopes: ['read', 'not-in-catalogue'] });
  t.is((await registered(server, publicClientMetadata(server)))['scope'], 'read', 'a configured scope missing from the catalogue is left out');
  const answer = await register(server, publicClientMetadata(server, { scope: 'write' }));
  t.is(answer.status, 400);
  t.is(answer.json.error, 'invalid_client_metadata');
});

test('RFC 8414 §2 — registration is off by default: no registration route (404) and no registration_endpoint in the metadata', async (t) => {
  const server = await registrationServer(t, null);
  t.is((await register(server, publicClientMetadata(server))).status, 404);
  t.is((await fetch(`${server.origin}/auth/register/dcr_x`)).status, 404);
  const metadata = (await (await fetch(`${server.origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  t.false('registration_endpoint' in metadata);
});

test('RFC 8414 §2 — with registration on, the metadata names the registration endpoint', async (t) => {
  const server = await registrationServer(t);
  const metadata = (await (await fetch(`${server.origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  t.is(metadata['registration_endpoint'], 'https://login.example/auth/register');
});
