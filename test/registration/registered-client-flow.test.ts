/**
 * A client that registered itself (RFC 7591) is an ordinary client from then on: the registered
 * public client signs a user in through the authorization-code flow with PKCE on the built-in
 * page, calls the API, refreshes — and when it deletes its registration (RFC 7592 §2.3), its
 * tokens go with it.
 */
import test from 'ava';
import { approveAs, pkcePair, tokenRequest } from '../authorize/support/consent-form.js';
import { manage, publicClientMetadata, registered, registrationServer, type RegistrationServer } from './support/registration-server.js';

/** The user signs in and approves `clientId` for `read`; the code is exchanged with its PKCE verifier. */
async function signInWith(server: RegistrationServer, clientId: string, state = 's'): Promise<{ status: number; json: Record<string, any>; state: string | null }> {
  const { verifier, challenge } = pkcePair();
  const query = await approveAs(server, {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: server.redirectUri,
    scope: 'read',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const code = query.get('code');
  if (code === null) throw new Error(`no code: ${query.toString()}`);
  const exchanged = await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: server.redirectUri, client_id: clientId, code_verifier: verifier });
  return { ...exchanged, state: query.get('state') };
}

test('RFC 7591 §3.2.1 — a registered public client completes the authorization-code flow with PKCE, calls the API and refreshes', async (t) => {
  const server = await registrationServer(t);
  const client = await registered(server, publicClientMetadata(server, { scope: 'read' }));
  const clientId = String(client['client_id']);
  const exchanged = await signInWith(server, clientId, 'registered-state');
  t.is(exchanged.state, 'registered-state');
  t.is(exchanged.status, 200, JSON.stringify(exchanged.json));
  t.is(exchanged.json.scope, 'read');
  const me = await fetch(`${server.origin}/api/me`, { headers: { authorization: `Bearer ${exchanged.json.access_token}` } });
  t.is(me.status, 200);
  t.like((await me.json()) as object, { client: { id: clientId, name: 'Notes CLI' }, scope: ['read'] });
  const refreshed = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: exchanged.json.refresh_token, client_id: clientId });
  t.is(refreshed.status, 200, JSON.stringify(refreshed.json));
});

test('RFC 7636 §4.4.1 — a registered public client is held to PKCE: an authorization request without a challenge is refused', async (t) => {
  const server = await registrationServer(t);
  const client = await registered(server, publicClientMetadata(server));
  const page = await fetch(
    server.authorizeUrl({ response_type: 'code', client_id: String(client['client_id']), redirect_uri: server.redirectUri, scope: 'read', state: 's' }),
    { redirect: 'manual' },
  );
  const location = new URL(page.headers.get('location') ?? 'http://none/');
  t.is(page.status, 302, 'RFC 6749 §4.1.2.1: the error goes back to the client');
  t.is(location.searchParams.get('error'), 'invalid_request');
});

test('RFC 7592 §2.3 — once a client deleted its registration, its access and refresh tokens are refused', async (t) => {
  const server = await registrationServer(t);
  const client = await registered(server, publicClientMetadata(server, { scope: 'read' }));
  const clientId = String(client['client_id']);
  const tokens = await signInWith(server, clientId);
  t.is(tokens.status, 200);
  t.is((await manage(server, 'DELETE', clientId, String(client['registration_access_token']))).status, 204);
  const me = await fetch(`${server.origin}/api/me`, { headers: { authorization: `Bearer ${tokens.json.access_token}` } });
  t.is(me.status, 401);
  const refreshed = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token, client_id: clientId });
  t.is(refreshed.json.error, 'invalid_client');
});
