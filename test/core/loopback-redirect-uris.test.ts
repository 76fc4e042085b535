/**
 * Which presented `redirect_uri` matches a registered one: exactly the same string (RFC 9700
 * §4.1.3), except the port of a loopback IP redirect URI of a native app (RFC 8252 §7.3). The
 * rule lives in `redirectUriMatches`; these tests hold it, and every place that uses it: the
 * authorization endpoint's validation and approval, and the oauth2-server model's
 * `validateRedirectUri` and `saveAuthorizationCode` behind `server.authorize()`.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import { createAuthorizationEndpoint, OAuthProvider } from '../../src/core/index.js';
import { redirectUriMatches } from '../../src/core/provider/redirect-uri.js';
import { MemoryStorage } from '../../src/testing/index.js';

const S256 = { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };

test('RFC 8252 §7.3 — a registered http://127.0.0.1 redirect URI matches any port, or none', (t) => {
  for (const presented of ['http://127.0.0.1/cb', 'http://127.0.0.1:1/cb', 'http://127.0.0.1:51234/cb', 'http://127.0.0.1:65535/cb']) {
    t.true(redirectUriMatches('http://127.0.0.1/cb', presented), presented);
  }
});

test('RFC 8252 §7.3 — a registered http://[::1] redirect URI with a port matches any other port', (t) => {
  for (const presented of ['http://[::1]:8080/cb', 'http://[::1]/cb', 'http://[::1]:49152/cb']) {
    t.true(redirectUriMatches('http://[::1]:8080/cb', presented), presented);
  }
  t.true(redirectUriMatches('http://127.0.0.1:8080/cb?app=1', 'http://127.0.0.1:9/cb?app=1'));
});

test('RFC 8252 §7.3 — only the port is free: another path, query, scheme or host is refused', (t) => {
  for (const presented of [
    'http://127.0.0.1:5000/other',
    'http://127.0.0.1:5000/cb/',
    'http://127.0.0.1:5000/CB',
    'http://127.0.0.1:5000/cb?x=1',
    'http://127.0.0.1:5000/cb#frag',
    'https://127.0.0.1:5000/cb',
    'HTTP://127.0.0.1:5000/cb',
    'http://[::1]:5000/cb',
    'http://127.0.0.2:5000/cb',
    'http://localhost:5000/cb',
    'http://user@127.0.0.1:5000/cb',
  ]) {
    t.false(redirectUriMatches('http://127.0.0.1/cb', presented), presented);
  }
});

test('RFC 8252 §7.3 — a presented port must be a port: empty, zero, leading zeros, out of range or not digits is refused', (t) => {
  for (const presented of ['http://127.0.0.1:/cb', 'http://127.0.0.1:0/cb', 'http://127.0.0.1:080/cb', 'http://127.0.0.1:65536/cb', 'http://127.0.0.1:99999/cb', 'http://127.0.0.1:8a/cb']) {
    t.false(redirectUriMatches('http://127.0.0.1/cb', presented), presented);
  }
});

test('RFC 8252 §8.3 — a localhost redirect URI gets no port relaxation: another port is refused', (t) => {
  t.true(redirectUriMatches('http://localhost:1234/cb', 'http://localhost:1234/cb'));
  t.false(redirectUriMatches('http://localhost:1234/cb', 'http://localhost:4321/cb'));
  t.false(redirectUriMatches('http://localhost:1234/cb', 'http://localhost/cb'));
});

test('RFC 9700 §4.1.3 — a non-loopback redirect URI matches only itself: another port is refused', (t) => {
  t.true(redirectUriMatches('https://app.example:8443/cb', 'https://app.example:8443/cb'));
  t.false(redirectUriMatches('https://app.example:8443/cb', 'https://app.example:9443/cb'));
  t.false(redirectUriMatches('https://app.example:8443/cb', 'https://app.example/cb'));
  t.false(redirectUriMatches('https://app.example/cb', 'https://app.example:443/cb'));
  t.false(redirectUriMatches('https://127.0.0.1/cb', 'https://127.0.0.1:8443/cb'), 'the relaxation is for http only');
});

async function world() {
  const provider = new OAuthProvider(new MemoryStorage(), { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  await provider.scopes.define('read');
  const { client } = await provider.clients.create({
    name: 'native app',
    grants: ['authorization_code'],
    redirectUris: ['http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'http://localhost:1234/cb', 'https://app.example:8443/cb'],
    scopes: ['read'],
    defaultScopes: ['read'],
  });
  return { provider, client, endpoint: createAuthorizationEndpoint({ provider }) };
}

test('RFC 8252 §7.3 — the authorization endpoint accepts a loopback redirect_uri on an ephemeral port and redirects there', async (t) => {
  const { client, endpoint } = await world();
  for (const redirect_uri of ['http://127.0.0.1:51234/cb', 'http://[::1]:49152/cb']) {
    const check = await endpoint.validate({ response_type: 'code', client_id: client.id, redirect_uri, state: 's', ...S256 });
    if (!check.ok) return t.fail(`${redirect_uri}: ${check.errorDescription}`);
    t.is(check.request.redirectUri, redirect_uri);
    const { redirectTo } = await endpoint.approve(check.request, { id: 'user-1' });
    const url = new URL(redirectTo);
    t.is(`${url.origin}${url.pathname}`, redirect_uri);
    t.truthy(url.searchParams.get('code'));
    t.is(url.searchParams.get('state'), 's');
  }
});

test('RFC 9700 §4.1.3 — the authorization endpoint refuses, without redirecting, another port of localhost or of a non-loopback URI, and another loopback path or scheme', async (t) => {
  const { client, endpoint } = await world();
  for (const redirect_uri of ['http://localhost:4321/cb', 'https://app.example:9443/cb', 'http://127.0.0.1:51234/other', 'https://127.0.0.1:51234/cb']) {
    const check = await endpoint.validate({ response_type: 'code', client_id: client.id, redirect_uri, ...S256 });
    t.false(check.ok, redirect_uri);
    if (!check.ok) t.is(check.redirectTo, null, redirect_uri);
  }
});

test('RFC 8252 §7.3 — oauth2-server\'s own authorize() with this model accepts a loopback redirect_uri on an ephemeral port', async (t) => {
  const { provider, client } = await world();
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  const authorize = (redirect_uri: string) =>
    server.authorize(
      new OAuth2Server.Request({ method: 'GET', headers: {}, query: { response_type: 'code', client_id: client.id, redirect_uri, state: 's', ...S256 } }),
      new OAuth2Server.Response({ headers: {} }),
      { authenticateHandler: { handle: () => ({ id: 'user-1' }) } },
    );
  const code = await authorize('http://127.0.0.1:51234/cb');
  t.is(code.redirectUri, 'http://127.0.0.1:51234/cb');
  await t.throwsAsync(authorize('http://localhost:4321/cb'), { name: 'invalid_client' });
  await t.throwsAsync(authorize('https://app.example:9443/cb'), { name: 'invalid_client' });
});
