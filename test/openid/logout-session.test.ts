import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import Koa from 'koa';
import { OAuthProvider } from '../../src/core/index.js';
import { createOAuthRouter } from '../../src/koa/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { serve } from '../koa/support/http-server.js';
import { CookieJar, hiddenFieldsOf, SESSION_COOKIE, SIGNED_OUT_URI, startLogoutServer, type Answer, type LogoutServer } from './support/logout-server.js';

let server: LogoutServer;
test.before(async () => {
  server = await startLogoutServer();
});
test.after.always(async () => {
  await server?.close();
});

async function sessionExists(id: string): Promise<boolean> {
  return (await server.sessionRows()).some((row) => row.id === id);
}

/** Whether the answer tells the browser to drop its session cookie. */
function clearsSessionCookie(answer: Answer): boolean {
  return answer.setCookies.some((line) => line.startsWith(`${SESSION_COOKIE}=;`) && /expires=Thu, 01 Jan 1970/i.test(line));
}

/** A confirmation page, with its form fields: the user's choice is `decision`. */
function assertConfirmation(t: import('ava').ExecutionContext, answer: Answer): Array<[string, string]> {
  t.is(answer.status, 200);
  t.is(answer.location, null);
  t.regex(answer.html, /Sign out\?/);
  const fields = hiddenFieldsOf(answer.html);
  t.true(fields.some(([name]) => name === 'csrf_token'));
  return fields;
}

test('OIDC RP-Initiated Logout §2 — after logout the session row is gone and the cookie cleared; the browser is signed out', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const hint = await server.idToken({ sub: server.users.alice });
  const answer = await server.get(server.logoutUrl({ id_token_hint: hint }), jar);
  t.is(answer.status, 200);
  t.regex(answer.html, /You are signed out/);
  t.false(await sessionExists(sessionId));
  t.true(clearsSessionCookie(answer));
  t.is(jar.get(SESSION_COOKIE), undefined);
});

test('OIDC RP-Initiated Logout §2 — logging out one browser leaves the same user\'s other browser signed in', async (t) => {
  const laptop = await server.signIn(server.users.alice);
  const phone = await server.signIn(server.users.alice);
  const hint = await server.idToken({ sub: server.users.alice });
  await server.get(server.logoutUrl({ id_token_hint: hint }), laptop.jar);
  t.false(await sessionExists(laptop.sessionId));
  t.true(await sessionExists(phone.sessionId));
});

test('OIDC RP-Initiated Logout §2 — without an id_token_hint the user is asked, and the session ends only once they confirm', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const shown = await server.get(server.logoutUrl({ client_id: 'rp', post_logout_redirect_uri: SIGNED_OUT_URI, state: 'st' }), jar);
  const fields = assertConfirmation(t, shown);
  t.true(await sessionExists(sessionId));
  t.false(clearsSessionCookie(shown));
  const confirmed = await server.post([...fields, ['decision', 'logout']], jar);
  t.is(confirmed.status, 303);
  t.is(confirmed.location, `${SIGNED_OUT_URI}?state=st`);
  t.false(await sessionExists(sessionId));
  t.true(clearsSessionCookie(confirmed));
});

test('OIDC RP-Initiated Logout §2 — a hint naming another user than the one signed in asks before ending the session', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const bobsHint = await server.idToken({ sub: server.users.bob });
  assertConfirmation(t, await server.get(server.logoutUrl({ id_token_hint: bobsHint, post_logout_redirect_uri: SIGNED_OUT_URI }), jar));
  t.true(await sessionExists(sessionId));
});

test('OIDC RP-Initiated Logout §2 — at a pairwise client the hint\'s sub is compared with the pairwise subject', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  // The local user id is not the sub this client was told: it must not log out silently.
  const localId = await server.idToken({ sub: server.users.alice, aud: 'pairwise-rp' });
  assertConfirmation(t, await server.get(server.logoutUrl({ id_token_hint: localId }), jar));
  t.true(await sessionExists(sessionId));
  // Learn the pairwise sub the way the client would: it is not the user id. Derive it as the provider does.
  const { subjectFor } = await import('../../src/core/provider/openid/subject-identifier.js');
  const client = await server.provider.clients.get('pairwise-rp');
  const pairwise = subjectFor(server.users.alice, { id: 'pairwise-rp', subjectType: 'pairwise', sectorIdentifier: null, redirectUris: client!.redirectUris }, Buffer.alloc(32, 7));
  t.not(pairwise, server.users.alice);
  const answer = await server.get(server.logoutUrl({ id_token_hint: await server.idToken({ sub: pairwise, aud: 'pairwise-rp' }) }), jar);
  t.regex(answer.html, /You are signed out/);
  t.false(await sessionExists(sessionId));
});

test('OIDC RP-Initiated Logout §2 — "stay signed in" keeps the session and still returns to the relying party', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const fields = assertConfirmation(t, await server.get(server.logoutUrl({ client_id: 'rp', post_logout_redirect_uri: SIGNED_OUT_URI }), jar));
  const stayed = await server.post([...fields, ['decision', 'stay']], jar);
  t.is(stayed.status, 303);
  t.is(stayed.location, SIGNED_OUT_URI);
  t.true(await sessionExists(sessionId));
  t.false(clearsSessionCookie(stayed));
});

test('OIDC RP-Initiated Logout §2 — a confirmation forged by another site logs nobody out (CSRF)', async (t) => {
  const victim = await server.signIn(server.users.alice);
  // The victim once saw a logout page: their browser holds a form binding of its own.
  await server.get(server.logoutUrl({ client_id: 'rp' }), victim.jar);
  t.truthy(victim.jar.get('oauth2kit-form'));
  // The attacker, signed in as themselves, fetches a genuine form and makes the victim's browser post it.
  const { jar: attacker } = await server.signIn(server.users.bob);
  const attackersFields = hiddenFieldsOf((await server.get(server.logoutUrl({ client_id: 'rp', post_logout_redirect_uri: SIGNED_OUT_URI }), attacker)).html);
  const forged = await server.post([...attackersFields, ['decision', 'logout']], victim.jar);
  t.is(forged.status, 403);
  t.is(forged.location, null);
  t.true(await sessionExists(victim.sessionId));
  // A token edited to another redirect URI fails too, in the attacker's own browser.
  const edited = attackersFields.map(([name, value]): [string, string] => [name, name === 'post_logout_redirect_uri' ? 'https://rp.example/bye?from=op' : value]);
  t.is((await server.post([...edited, ['decision', 'logout']], attacker)).status, 403);
});

test('OIDC RP-Initiated Logout §2 — a relying party\'s own POST without the session cookie is asked to confirm, never ended silently', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const hint = await server.idToken({ sub: server.users.alice });
  // Cross-site: SameSite=Lax withholds the cookies, so the server cannot see the session.
  const crossSite = await server.post({ id_token_hint: hint, post_logout_redirect_uri: SIGNED_OUT_URI, state: 'p' });
  const fields = assertConfirmation(t, crossSite);
  // The confirmation posts from this site, with the browser's cookies.
  const binding = crossSite.setCookies.find((line) => line.startsWith('oauth2kit-form='))!.split(';')[0]!.split('=')[1]!;
  jar.set('oauth2kit-form', binding);
  const confirmed = await server.post([...fields, ['decision', 'logout']], jar);
  t.is(confirmed.status, 303);
  t.is(confirmed.location, `${SIGNED_OUT_URI}?state=p`);
  t.false(await sessionExists(sessionId));
});

test('OIDC RP-Initiated Logout §2 — a POST that carries the session cookie and a matching hint logs out at once', async (t) => {
  const { jar, sessionId } = await server.signIn(server.users.alice);
  const hint = await server.idToken({ sub: server.users.alice });
  const answer = await server.post({ id_token_hint: hint, post_logout_redirect_uri: SIGNED_OUT_URI }, jar);
  t.is(answer.status, 303);
  t.is(answer.location, SIGNED_OUT_URI);
  t.false(await sessionExists(sessionId));
});

test('OIDC RP-Initiated Logout §2 — without a session there is nothing to end: the user still returns or sees the page', async (t) => {
  const hint = await server.idToken({ sub: server.users.alice });
  const redirected = await server.get(server.logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: SIGNED_OUT_URI, state: 'n' }));
  t.is(redirected.status, 302);
  t.is(redirected.location, `${SIGNED_OUT_URI}?state=n`);
  const page = await server.get(server.logoutUrl());
  t.is(page.status, 200);
  t.regex(page.html, /You are signed out/);
  // A cookie whose session is gone is cleared as well.
  const stale = new CookieJar();
  stale.set(SESSION_COOKIE, 'A'.repeat(43));
  const cleared = await server.get(server.logoutUrl(), stale);
  t.true(clearsSessionCookie(cleared));
});

test('OIDC RP-Initiated Logout §2 — every answer is no-store and unframeable; the confirmation page has a strict CSP', async (t) => {
  const { jar } = await server.signIn(server.users.alice);
  const confirmation = await server.get(server.logoutUrl({ client_id: 'rp', post_logout_redirect_uri: SIGNED_OUT_URI }), jar);
  const csp = confirmation.headers.get('content-security-policy') ?? '';
  t.regex(csp, /default-src 'none'/);
  t.regex(csp, /frame-ancestors 'none'/);
  t.regex(csp, /form-action 'self' https:\/\/rp\.example(;|$)/);
  t.notRegex(csp, /script-src|unsafe-inline/);
  const refused = await server.get(server.logoutUrl({ post_logout_redirect_uri: 'https://attacker.example/' }));
  const redirect = await server.get(server.logoutUrl({ client_id: 'rp', post_logout_redirect_uri: SIGNED_OUT_URI }));
  for (const answer of [confirmation, refused, redirect]) {
    t.is(answer.headers.get('cache-control'), 'no-store');
    t.regex(answer.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    t.is(answer.headers.get('referrer-policy'), 'no-referrer');
  }
});

test('OIDC RP-Initiated Logout §2 — the end-session endpoint is {prefix}/logout, served only when openid is on', async (t) => {
  t.is((await server.get(server.logoutUrl())).status, 200);
  t.is((await server.post({})).status, 200);
  const provider = new OAuthProvider(new MemoryStorage());
  const app = new Koa();
  const router = createOAuthRouter({ provider, server: new OAuth2Server({ model: provider.clientModel() }) });
  app.use(router.routes()).use(router.allowedMethods());
  const plain = await serve(app);
  t.teardown(() => plain.close());
  t.is((await fetch(`${plain.origin}/auth/logout`)).status, 404);
  t.is((await fetch(`${plain.origin}/auth/logout`, { method: 'POST', body: new URLSearchParams() })).status, 404);
});

test('OIDC RP-Initiated Logout §2.1 — end_session_endpoint in the discovery document is the route served', async (t) => {
  const response = await fetch(`${server.origin}/.well-known/openid-configuration`);
  t.is(response.status, 200);
  const advertised = ((await response.json()) as { end_session_endpoint?: string }).end_session_endpoint;
  t.is(advertised, 'https://login.example/auth/logout');
  t.is((await server.get(`${server.origin}${new URL(advertised!).pathname}`)).status, 200);
});
