/**
 * When a session and remembered consent may approve without the page, and when they may not.
 */
import { createHash } from 'node:crypto';
import test from 'ava';
import { CookieJar, ISSUER, open, signInAndApprove, startOpenIdPageServer, submit, type OpenIdPageServer } from './support/openid-page-server.js';

let server: OpenIdPageServer;
const NATIVE_REDIRECT = 'http://127.0.0.1/callback';

test.before(async () => {
  server = await startOpenIdPageServer();
  await server.provider.clients.create({
    id: 'native',
    name: 'Native app',
    grants: ['authorization_code'],
    redirectUris: [NATIVE_REDIRECT],
    scopes: ['openid', 'read'],
    confidential: false,
  });
  await server.provider.clients.create({
    id: 'default-openid',
    name: 'Defaults to OpenID',
    grants: ['authorization_code'],
    redirectUris: ['https://defaults.example/callback'],
    scopes: ['openid', 'read'],
    defaultScopes: ['openid'],
    confidential: false,
  });
});
test.after.always(async () => {
  await server?.close();
});

function nativeUrl(redirectUri: string, extra: Record<string, string> = {}): string {
  return `${server.origin}/auth/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: 'native',
    redirect_uri: redirectUri,
    scope: 'openid read',
    state: 'st-n',
    code_challenge: createHash('sha256').update('an attacker’s own verifier, at least 43 characters long').digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  })}`;
}

test('RFC 8252 §8.6 — a public client answered at a loopback address is never approved silently: another local program could be listening there', async (t) => {
  const jar = new CookieJar();
  // Alice signs in and approves the native app once.
  const first = await signInAndApprove(server, jar, server.alice, nativeUrl(NATIVE_REDIRECT));
  t.truthy(first.redirect?.get('code'));
  // A program on her machine listens on a port of its own and asks again, without a page.
  const silent = await open(jar, nativeUrl('http://127.0.0.1:61234/callback', { prompt: 'none' }));
  t.is(silent.redirect?.get('error'), 'consent_required');
  t.is(silent.redirect?.get('code'), null);
  // Without prompt=none she is shown the page (signed in: one click), never sent a code unseen.
  const shown = await open(jar, nativeUrl('http://127.0.0.1:61234/callback'));
  t.is(shown.status, 200);
  t.is(shown.redirect, null);
  const approved = await submit(server, jar, shown, { decision: 'approve' });
  t.truthy(approved.redirect?.get('code'), 'one click approves it');
});

test('OIDC Core §3.1.2.1 — openid granted as a client’s default scope makes an OpenID request: redirect_uri is required', async (t) => {
  const url = `${server.origin}/auth/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: 'default-openid',
    state: 'st-d',
    code_challenge: createHash('sha256').update('a verifier of the client, at least 43 characters long').digest('base64url'),
    code_challenge_method: 'S256',
  })}`;
  const shown = await open(new CookieJar(), url);
  t.is(shown.status, 400);
  t.is(shown.redirect, null);
});

test('OIDC Core §3.1.2.1 — openid granted as a client’s default scope makes an OpenID request: its parameters are checked', async (t) => {
  const url = `${server.origin}/auth/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: 'default-openid',
    redirect_uri: 'https://defaults.example/callback',
    state: 'st-d',
    prompt: 'none login',
    code_challenge: createHash('sha256').update('a verifier of the client, at least 43 characters long').digest('base64url'),
    code_challenge_method: 'S256',
  })}`;
  const answer = await open(new CookieJar(), url);
  t.is(answer.redirect?.get('error'), 'invalid_request');
  t.is(answer.redirect?.get('iss'), ISSUER);
});
