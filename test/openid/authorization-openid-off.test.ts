/**
 * Without the `openid` option the authorization endpoint is the OAuth one: the OpenID Connect
 * parameters are unknown parameters, and no sign-in session or remembered consent exists.
 */
import test from 'ava';
import { CookieJar, open, SESSION_COOKIE, sessionRows, signInAndApprove, startOpenIdPageServer, type OpenIdPageServer } from './support/openid-page-server.js';

let server: OpenIdPageServer;
test.before(async () => {
  server = await startOpenIdPageServer({ providerOptions: { openid: undefined } });
});
test.after.always(async () => {
  await server?.close();
});

test('RFC 6749 §3.1 — without the openid option, prompt=none and request are ignored: the page is shown', async (t) => {
  const page = await open(new CookieJar(), server.authorizeUrl({ prompt: 'none', request: 'x', response_mode: 'fragment' }));
  t.is(page.status, 200);
});

test('OIDC Core §3.1.2.3 — without the openid option a sign-in begins no session and sets no session cookie', async (t) => {
  const jar = new CookieJar();
  const answer = await signInAndApprove(server, jar, server.alice);
  t.truthy(answer.redirect?.get('code'));
  t.is(jar.get(SESSION_COOKIE), undefined);
  t.deepEqual(await sessionRows(server), []);
  const again = await open(jar, server.authorizeUrl());
  t.is(again.status, 200, 'the next request shows the page again');
});
