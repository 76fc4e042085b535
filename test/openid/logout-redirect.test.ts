import test from 'ava';
import { CookieJar, OTHER_SIGNED_OUT_URI, SIGNED_OUT_URI, SIGNED_OUT_WITH_QUERY, startLogoutServer, type LogoutServer } from './support/logout-server.js';

let server: LogoutServer;
test.before(async () => {
  server = await startLogoutServer();
});
test.after.always(async () => {
  await server?.close();
});

const ATTACKER_URI = 'https://attacker.example/phish';

test('OIDC RP-Initiated Logout §3 — an unregistered post_logout_redirect_uri never redirects, even with a valid hint (no open redirect)', async (t) => {
  // The attacker has an ID token of their own at the relying party and sends the victim a link.
  const attacker = await server.signIn(server.users.bob);
  const victim = await server.signIn(server.users.alice);
  const attackersHint = await server.idToken({ sub: server.users.bob });
  const link = server.logoutUrl({ id_token_hint: attackersHint, post_logout_redirect_uri: ATTACKER_URI, state: 'x' });
  for (const jar of [victim.jar, attacker.jar, new CookieJar()]) {
    const answer = await server.get(link, jar);
    t.is(answer.status, 400);
    t.is(answer.location, null);
    t.notRegex(answer.html, /attacker\.example/);
  }
  const rows = (await server.sessionRows()).map((row) => row.id);
  t.true(rows.includes(victim.sessionId));
  t.true(rows.includes(attacker.sessionId));
});

test('OIDC RP-Initiated Logout §3 — a post_logout_redirect_uri without a client (no hint, no client_id) is refused', async (t) => {
  const answer = await server.get(server.logoutUrl({ post_logout_redirect_uri: SIGNED_OUT_URI }));
  t.is(answer.status, 400);
  t.is(answer.location, null);
  t.regex(answer.html, /needs id_token_hint or client_id/);
});

test('OIDC RP-Initiated Logout §3 — a URI registered for another client is refused', async (t) => {
  const viaClientId = await server.get(server.logoutUrl({ client_id: 'rp', post_logout_redirect_uri: OTHER_SIGNED_OUT_URI }));
  t.is(viaClientId.status, 400);
  t.is(viaClientId.location, null);
  const hint = await server.idToken({ sub: server.users.alice, aud: 'rp' });
  const viaHint = await server.get(server.logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: OTHER_SIGNED_OUT_URI }));
  t.is(viaHint.status, 400);
  t.is(viaHint.location, null);
});

test('OIDC RP-Initiated Logout §3 — the URI must equal a registered one exactly, as a string', async (t) => {
  for (const variant of [`${SIGNED_OUT_URI}/`, SIGNED_OUT_URI.toUpperCase(), 'https://RP.example/signed-out', `${SIGNED_OUT_URI}?x=1`, `${SIGNED_OUT_URI}#f`, 'https://rp.example:443/signed-out']) {
    const answer = await server.get(server.logoutUrl({ client_id: 'rp', post_logout_redirect_uri: variant }));
    t.is(answer.status, 400, variant);
    t.is(answer.location, null, variant);
  }
});

test('OIDC RP-Initiated Logout §3 — an unknown client_id is refused', async (t) => {
  const answer = await server.get(server.logoutUrl({ client_id: 'nobody', post_logout_redirect_uri: SIGNED_OUT_URI }));
  t.is(answer.status, 400);
  t.is(answer.location, null);
});

test('OIDC RP-Initiated Logout §3 — the redirect carries state, added to the registered URI\'s own query', async (t) => {
  const plain = await server.get(server.logoutUrl({ client_id: 'rp', post_logout_redirect_uri: SIGNED_OUT_URI, state: 'a b&c' }));
  t.is(plain.location, `${SIGNED_OUT_URI}?state=a%20b%26c`);
  const withQuery = await server.get(server.logoutUrl({ client_id: 'rp', post_logout_redirect_uri: SIGNED_OUT_WITH_QUERY, state: 'z' }));
  t.is(withQuery.location, `${SIGNED_OUT_WITH_QUERY}&state=z`);
  const withoutState = await server.get(server.logoutUrl({ client_id: 'rp', post_logout_redirect_uri: SIGNED_OUT_WITH_QUERY }));
  t.is(withoutState.location, SIGNED_OUT_WITH_QUERY);
});

test('OIDC RP-Initiated Logout §3 — without post_logout_redirect_uri the user sees a signed-out page; state alone goes nowhere', async (t) => {
  const answer = await server.get(server.logoutUrl({ client_id: 'rp', state: 'lonely' }));
  t.is(answer.status, 200);
  t.is(answer.location, null);
  t.regex(answer.html, /You are signed out/);
});

test('OIDC RP-Initiated Logout §2 — a repeated parameter is refused with an error page', async (t) => {
  const answer = await server.get(`${server.logoutUrl()}?client_id=rp&post_logout_redirect_uri=${encodeURIComponent(SIGNED_OUT_URI)}&post_logout_redirect_uri=${encodeURIComponent(ATTACKER_URI)}`);
  t.is(answer.status, 400);
  t.is(answer.location, null);
  t.regex(answer.html, /post_logout_redirect_uri is repeated/);
});
