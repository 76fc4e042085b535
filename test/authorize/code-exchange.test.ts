/**
 * The token endpoint's side of the code flow (RFC 6749 §4.1.3, RFC 7636 §4.5–4.6): a code obtained
 * on the page is exchanged once, by its client, with its verifier, at the same redirect URI, within
 * its lifetime; anything else is `invalid_grant`, and a replayed code revokes what it issued.
 */
import test from 'ava';
import { startAuthorizationServer, type AuthorizationServer } from './support/authorization-server.js';
import { approveAs, exchangeSpaCode, me, pkcePair, spaRequest, tokenRequest } from './support/consent-form.js';
import { basic } from '../koa/support/http-server.js';

let server: AuthorizationServer;

test.before(async () => {
  server = await startAuthorizationServer();
  await server.provider.clients.create({
    id: 'quick',
    name: 'Quick Codes',
    grants: ['authorization_code'],
    redirectUris: [server.redirectUri],
    scopes: ['read'],
    confidential: false,
    authorizationCodeLifetime: 60,
  });
  await server.provider.clients.create({
    id: 'plain-allowed',
    name: 'Old Device',
    grants: ['authorization_code'],
    redirectUris: [server.redirectUri],
    scopes: ['read'],
    confidential: false,
    allowPlainPkce: true,
  });
});

test.after.always(() => server?.close());

/** A fresh code of the public client, with the verifier that goes with it. */
async function spaCode(overrides: Record<string, string> = {}): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const query = await approveAs(server, spaRequest(server, challenge, overrides));
  return { code: query.get('code') ?? '', verifier };
}

// These move the clock, which every other test shares: they run first, one at a time, and put it back.
test.serial('RFC 6749 §4.1.2 — a code is refused once the default lifetime (300 s) is over', async (t) => {
  const { code, verifier } = await spaCode();
  server.advanceClock(301);
  t.teardown(() => server.advanceClock(-301));
  const exchange = await exchangeSpaCode(server, code, verifier);
  t.is(exchange.status, 400);
  t.is(exchange.json.error, 'invalid_grant');
});

test.serial("a client's own code lifetime replaces the server default", async (t) => {
  const { code, verifier } = await spaCode({ client_id: 'quick' });
  server.advanceClock(61);
  t.teardown(() => server.advanceClock(-61));
  const exchange = await exchangeSpaCode(server, code, verifier, { client_id: 'quick' });
  t.is(exchange.status, 400);
  t.is(exchange.json.error, 'invalid_grant');
});

test.serial('a code is still accepted just before its lifetime is over', async (t) => {
  const { code, verifier } = await spaCode();
  server.advanceClock(290);
  t.teardown(() => server.advanceClock(-290));
  t.is((await exchangeSpaCode(server, code, verifier)).status, 200);
});

test('RFC 7636 §4.6 — the code and its verifier buy an access token that calls /api/me as the user', async (t) => {
  const { code, verifier } = await spaCode({ scope: 'read write' });
  const exchange = await exchangeSpaCode(server, code, verifier);
  t.is(exchange.status, 200);
  t.is(exchange.json.token_type, 'Bearer');
  t.is(exchange.json.scope, 'read write');
  t.truthy(exchange.json.refresh_token);
  const profile = await me(server, exchange.json.access_token);
  t.is(profile.status, 200);
  t.is(profile.json.user.id, server.user.id);
  t.deepEqual(profile.json.scope, ['read', 'write']);
  t.is(profile.json.client.id, server.spa.id);
});

test('RFC 7636 §4.6 — a wrong verifier is refused with invalid_grant', async (t) => {
  const { code } = await spaCode();
  const exchange = await exchangeSpaCode(server, code, pkcePair().verifier);
  t.is(exchange.status, 400);
  t.is(exchange.json.error, 'invalid_grant');
});

test('a failed verifier spends the code: the right verifier cannot be tried afterwards', async (t) => {
  const { code, verifier } = await spaCode();
  await exchangeSpaCode(server, code, pkcePair().verifier);
  const retry = await exchangeSpaCode(server, code, verifier);
  t.is(retry.status, 400);
  t.is(retry.json.error, 'invalid_grant');
});

test('RFC 9700 §2.1.1 — a confidential client leaving the verifier out is refused with invalid_grant', async (t) => {
  const { challenge } = pkcePair();
  const query = await approveAs(server, spaRequest(server, challenge, { client_id: server.web.id }));
  const exchange = await tokenRequest(
    server,
    { grant_type: 'authorization_code', code: query.get('code') ?? '', redirect_uri: server.redirectUri },
    basic(server.web.id, server.web.secret),
  );
  t.is(exchange.status, 400);
  t.is(exchange.json.error, 'invalid_grant');
});

test('RFC 9700 §2.1.1 — a public client leaving the verifier out is refused: without PKCE it cannot authenticate', async (t) => {
  const { code } = await spaCode();
  const exchange = await tokenRequest(server, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: server.redirectUri,
    client_id: server.spa.id,
  });
  t.is(exchange.status, 401);
  t.is(exchange.json.error, 'invalid_client');
  t.is(exchange.json.access_token, undefined);
});

test('RFC 6749 §4.1.2 — a code is single-use: the second exchange is refused', async (t) => {
  const { code, verifier } = await spaCode();
  t.is((await exchangeSpaCode(server, code, verifier)).status, 200);
  const replay = await exchangeSpaCode(server, code, verifier);
  t.is(replay.status, 400);
  t.is(replay.json.error, 'invalid_grant');
});

test('RFC 6749 §4.1.2 — replaying a code revokes the access token it issued', async (t) => {
  const { code, verifier } = await spaCode();
  const first = await exchangeSpaCode(server, code, verifier);
  t.is((await me(server, first.json.access_token)).status, 200);
  await exchangeSpaCode(server, code, verifier);
  t.is((await me(server, first.json.access_token)).status, 401);
});

test('RFC 6749 §4.1.2 — replaying a code revokes the refresh token it issued', async (t) => {
  const { code, verifier } = await spaCode();
  const first = await exchangeSpaCode(server, code, verifier);
  await exchangeSpaCode(server, code, verifier);
  const refresh = await tokenRequest(server, {
    grant_type: 'refresh_token',
    refresh_token: first.json.refresh_token,
    client_id: server.spa.id,
  });
  t.is(refresh.status, 400);
  t.is(refresh.json.error, 'invalid_grant');
});

test('RFC 6749 §4.1.3 — a redirect_uri different from the authorization request is refused with invalid_grant', async (t) => {
  const { code, verifier } = await spaCode();
  const exchange = await exchangeSpaCode(server, code, verifier, { redirect_uri: `${server.redirectUri}/elsewhere` });
  t.is(exchange.status, 400);
  // RFC 6749 §5.2: the redirection URI does not match the one of the authorization request.
  t.is(exchange.json.error, 'invalid_grant');
  t.is(exchange.json.access_token, undefined);
});

test('RFC 6749 §4.1.3 — a redirect_uri left out of the exchange when the request had one is refused', async (t) => {
  const { code, verifier } = await spaCode();
  const exchange = await tokenRequest(server, {
    grant_type: 'authorization_code',
    code,
    client_id: server.spa.id,
    code_verifier: verifier,
  });
  t.is(exchange.status, 400);
  t.is(exchange.json.error, 'invalid_request');
});

test('RFC 6749 §4.1.3 — a code presented by another client is refused with invalid_grant', async (t) => {
  const { code, verifier } = await spaCode();
  const exchange = await exchangeSpaCode(server, code, verifier, { client_id: 'quick' });
  t.is(exchange.status, 400);
  t.is(exchange.json.error, 'invalid_grant');
});

test('RFC 6749 §5.2 — an unknown code is refused with invalid_grant', async (t) => {
  const exchange = await exchangeSpaCode(server, 'A'.repeat(43), pkcePair().verifier);
  t.is(exchange.status, 400);
  t.is(exchange.json.error, 'invalid_grant');
});

test('RFC 6749 §4.1.3 — a confidential client exchanges its code with its secret and verifier', async (t) => {
  const { verifier, challenge } = pkcePair();
  const query = await approveAs(server, spaRequest(server, challenge, { client_id: server.web.id }));
  const exchange = await tokenRequest(
    server,
    { grant_type: 'authorization_code', code: query.get('code') ?? '', redirect_uri: server.redirectUri, code_verifier: verifier },
    basic(server.web.id, server.web.secret),
  );
  t.is(exchange.status, 200);
  t.is(exchange.json.scope, 'read');
});

test('RFC 6749 §4.1.3 — a confidential client cannot exchange its code without its secret', async (t) => {
  const { verifier, challenge } = pkcePair();
  const query = await approveAs(server, spaRequest(server, challenge, { client_id: server.web.id }));
  const exchange = await tokenRequest(server, {
    grant_type: 'authorization_code',
    code: query.get('code') ?? '',
    redirect_uri: server.redirectUri,
    client_id: server.web.id,
    code_verifier: verifier,
  });
  t.is(exchange.status, 401);
  t.is(exchange.json.error, 'invalid_client');
});

test('RFC 7636 §4.6 — a client allowed plain PKCE exchanges with the challenge itself as verifier', async (t) => {
  const { verifier } = pkcePair();
  const query = await approveAs(
    server,
    spaRequest(server, verifier, { client_id: 'plain-allowed', code_challenge_method: 'plain' }),
  );
  const exchange = await exchangeSpaCode(server, query.get('code') ?? '', verifier, { client_id: 'plain-allowed' });
  t.is(exchange.status, 200);
});
