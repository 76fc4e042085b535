/**
 * Sign-in sessions at the authorization endpoint (OIDC Core §3.1.2.3–§3.1.2.6): the cookie, what
 * the storage keeps, prompt=none, prompt=login, max_age, and two browsers of two users. Real HTTP
 * against the built-in page; each cookie jar is one browser.
 */
import { createHash } from 'node:crypto';
import test from 'ava';
import {
  codeCount,
  codeOf,
  CookieJar,
  ISSUER,
  open,
  SESSION_COOKIE,
  sessionRows,
  signInAndApprove,
  startOpenIdPageServer,
  submit,
  type OpenIdPageServer,
} from './support/openid-page-server.js';

let server: OpenIdPageServer;
test.before(async () => {
  server = await startOpenIdPageServer();
});
test.after.always(async () => {
  await server?.close();
});

/** A browser in which `user` signed in and approved `openid read`. */
async function signedInBrowser(user: { username: string; password: string }): Promise<CookieJar> {
  return (await signedInWithCode(user)).jar;
}

/** {@link signedInBrowser}, with the code of that first approval. */
async function signedInWithCode(user: { username: string; password: string }): Promise<{ jar: CookieJar; code: string }> {
  const jar = new CookieJar();
  const answer = await signInAndApprove(server, jar, user);
  const code = answer.redirect?.get('code');
  if (code === null || code === undefined) throw new Error('the sign-in did not approve');
  return { jar, code };
}

test.serial('OIDC Core §3.1.2.3 — a password sign-in sets the session cookie HttpOnly and SameSite=Lax, with Path=/', async (t) => {
  const jar = new CookieJar();
  await signInAndApprove(server, jar, server.alice);
  const cookie = jar.lastSetCookies.find(({ name }) => name === SESSION_COOKIE);
  t.truthy(cookie, 'the approval response sets the session cookie');
  t.true(cookie?.attributes.has('httponly'));
  t.is(cookie?.attributes.get('samesite')?.toLowerCase(), 'lax');
  t.is(cookie?.attributes.get('path'), '/');
  t.truthy(cookie?.attributes.get('expires'), 'it lasts as long as the session, not the browser');
});

test.serial('OIDC Core §3.1.2.3 — the storage keeps the session secret only as its SHA-256 digest', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const secret = jar.get(SESSION_COOKIE) ?? '';
  t.true(secret.length >= 43, 'a 256-bit secret');
  const rows = await sessionRows(server);
  const mine = rows.find((row) => row.secret_hash === createHash('sha256').update(secret).digest('hex'));
  t.truthy(mine, 'found by the digest');
  t.false(JSON.stringify(rows).includes(secret), 'the secret itself is nowhere in the table');
  t.is(mine?.amr, 'pwd');
});

test.serial('OIDC Core §3.1.2.6 — prompt=none without a session is redirected login_required, with state and iss', async (t) => {
  const shown = await open(new CookieJar(), server.authorizeUrl({ prompt: 'none' }));
  t.is(shown.status, 302);
  t.is(shown.redirect?.get('error'), 'login_required');
  t.is(shown.redirect?.get('state'), 'st-1');
  t.is(shown.redirect?.get('iss'), ISSUER);
});

test.serial('OIDC Core §3.1.2.6 — prompt=none with a session but no consent for the scope is redirected consent_required', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const shown = await open(jar, server.authorizeUrl({ prompt: 'none', scope: 'openid write' }));
  t.is(shown.redirect?.get('error'), 'consent_required');
  t.is(shown.redirect?.get('iss'), ISSUER);
});

test.serial('OIDC Core §3.1.2.6 — prompt=none with a session and remembered consent is answered with a code, no page', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const shown = await open(jar, server.authorizeUrl({ prompt: 'none', nonce: 'silent' }));
  t.is(shown.status, 302);
  t.is(shown.redirect?.get('state'), 'st-1');
  const code = await codeOf(server, shown.redirect?.get('code'));
  t.is(code?.user_id, server.alice.id);
  t.is(code?.nonce, 'silent');
  t.is(code?.amr, 'pwd', 'the session’s authentication goes with the code');
});

test.serial('OIDC Core §3.1.2.6 — prompt=none with a session older than max_age is redirected login_required', async (t) => {
  const jar = await signedInBrowser(server.alice);
  server.advanceClock(120);
  const shown = await open(jar, server.authorizeUrl({ prompt: 'none', max_age: '60' }));
  t.is(shown.redirect?.get('error'), 'login_required');
});

test.serial('OIDC Core §3.1.2.1 — max_age exceeded asks for the password again, though the session is live and consent remembered', async (t) => {
  const jar = await signedInBrowser(server.alice);
  server.advanceClock(120);
  const page = await open(jar, server.authorizeUrl({ max_age: '60' }));
  t.is(page.status, 200);
  t.regex(page.html, /type="password"/);
  t.notRegex(page.html, /Signed in as/);
});

test.serial('OIDC Core §3.1.2.1 — max_age satisfied lets the session approve at once', async (t) => {
  const jar = await signedInBrowser(server.alice);
  server.advanceClock(30);
  const shown = await open(jar, server.authorizeUrl({ max_age: '60' }));
  t.truthy(shown.redirect?.get('code'));
});

test.serial('OIDC Core §3.1.2.1 — after re-authentication for max_age the code carries the new auth_time', async (t) => {
  const { jar, code } = await signedInWithCode(server.alice);
  const first = (await codeOf(server, code))?.auth_time as Date;
  server.advanceClock(120);
  const page = await open(jar, server.authorizeUrl({ max_age: '60' }));
  const answer = await submit(server, jar, page, { username: server.alice.username, password: server.alice.password, decision: 'approve' });
  const second = (await codeOf(server, answer.redirect?.get('code')))?.auth_time as Date;
  t.true(second.getTime() - first.getTime() >= 120_000);
});

test.serial('OIDC Core §3.1.2.1 — prompt=login asks for the password again despite a live session and remembered consent', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const page = await open(jar, server.authorizeUrl({ prompt: 'login' }));
  t.is(page.status, 200);
  t.regex(page.html, /type="password"/);
});

test.serial('OIDC Core §3.1.2.1 — the sign-in prompt=login asks for replaces the session: the old one ends', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const oldSecret = jar.get(SESSION_COOKIE) ?? '';
  const oldDigest = createHash('sha256').update(oldSecret).digest('hex');
  const page = await open(jar, server.authorizeUrl({ prompt: 'login' }));
  const answer = await submit(server, jar, page, { username: server.alice.username, password: server.alice.password, decision: 'approve' });
  t.truthy(answer.redirect?.get('code'));
  t.not(jar.get(SESSION_COOKIE), oldSecret, 'a new cookie');
  t.false((await sessionRows(server)).some((row) => row.secret_hash === oldDigest), 'the old session is gone');
});

test.serial('OIDC Core §3.1.2.1 — a form of prompt=login posted without a password does not approve through the session', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const page = await open(jar, server.authorizeUrl({ prompt: 'login' }));
  const answer = await submit(server, jar, page, { decision: 'approve' }, { signed_in_session: 'anything' });
  t.is(answer.redirect, null);
  t.is(answer.status, 200);
});

test.serial('OIDC Core §3.1.2.3 — a sign-in as another user in the same browser ends the first user’s session', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const aliceDigest = createHash('sha256').update(jar.get(SESSION_COOKIE) ?? '').digest('hex');
  const page = await open(jar, server.authorizeUrl({ prompt: 'login' }));
  await submit(server, jar, page, { username: server.bob.username, password: server.bob.password, decision: 'approve' });
  const rows = await sessionRows(server);
  t.false(rows.some((row) => row.secret_hash === aliceDigest));
  t.is(rows.find((row) => row.secret_hash === createHash('sha256').update(jar.get(SESSION_COOKIE) ?? '').digest('hex'))?.user_id, server.bob.id);
});

test.serial('OIDC Core §3.1.2.3 — a session of user A never approves for B: two browsers get codes for their own users', async (t) => {
  const browserA = await signedInBrowser(server.alice);
  const browserB = await signedInBrowser(server.bob);
  const fromA = await open(browserA, server.authorizeUrl({ prompt: 'none', state: 'a' }));
  t.is((await codeOf(server, fromA.redirect?.get('code')))?.user_id, server.alice.id);
  const fromB = await open(browserB, server.authorizeUrl({ prompt: 'none', state: 'b' }));
  t.is((await codeOf(server, fromB.redirect?.get('code')))?.user_id, server.bob.id);
  const again = await open(browserA, server.authorizeUrl({ prompt: 'none', state: 'a2' }));
  t.is((await codeOf(server, again.redirect?.get('code')))?.user_id, server.alice.id, 'B’s sign-in elsewhere changed nothing for A');
});

test.serial('OIDC Core §3.1.2.3 — a page shown signed in as A approves nothing once B has signed in in that browser', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const pageForA = await open(jar, server.authorizeUrl({ scope: 'openid write', state: 'for-a' }));
  t.regex(pageForA.html, /Signed in as <strong>alice<\/strong>/);
  // Another tab of the same browser signs in as B.
  const otherTab = await open(jar, server.authorizeUrl({ prompt: 'login' }));
  await submit(server, jar, otherTab, { username: server.bob.username, password: server.bob.password, decision: 'approve' });
  const before = await codeCount(server);
  const answer = await submit(server, jar, pageForA, { decision: 'approve' });
  t.is(answer.redirect, null, 'no code, no redirect');
  t.is(await codeCount(server), before);
  t.regex(answer.html, /no longer signed in as this page said/);
  t.regex(answer.html, /Signed in as <strong>bob<\/strong>/, 'the page shows who is signed in now');
});

test.serial('OIDC Core §3.1.2.3 — a session that ended (logout) approves nothing from a page shown while it lived', async (t) => {
  const jar = await signedInBrowser(server.alice);
  const page = await open(jar, server.authorizeUrl({ scope: 'openid write' }));
  await server.pglite.query('DELETE FROM oauth_sessions WHERE user_id = $1', [server.alice.id]);
  const answer = await submit(server, jar, page, { decision: 'approve' });
  t.is(answer.redirect, null);
  t.regex(answer.html, /type="password"/, 'the page asks for the password now');
});

test.serial('OIDC Core §3.1.2.3 — a cookie naming no live session is cleared and the page asks for the password', async (t) => {
  const jar = new CookieJar();
  // A session that expired: the clock moves past its lifetime.
  await signInAndApprove(server, jar, server.alice);
  server.advanceClock(86_400 + 1);
  const page = await open(jar, server.authorizeUrl());
  t.is(page.status, 200);
  t.regex(page.html, /type="password"/);
  t.is(jar.get(SESSION_COOKIE), undefined, 'the cookie was cleared');
});
