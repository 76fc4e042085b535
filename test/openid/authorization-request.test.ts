/**
 * The OpenID Connect parameters of the authorization request (OIDC Core §3.1.2.1, §6), over real
 * HTTP against the built-in page with the `openid` option on.
 */
import test from 'ava';
import { CookieJar, codeOf, ISSUER, open, signInAndApprove, startOpenIdPageServer, submit, type OpenIdPageServer } from './support/openid-page-server.js';

let server: OpenIdPageServer;
test.before(async () => {
  server = await startOpenIdPageServer();
});
test.after.always(async () => {
  await server?.close();
});

/** GETs the authorize URL with `overrides` in a fresh browser and expects a redirected error. */
async function redirectedError(overrides: Record<string, string>): Promise<URLSearchParams> {
  const shown = await open(new CookieJar(), server.authorizeUrl(overrides));
  if (shown.redirect === null) throw new Error(`expected a redirect, got ${shown.status}`);
  return shown.redirect;
}

function assertRedirectedError(t: import('ava').ExecutionContext, query: URLSearchParams, error: string): void {
  t.is(query.get('error'), error);
  t.is(query.get('state'), 'st-1', 'state comes back with the error');
  t.is(query.get('iss'), ISSUER, 'iss comes back with the error (RFC 9207)');
  t.is(query.get('code'), null);
}

test.serial('OIDC Core §3.1.2.1 — the nonce is kept with the code the approval issues', async (t) => {
  const answer = await signInAndApprove(server, new CookieJar(), server.alice, server.authorizeUrl({ nonce: 'n-0S6_WzA2Mj' }));
  const code = await codeOf(server, answer.redirect?.get('code'));
  t.is(code?.nonce, 'n-0S6_WzA2Mj');
});

test.serial('OIDC Core §2 — the approval keeps auth_time and amr pwd of the password sign-in with the code', async (t) => {
  const answer = await signInAndApprove(server, new CookieJar(), server.alice);
  const code = await codeOf(server, answer.redirect?.get('code'));
  t.is(code?.amr, 'pwd');
  t.true(code?.auth_time instanceof Date);
  t.is((code?.auth_time as Date).getTime() % 1000, 0, 'auth_time is whole seconds (a NumericDate)');
});

test('OIDC Core §3.1.2.1 — an OpenID Connect request without redirect_uri is shown an error, never redirected, even for a client with one registered URI', async (t) => {
  const url = new URL(server.authorizeUrl());
  url.searchParams.delete('redirect_uri');
  const shown = await open(new CookieJar(), url.href);
  t.is(shown.status, 400);
  t.is(shown.redirect, null);
});

test('OIDC Core §3.1.2.1 — a nonce longer than 512 characters is redirected invalid_request', async (t) => {
  assertRedirectedError(t, await redirectedError({ nonce: 'n'.repeat(513) }), 'invalid_request');
});

test('OIDC Core §3.1.2.1 — a nonce of 512 characters is accepted', async (t) => {
  t.is((await open(new CookieJar(), server.authorizeUrl({ nonce: 'n'.repeat(512) }))).status, 200);
});

test('OIDC Core §3.1.2.1 — prompt=none with another value is redirected invalid_request', async (t) => {
  assertRedirectedError(t, await redirectedError({ prompt: 'none login' }), 'invalid_request');
});

test('OIDC Core §3.1.2.1 — an unknown prompt value is redirected invalid_request', async (t) => {
  assertRedirectedError(t, await redirectedError({ prompt: 'login sometimes' }), 'invalid_request');
});

test('OIDC Core §3.1.2.1 — prompt values login, consent and select_account together are accepted', async (t) => {
  t.is((await open(new CookieJar(), server.authorizeUrl({ prompt: 'login consent select_account' }))).status, 200);
});

test('OIDC Core §3.1.2.1 — a negative max_age is redirected invalid_request', async (t) => {
  assertRedirectedError(t, await redirectedError({ max_age: '-1' }), 'invalid_request');
});

test('OIDC Core §3.1.2.1 — a max_age that is not a whole number is redirected invalid_request', async (t) => {
  assertRedirectedError(t, await redirectedError({ max_age: '1.5' }), 'invalid_request');
});

test('OIDC Core §3.1.2.1 — login_hint fills in the username', async (t) => {
  const page = await open(new CookieJar(), server.authorizeUrl({ login_hint: 'alice' }));
  t.is(page.status, 200);
  t.regex(page.html, /<input type="text" id="username" name="username" value="alice"/);
});

test('OIDC Core §6.1 — a request object (request) is redirected request_not_supported', async (t) => {
  assertRedirectedError(t, await redirectedError({ request: 'eyJhbGciOiJub25lIn0.e30.' }), 'request_not_supported');
});

test('OIDC Core §6.2 — a request object by reference (request_uri) is redirected request_uri_not_supported', async (t) => {
  assertRedirectedError(t, await redirectedError({ request_uri: 'https://rp.example/request.jwt' }), 'request_uri_not_supported');
});

test('OIDC Core §3.1.2.1 — a response_mode other than query is redirected invalid_request', async (t) => {
  assertRedirectedError(t, await redirectedError({ response_mode: 'fragment' }), 'invalid_request');
});

test('OIDC Core §3.1.2.1 — response_mode=query is accepted', async (t) => {
  t.is((await open(new CookieJar(), server.authorizeUrl({ response_mode: 'query' }))).status, 200);
});

test('OIDC Core §3.1.2.1 — claims, display, ui_locales and acr_values are accepted and ignored', async (t) => {
  const page = await open(
    new CookieJar(),
    server.authorizeUrl({ claims: '{"userinfo":{"email":null}}', display: 'popup', ui_locales: 'fr-CA', acr_values: 'urn:mace:incommon:iap:silver' }),
  );
  t.is(page.status, 200);
});

test('OIDC Core §3.1.2.1 — without the openid scope the OpenID parameters are not checked: a plain OAuth request', async (t) => {
  const page = await open(new CookieJar(), server.authorizeUrl({ scope: 'read', prompt: 'bogus', request: 'x', max_age: 'soon', response_mode: 'fragment' }));
  t.is(page.status, 200);
});

test('OIDC Core §3.1.2.1 — nonce, prompt, max_age and login_hint travel in the form and come back with the POST', async (t) => {
  const page = await open(new CookieJar(), server.authorizeUrl({ nonce: 'abc', prompt: 'consent', max_age: '600', login_hint: 'alice' }));
  const hidden = new Map(page.hiddenFields);
  t.is(hidden.get('nonce'), 'abc');
  t.is(hidden.get('prompt'), 'consent');
  t.is(hidden.get('max_age'), '600');
  t.is(hidden.get('login_hint'), 'alice');
});

test('RFC 6749 §10.12 — a form whose nonce was changed is refused: the form token covers the OpenID parameters', async (t) => {
  const jar = new CookieJar();
  const page = await open(jar, server.authorizeUrl({ nonce: 'original' }));
  const answer = await submit(server, jar, page, { username: server.alice.username, password: server.alice.password, decision: 'approve' }, { nonce: 'forged' });
  t.is(answer.status, 403);
  t.is(answer.redirect, null);
});
