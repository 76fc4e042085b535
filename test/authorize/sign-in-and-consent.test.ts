/**
 * POST /auth/authorize: the user's decision on the sign-in/consent page (RFC 6749 §4.1.2), with
 * the issuer in every response to the client (RFC 9207 §2).
 */
import test from 'ava';
import { ISSUER, startAuthorizationServer, type AuthorizationServer } from './support/authorization-server.js';
import { hiddenFieldsOf, openPage, pkcePair, redirectOf, spaRequest, submitPage } from './support/consent-form.js';

let server: AuthorizationServer;
// Tests that count codes in the database run serially (ava runs the others concurrently after them).

test.before(async () => {
  server = await startAuthorizationServer();
});

test.after.always(() => server?.close());

test('RFC 6749 §10.2 — the page names the client and the scopes it asks for', async (t) => {
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge, { scope: 'read write' })));
  t.is(page.status, 200);
  t.regex(page.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
  t.regex(page.html, /Notes App/);
  t.regex(page.html, /Read your profile/);
  t.regex(page.html, /Change your notes/);
});

test('RFC 6749 §4.1.2, RFC 9207 §2 — approving with the right password redirects to the client with code, state and iss', async (t) => {
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge)));
  const response = await submitPage(server, page, {
    username: server.user.username,
    password: server.user.password,
    decision: 'approve',
  });
  t.is(response.status, 303);
  const { target, query } = redirectOf(response);
  t.is(target, server.redirectUri);
  t.regex(query.get('code') ?? '', /^[A-Za-z0-9_-]{43}$/);
  t.is(query.get('state'), 'xyz-state');
  t.is(query.get('iss'), ISSUER);
});

test.serial('a wrong password shows the form again with an error, and redirects nowhere', async (t) => {
  const codesBefore = await server.codeCount();
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge)));
  const response = await submitPage(server, page, { username: server.user.username, password: 'wrong', decision: 'approve' });
  t.is(response.status, 200);
  t.is(response.headers.get('location'), null);
  const html = await response.text();
  t.regex(html, /role="alert"[^>]*>Wrong username or password\.</);
  t.regex(html, /<input type="hidden" name="csrf_token"/);
  t.is(await server.codeCount(), codesBefore);
});

test('an unknown username gets the same answer as a wrong password', async (t) => {
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge)));
  const response = await submitPage(server, page, { username: 'mallory', password: 'whatever', decision: 'approve' });
  t.is(response.status, 200);
  t.regex(await response.text(), />Wrong username or password\.</);
});

test.serial('RFC 6749 §3.1 — approving without a password asks for it and issues nothing', async (t) => {
  const codesBefore = await server.codeCount();
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge)));
  const response = await submitPage(server, page, { username: server.user.username, password: '', decision: 'approve' });
  t.is(response.status, 200);
  t.regex(await response.text(), />Enter your username and password\.</);
  t.is(await server.codeCount(), codesBefore);
});

test('after a failed sign-in the same form, resubmitted with the right password, succeeds', async (t) => {
  const first = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge)));
  const failed = await submitPage(server, first, { username: server.user.username, password: 'wrong', decision: 'approve' });
  const html = await failed.text();
  const again = { ...first, html, hiddenFields: hiddenFieldsOf(html) };
  const response = await submitPage(server, again, {
    username: server.user.username,
    password: server.user.password,
    decision: 'approve',
  });
  t.is(response.status, 303);
  t.truthy(redirectOf(response).query.get('code'));
});

test.serial('RFC 6749 §4.1.2.1, RFC 9207 §2 — denying redirects with access_denied, state and iss, and needs no sign-in', async (t) => {
  const codesBefore = await server.codeCount();
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge)));
  const response = await submitPage(server, page, { decision: 'deny' });
  t.is(response.status, 303);
  const { target, query } = redirectOf(response);
  t.is(target, server.redirectUri);
  t.is(query.get('error'), 'access_denied');
  t.is(query.get('state'), 'xyz-state');
  t.is(query.get('iss'), ISSUER);
  t.is(query.get('code'), null);
  t.is(await server.codeCount(), codesBefore);
});

test('a submission without a decision shows the form again', async (t) => {
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge)));
  const response = await submitPage(server, page, { username: server.user.username, password: server.user.password });
  t.is(response.status, 200);
  t.regex(await response.text(), />Choose whether to allow or deny access\.</);
});

test('RFC 6749 §4.1.2 — without state the redirect carries no state', async (t) => {
  const parameters = spaRequest(server, pkcePair().challenge);
  delete parameters.state;
  const page = await openPage(server.authorizeUrl(parameters));
  const response = await submitPage(server, page, {
    username: server.user.username,
    password: server.user.password,
    decision: 'approve',
  });
  const { query } = redirectOf(response);
  t.truthy(query.get('code'));
  t.false(query.has('state'));
});
