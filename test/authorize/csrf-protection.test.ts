/**
 * The consent form is protected against cross-site request forgery (RFC 6749 §10.12): a decision
 * counts only when posted by the browser the form was shown to, for the very request it showed,
 * within the form's lifetime. Anything else gets a 403 page, no redirect and no code.
 */
import test from 'ava';
import { startAuthorizationServer, type AuthorizationServer } from './support/authorization-server.js';
import { openPage, pkcePair, redirectOf, spaRequest, submitPage, type ShownPage } from './support/consent-form.js';

let server: AuthorizationServer;

test.before(async () => {
  server = await startAuthorizationServer();
});

test.after.always(() => server?.close());

function credentials(): Record<string, string> {
  return { username: server.user.username, password: server.user.password, decision: 'approve' };
}

async function shownPage(overrides: Record<string, string> = {}): Promise<ShownPage> {
  return openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge, overrides)));
}

/** Asserts the refusal page: 403, HTML, no Location. */
async function assertRefused(t: import('ava').ExecutionContext, response: Response) {
  t.is(response.status, 403);
  t.is(response.headers.get('location'), null);
  t.regex(await response.text(), /This form has expired/);
}

// These count codes in the database, so they run one at a time (before the concurrent tests).
test.serial('RFC 6749 §10.12 — a form posted without the browser cookie is refused and issues no code', async (t) => {
  const before = await server.codeCount();
  const page = await shownPage();
  await assertRefused(t, await submitPage(server, page, credentials(), { cookie: null }));
  t.is(await server.codeCount(), before);
});

test.serial('RFC 6749 §10.12 — a form posted from another browser (another cookie) is refused and issues no code', async (t) => {
  const before = await server.codeCount();
  const victim = await shownPage();
  const attacker = await shownPage();
  t.not(victim.cookie, attacker.cookie);
  await assertRefused(t, await submitPage(server, victim, credentials(), { cookie: attacker.cookie ?? null }));
  t.is(await server.codeCount(), before);
});

test('RFC 6749 §10.12 — a form without its token is refused', async (t) => {
  const page = await shownPage();
  const withoutToken = { ...page, hiddenFields: page.hiddenFields.filter(([name]) => name !== 'csrf_token') };
  await assertRefused(t, await submitPage(server, withoutToken, credentials()));
});

test('RFC 6749 §10.12 — a form whose token was altered is refused', async (t) => {
  const page = await shownPage();
  const token = new Map(page.hiddenFields).get('csrf_token') ?? '';
  const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
  await assertRefused(t, await submitPage(server, page, credentials(), { replace: { csrf_token: altered } }));
});

test('RFC 6749 §10.12 — a form whose requested scope was edited is refused', async (t) => {
  const page = await shownPage({ scope: 'read' });
  await assertRefused(t, await submitPage(server, page, credentials(), { replace: { scope: 'read write' } }));
});

test('RFC 6749 §10.12 — a form whose code_challenge was swapped is refused', async (t) => {
  const page = await shownPage();
  await assertRefused(t, await submitPage(server, page, credentials(), { replace: { code_challenge: pkcePair().challenge } }));
});

test('RFC 6749 §10.12 — a form whose state was edited is refused', async (t) => {
  const page = await shownPage();
  await assertRefused(t, await submitPage(server, page, credentials(), { replace: { state: 'attacker-state' } }));
});

test('RFC 6749 §10.12 — a form with a redirect_uri added that the shown request did not have is refused', async (t) => {
  const parameters = spaRequest(server, pkcePair().challenge);
  delete parameters.redirect_uri;
  const page = await openPage(server.authorizeUrl(parameters));
  await assertRefused(t, await submitPage(server, page, credentials(), { replace: { redirect_uri: server.redirectUri } }));
});

test('RFC 6749 §3.1 — a form that repeats a request parameter is refused', async (t) => {
  const page = await shownPage();
  const repeated = { ...page, hiddenFields: [...page.hiddenFields, ['client_id', 'spa'] as [string, string]] };
  await assertRefused(t, await submitPage(server, repeated, credentials()));
});

test.serial('a form submitted after its lifetime (600 s) is refused', async (t) => {
  const page = await shownPage();
  server.advanceClock(601);
  t.teardown(() => server.advanceClock(-601));
  await assertRefused(t, await submitPage(server, page, credentials()));
});

test('the cookie is HttpOnly and SameSite=Lax, so no script reads it and no other site posts with it', async (t) => {
  const response = await fetch(server.authorizeUrl(spaRequest(server, pkcePair().challenge)));
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('oauth2kit-form='));
  t.truthy(cookie);
  t.regex(cookie ?? '', /;\s*httponly/i);
  t.regex(cookie ?? '', /;\s*samesite=lax/i);
  t.regex(cookie ?? '', /;\s*path=\//i);
});

test('a browser keeps its cookie: a second form does not replace it, and both forms stay valid', async (t) => {
  const first = await shownPage({ state: 'tab-1' });
  const second = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge, { state: 'tab-2' })), first.cookie);
  t.is(second.cookie, first.cookie);
  const fromSecond = await submitPage(server, second, credentials());
  const fromFirst = await submitPage(server, first, credentials());
  t.is(redirectOf(fromSecond).query.get('state'), 'tab-2');
  t.is(redirectOf(fromFirst).query.get('state'), 'tab-1');
});
