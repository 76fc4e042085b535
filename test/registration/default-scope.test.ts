/**
 * The scope a client registers with (RFC 7591 §2 `scope`, as the policy leaves it) is its own, and
 * its default: an authorization request that names no scope is granted it (RFC 6749 §3.3). A
 * client that registered without naming a scope has no default, and such a request is refused.
 */
import test from 'ava';
import { approveAs, pkcePair, tokenRequest } from '../authorize/support/consent-form.js';
import { manage, publicClientMetadata, registered, registrationServer, type RegistrationServer } from './support/registration-server.js';

/** An authorization request of `clientId` that names no scope. */
function withoutScope(server: RegistrationServer, clientId: string, challenge: string): Record<string, string> {
  return { response_type: 'code', client_id: clientId, redirect_uri: server.redirectUri, state: 's', code_challenge: challenge, code_challenge_method: 'S256' };
}

/** The scope granted to a code flow of `clientId` whose authorization request names none. */
async function grantedWithoutScope(server: RegistrationServer, clientId: string): Promise<string> {
  const { verifier, challenge } = pkcePair();
  const code = (await approveAs(server, withoutScope(server, clientId, challenge))).get('code');
  if (code === null) throw new Error('no code');
  const exchanged = await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: server.redirectUri, client_id: clientId, code_verifier: verifier });
  if (exchanged.status !== 200) throw new Error(`the exchange answered ${exchanged.status}: ${JSON.stringify(exchanged.json)}`);
  return String(exchanged.json.scope);
}

test('RFC 7591 §2, RFC 6749 §3.3 — a client registered with a scope gets it as its default: an authorization request naming no scope is granted it', async (t) => {
  const server = await registrationServer(t);
  const client = await registered(server, publicClientMetadata(server, { scope: 'write' }));
  const clientId = String(client['client_id']);
  t.deepEqual((await server.provider.clients.get(clientId))?.defaultScopes, ['write']);
  t.is(await grantedWithoutScope(server, clientId), 'write');
});

test('RFC 7591 §2 — the default scope is the registered scope as the policy narrowed it', async (t) => {
  const server = await registrationServer(t, { throttle: false, policy: () => ({ accept: true, scope: ['read'] }) });
  const client = await registered(server, publicClientMetadata(server, { scope: 'read write' }));
  const stored = await server.provider.clients.get(String(client['client_id']));
  t.deepEqual(stored?.scopes, ['read']);
  t.deepEqual(stored?.defaultScopes, ['read']);
});

test('RFC 6749 §3.3 — a client registered without naming a scope has no default: an authorization request naming none is refused invalid_scope', async (t) => {
  const server = await registrationServer(t);
  const client = await registered(server, publicClientMetadata(server));
  const clientId = String(client['client_id']);
  t.deepEqual((await server.provider.clients.get(clientId))?.defaultScopes, []);
  const response = await fetch(server.authorizeUrl(withoutScope(server, clientId, pkcePair().challenge)), { redirect: 'manual' });
  t.is(response.status, 302);
  t.is(new URL(response.headers.get('location') ?? 'http://none/').searchParams.get('error'), 'invalid_scope');
});

test('RFC 7592 §2.2 — an update that names another scope makes it the default; one that names none leaves no default', async (t) => {
  const server = await registrationServer(t);
  const client = await registered(server, publicClientMetadata(server, { scope: 'read' }));
  const clientId = String(client['client_id']);
  const updated = await manage(server, 'PUT', clientId, String(client['registration_access_token']), { ...publicClientMetadata(server, { scope: 'read write' }), client_id: clientId });
  t.is(updated.status, 200, updated.text);
  t.deepEqual((await server.provider.clients.get(clientId))?.defaultScopes, ['read', 'write']);
  const token = String((updated.json as Record<string, unknown>)['registration_access_token']);
  t.is((await manage(server, 'PUT', clientId, token, { ...publicClientMetadata(server), client_id: clientId })).status, 200);
  t.deepEqual((await server.provider.clients.get(clientId))?.defaultScopes, []);
});
