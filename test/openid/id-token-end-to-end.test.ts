/**
 * The ID token of a code obtained on the built-in sign-in page, on the SQL storage (PGlite): the
 * nonce of the authorization request and the authentication of the password sign-in travel from
 * the page through the code row to the ID token (OIDC Core §3.1.3.3), and through the token rows
 * to the ID token of a refresh (§12.2).
 */
import test from 'ava';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { TEST_CLOCK_START } from '../../src/testing/index.js';
import { basic } from '../koa/support/http-server.js';
import { CookieJar, codeOf, ISSUER, signInAndApprove, startOpenIdPageServer, VERIFIER, type OpenIdPageServer } from './support/openid-page-server.js';

let server: OpenIdPageServer;
let client: { id: string; secret: string };
/** Seconds the tests moved the server's clock by: the instant ID tokens are verified at. */
let elapsed = 0;

test.before(async () => {
  server = await startOpenIdPageServer();
  const created = await server.provider.clients.create({
    id: 'web-rp',
    name: 'Web Relying Party',
    grants: ['authorization_code', 'refresh_token'],
    redirectUris: [server.redirectUri],
    scopes: ['openid', 'read'],
  });
  client = { id: created.client.id, secret: created.clientSecret ?? '' };
});

test.after.always(async () => {
  await server?.close();
});

async function token(parameters: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.origin}/auth/token`, {
    method: 'POST',
    headers: { authorization: basic(client.id, client.secret) },
    body: new URLSearchParams(parameters),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`the token endpoint answered ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function verified(idToken: unknown) {
  if (typeof idToken !== 'string') throw new Error('no id_token');
  const jwks = createRemoteJWKSet(new URL(`${server.origin}/auth/jwks`));
  const { payload } = await jwtVerify(idToken, jwks, { issuer: ISSUER, audience: client.id, currentDate: new Date(TEST_CLOCK_START.getTime() + elapsed * 1000) });
  return payload;
}

/** Signs alice in on the page with `nonce`, approves, and exchanges the code. */
async function signInAndExchange(nonce: string) {
  const approved = await signInAndApprove(server, new CookieJar(), server.alice, server.authorizeUrl({ client_id: client.id, nonce }));
  const code = approved.redirect?.get('code') ?? '';
  const row = await codeOf(server, code);
  const answer = await token({ grant_type: 'authorization_code', code, redirect_uri: server.redirectUri, code_verifier: VERIFIER });
  return { row, answer };
}

test.serial('OIDC Core §3.1.3.3 — a code from the sign-in page buys an ID token with the request\'s nonce and the sign-in\'s auth_time and amr', async (t) => {
  const { row, answer } = await signInAndExchange('n-page-1');
  const payload = await verified(answer['id_token']);
  t.is(payload.sub, server.alice.id);
  t.is(payload.nonce, 'n-page-1');
  t.is(payload.auth_time, row!.auth_time!.getTime() / 1000);
  t.deepEqual(payload.amr, ['pwd']);
});

test.serial('OIDC Core §12.2 — on the SQL storage, a refresh\'s ID token keeps the sign-in\'s auth_time and has no nonce', async (t) => {
  const { row, answer } = await signInAndExchange('n-page-2');
  server.advanceClock(90);
  elapsed += 90;
  const first = await token({ grant_type: 'refresh_token', refresh_token: answer['refresh_token'] as string });
  const second = await token({ grant_type: 'refresh_token', refresh_token: first['refresh_token'] as string });
  for (const refreshed of [first, second]) {
    const payload = await verified(refreshed['id_token']);
    t.is(payload.auth_time, row!.auth_time!.getTime() / 1000);
    t.deepEqual(payload.amr, ['pwd']);
    t.false('nonce' in payload);
    t.is(payload.iat, Math.floor(TEST_CLOCK_START.getTime() / 1000) + elapsed);
  }
});
