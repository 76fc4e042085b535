/**
 * Remembered consent at the authorization endpoint (OIDC Core §3.1.2.4): what an approval
 * remembers, when it lets a request through without the page, and when the page asks again.
 */
import test from 'ava';
import { consentRows, CookieJar, open, signInAndApprove, startOpenIdPageServer, submit, type OpenIdPageServer } from './support/openid-page-server.js';

let server: OpenIdPageServer;
test.before(async () => {
  server = await startOpenIdPageServer();
});
test.after.always(async () => {
  await server?.close();
});

test.serial('OIDC Core §3.1.2.4 — an approval remembers the consent: the scopes granted to the client', async (t) => {
  await signInAndApprove(server, new CookieJar(), server.alice, server.authorizeUrl({ scope: 'openid profile' }));
  const grant = (await consentRows(server)).find((row) => row.user_id === server.alice.id);
  t.is(grant?.client_id, 'rp');
  t.deepEqual(grant?.scope?.split(' ').sort(), ['openid', 'profile']);
});

test.serial('OIDC Core §3.1.2.4 — remembered consent covers a later request for no more: a code without the page', async (t) => {
  const jar = new CookieJar();
  await signInAndApprove(server, jar, server.alice, server.authorizeUrl({ scope: 'openid profile' }));
  const shown = await open(jar, server.authorizeUrl({ scope: 'openid', state: 'later' }));
  t.is(shown.status, 302);
  t.truthy(shown.redirect?.get('code'));
  t.is(shown.redirect?.get('state'), 'later');
});

test.serial('OIDC Core §3.1.2.4 — remembered consent not covering an extra scope shows the consent page, signed in, without a password', async (t) => {
  const jar = new CookieJar();
  await signInAndApprove(server, jar, server.alice, server.authorizeUrl({ scope: 'openid' }));
  const page = await open(jar, server.authorizeUrl({ scope: 'openid write' }));
  t.is(page.status, 200);
  t.regex(page.html, /Signed in as <strong>alice<\/strong>/);
  t.notRegex(page.html, /type="password"/);
  t.regex(page.html, /Change your notes/);
});

test.serial('OIDC Core §3.1.2.4 — approving the extra scope signed in needs no password, and is remembered with the rest', async (t) => {
  const jar = new CookieJar();
  await signInAndApprove(server, jar, server.bob, server.authorizeUrl({ scope: 'openid' }));
  const page = await open(jar, server.authorizeUrl({ scope: 'openid write' }));
  const answer = await submit(server, jar, page, { decision: 'approve' });
  t.truthy(answer.redirect?.get('code'));
  const grant = (await consentRows(server)).find((row) => row.user_id === server.bob.id);
  t.deepEqual(grant?.scope?.split(' ').sort(), ['openid', 'write']);
  const next = await open(jar, server.authorizeUrl({ scope: 'openid write' }));
  t.truthy(next.redirect?.get('code'), 'now covered');
});

test.serial('OIDC Core §3.1.2.1 — prompt=consent shows the consent page though consent is remembered', async (t) => {
  const jar = new CookieJar();
  await signInAndApprove(server, jar, server.alice, server.authorizeUrl({ scope: 'openid' }));
  const page = await open(jar, server.authorizeUrl({ scope: 'openid', prompt: 'consent' }));
  t.is(page.status, 200);
  t.regex(page.html, /Signed in as <strong>alice<\/strong>/);
});

test.serial('OIDC Core §3.1.2.4 — a plain OAuth request (no openid scope) is served by the session and remembered consent too', async (t) => {
  const jar = new CookieJar();
  await signInAndApprove(server, jar, server.alice, server.authorizeUrl({ scope: 'read' }));
  const shown = await open(jar, server.authorizeUrl({ scope: 'read' }));
  t.truthy(shown.redirect?.get('code'));
});

test.serial('OIDC Core §3.1.2.4 — a denial remembers nothing', async (t) => {
  const jar = new CookieJar();
  const page = await open(jar, server.authorizeUrl({ scope: 'profile' }));
  const before = await consentRows(server);
  const answer = await submit(server, jar, page, { decision: 'deny' });
  t.is(answer.redirect?.get('error'), 'access_denied');
  t.deepEqual(await consentRows(server), before);
});
