/**
 * The pages defend themselves: a strict nonce-based Content-Security-Policy, no framing
 * (RFC 6749 §10.13), no caching or referrer leaks, and everything echoed HTML-escaped.
 */
import test from 'ava';
import { startAuthorizationServer, type AuthorizationServer } from './support/authorization-server.js';
import { openPage, pkcePair, spaRequest, submitPage } from './support/consent-form.js';

let server: AuthorizationServer;
const HOSTILE_NAME = '<img src=x onerror=alert(1)> "Evil" & Co';
const HOSTILE_DESCRIPTION = '</li><script>alert("scope")</script>';

test.before(async () => {
  server = await startAuthorizationServer();
  await server.provider.scopes.define('hostile', HOSTILE_DESCRIPTION);
  await server.provider.clients.create({
    id: 'hostile',
    name: HOSTILE_NAME,
    grants: ['authorization_code'],
    redirectUris: [server.redirectUri],
    scopes: ['hostile'],
    confidential: false,
  });
});

test.after.always(() => server?.close());

/** The CSP directives of a response, by name. */
function policyOf(headers: Headers): Map<string, string[]> {
  const policy = headers.get('content-security-policy') ?? '';
  return new Map(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0] !== '')
      .map(([name, ...values]) => [name ?? '', values]),
  );
}

function consentPage() {
  return openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge)));
}

function errorPage() {
  return openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge, { client_id: 'nobody' })));
}

test('RFC 6749 §10.13 — the consent page forbids framing by any site', async (t) => {
  const page = await consentPage();
  t.deepEqual(policyOf(page.headers).get('frame-ancestors'), ["'none'"]);
  t.is(page.headers.get('x-frame-options'), 'DENY');
});

test('RFC 6749 §10.13 — the error page forbids framing by any site', async (t) => {
  const page = await errorPage();
  t.deepEqual(policyOf(page.headers).get('frame-ancestors'), ["'none'"]);
  t.is(page.headers.get('x-frame-options'), 'DENY');
});

test('the policy loads nothing by default and allows no script and no inline code without the nonce', async (t) => {
  const page = await consentPage();
  const policy = policyOf(page.headers);
  t.deepEqual(policy.get('default-src'), ["'none'"]);
  t.false(policy.has('script-src'));
  t.deepEqual(policy.get('base-uri'), ["'none'"]);
  t.false((page.headers.get('content-security-policy') ?? '').includes('unsafe-'));
});

test("the page's inline style carries the policy's nonce", async (t) => {
  const page = await consentPage();
  const styleSources = policyOf(page.headers).get('style-src') ?? [];
  t.is(styleSources.length, 1);
  const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(styleSources[0] ?? '')?.[1];
  t.truthy(nonce);
  t.true(page.html.includes(`<style nonce="${nonce}">`));
});

test('every response gets a fresh nonce', async (t) => {
  const [first, second] = await Promise.all([consentPage(), consentPage()]);
  t.notDeepEqual(policyOf(first.headers).get('style-src'), policyOf(second.headers).get('style-src'));
});

test("the form may post only to this server, and be redirected only to the client's origin", async (t) => {
  const page = await consentPage();
  t.deepEqual(policyOf(page.headers).get('form-action'), ["'self'", new URL(server.redirectUri).origin]);
});

test('RFC 9700 §4.2.4 — the pages are neither cached nor leak their URL as a referrer, and are not content-sniffed', async (t) => {
  for (const page of [await consentPage(), await errorPage()]) {
    t.is(page.headers.get('cache-control'), 'no-store');
    t.is(page.headers.get('referrer-policy'), 'no-referrer');
    t.is(page.headers.get('x-content-type-options'), 'nosniff');
  }
});

test('the client name and scope descriptions are escaped', async (t) => {
  const page = await openPage(
    server.authorizeUrl(spaRequest(server, pkcePair().challenge, { client_id: 'hostile', scope: 'hostile' })),
  );
  t.is(page.status, 200);
  t.false(page.html.includes('<img'));
  t.false(page.html.includes('<script'));
  t.true(page.html.includes('&lt;img src=x onerror=alert(1)&gt; &quot;Evil&quot; &amp; Co'));
  t.true(page.html.includes('&lt;/li&gt;&lt;script&gt;alert(&quot;scope&quot;)&lt;/script&gt;'));
});

test('RFC 6749 §10.14 — a hostile state is carried in the form escaped, and comes back intact', async (t) => {
  const state = `"><script>alert('state')</script>`;
  const page = await openPage(server.authorizeUrl(spaRequest(server, pkcePair().challenge, { state })));
  t.false(page.html.includes('<script'));
  t.is(new Map(page.hiddenFields).get('state'), state);
});

test('RFC 6749 §10.14 — the username typed is filled in again escaped after a failed sign-in', async (t) => {
  const page = await consentPage();
  const username = '"><script>alert(1)</script>';
  const response = await submitPage(server, page, { username, password: 'wrong', decision: 'approve' });
  const html = await response.text();
  t.false(html.includes('<script'));
  t.true(html.includes('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
});

test('the password typed is never sent back', async (t) => {
  const page = await consentPage();
  const password = 'a-distinctive-wrong-password';
  const response = await submitPage(server, page, { username: server.user.username, password, decision: 'approve' });
  t.false((await response.text()).includes(password));
});
