/**
 * Withdrawing consent (`provider.grants.revoke`) spends the authorization codes issued under it and
 * not yet exchanged: otherwise the client could still redeem one for tokens within the code's
 * lifetime, after the user withdrew consent. Codes obtained on the built-in page, on the SQL
 * storage (PGlite), exchanged at the real token endpoint.
 */
import test from 'ava';
import { CookieJar, signInAndApprove, startOpenIdPageServer, VERIFIER, type OpenIdPageServer } from './support/openid-page-server.js';

let server: OpenIdPageServer;

test.before(async () => {
  server = await startOpenIdPageServer();
});

test.after.always(async () => {
  await server?.close();
});

/** Signs `user` in on the page, approves, and returns the code the redirect carried. */
async function codeFor(user: { username: string; password: string }): Promise<string> {
  const approved = await signInAndApprove(server, new CookieJar(), user);
  const code = approved.redirect?.get('code');
  if (!code) throw new Error(`no code in the redirect: ${approved.status}`);
  return code;
}

/** Exchanges a code of the public client `rp` (RFC 6749 §4.1.3, PKCE). */
async function exchange(code: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.origin}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: server.redirectUri, client_id: 'rp', code_verifier: VERIFIER }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

test.serial('OIDC Core §3.1.2.4 — withdrawing consent spends the codes issued under it but not yet exchanged', async (t) => {
  const code = await codeFor(server.alice);
  t.like(await server.provider.grants.revoke(server.alice.id, 'rp'), { grants: 1, codes: 1 });
  const answer = await exchange(code);
  t.is(answer.status, 400);
  t.is(answer.json['error'], 'invalid_grant');
  t.false('access_token' in answer.json);
});

test.serial('OIDC Core §3.1.2.4 — withdrawing one user\'s consent leaves another user\'s pending code at the client redeemable', async (t) => {
  const alices = await codeFor(server.alice);
  const bobs = await codeFor(server.bob);
  t.like(await server.provider.grants.revoke(server.alice.id, 'rp'), { codes: 1 });
  t.is((await exchange(alices)).status, 400);
  const answer = await exchange(bobs);
  t.is(answer.status, 200, JSON.stringify(answer.json));
  t.is(typeof answer.json['access_token'], 'string');
});
