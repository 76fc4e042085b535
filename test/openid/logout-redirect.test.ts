import test from 'ava';
import { CookieJar, OTHER_SIGNED_OUT_URI, SIGNED_OUT_URI, SIGNED_OUT_WITH_QUERY, startLogoutServer, type LogoutServer } from './support/logout-server.js';
import { credentialsOf } from '../../src/core/provider/provider-link.js';

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

test('OIDC RP-Initiated Logout §3 — a client that registered itself is not sent back without the id_token_hint it was issued (no open redirect through its unvetted URIs)', async (t) => {
  const credentials = credentialsOf(server.provider);
  const record = await credentials.storage.management.listClients().then((clients) => clients.find((client) => client.id === 'rp')!);
  const phishing = 'https://attacker.example/looks-like-signed-out';
  await credentials.storage.management.insertClient({ ...record, id: 'dcr_attacker', postLogoutRedirectUris: [phishing] });
  const withoutHint = await server.get(server.logoutUrl({ client_id: 'dcr_attacker', post_logout_redirect_uri: phishing }), new CookieJar());
  t.is(withoutHint.status, 400);
  t.is(withoutHint.location, null);
  const hint = await server.idToken({ sub: server.users.alice, aud: 'dcr_attacker' });
  const withHint = await server.get(server.logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: phishing }), new CookieJar());
  t.is(withHint.location?.startsWith(phishing), true, 'with a hint it issued, the client is known to have had a user here');
});

test('OIDC RP-Initiated Logout §3 — a state that is not printable ASCII is refused with an error page, never a 500', async (t) => {
  for (const state of ['\ud800', 'tab\there', 'é']) {
    const answer = await server.post({ client_id: 'rp', post_logout_redirect_uri: SIGNED_OUT_URI, state });
    t.is(answer.status, 400, JSON.stringify(state));
    t.is(answer.location, null);
  }
});
