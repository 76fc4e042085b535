/**
 * Resource indicators on the sign-in/consent page (RFC 8707 §2.1): the page names the resources by
 * their registered names, escaped like everything it shows; repeated `resource` values travel
 * through the form, covered by its CSRF token, into the code; a refused one goes back to the
 * client as `invalid_target` with `state` and `iss` (RFC 9207 §2).
 */
import test from 'ava';
import { ISSUER, startAuthorizationServer, type AuthorizationServer } from './support/authorization-server.js';
import { exchangeSpaCode, openPage, pkcePair, redirectOf, spaRequest, submitPage } from './support/consent-form.js';

const CALENDAR = 'https://calendar.example/';
const CONTACTS = "https://contacts.example/api?tenant='a'&b";
/** A name as an administrator might type it, with every character HTML gives meaning to. */
const HOSTILE_NAME = `Contacts <script>alert("x")</script> & 'friends'`;

let server: AuthorizationServer;
let introspector: string;

test.before(async () => {
  server = await startAuthorizationServer();
  await server.provider.resources.define({ id: CALENDAR, name: 'Team Calendar' });
  await server.provider.resources.define({ id: CONTACTS, name: HOSTILE_NAME });
  const created = await server.provider.clients.create({
    id: 'resource-server',
    name: 'Resource server',
    grants: ['client_credentials'],
    scopes: ['read'],
    allowIntrospection: true,
  });
  introspector = `Basic ${Buffer.from(`resource-server:${created.clientSecret ?? ''}`).toString('base64')}`;
});

test.after.always(() => server?.close());

/** The authorize URL of the public client's request with these `resource` values, in order. */
function authorizeUrlWith(challenge: string, resources: string[], overrides: Record<string, string> = {}): string {
  const query = new URLSearchParams(spaRequest(server, challenge, overrides));
  for (const resource of resources) query.append('resource', resource);
  return `${server.origin}/auth/authorize?${query}`;
}

const signIn = () => ({ username: server.user.username, password: server.user.password, decision: 'approve' });

test('RFC 8707 §2.1 — the consent page names each resource asked for by its registered name, HTML-escaped', async (t) => {
  const page = await openPage(authorizeUrlWith(pkcePair().challenge, [CALENDAR, CONTACTS]));
  t.is(page.status, 200);
  t.true(page.html.includes('Team Calendar'));
  t.true(page.html.includes('Contacts &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;'));
  t.false(page.html.includes('<script>'), 'nothing the registry holds becomes markup');
  t.true(page.html.includes('https://contacts.example/api?tenant=&#39;a&#39;&amp;b'), 'the identifier is shown, escaped');
});

test('RFC 8707 §2.1, RFC 9207 §2 — an unregistered resource is redirected to the client as invalid_target with state and iss', async (t) => {
  const page = await openPage(authorizeUrlWith(pkcePair().challenge, [CALENDAR, 'https://unknown.example/']));
  t.is(page.status, 302);
  const { target, query } = redirectOf(page);
  t.is(target, server.redirectUri);
  t.is(query.get('error'), 'invalid_target');
  t.is(query.get('state'), 'xyz-state');
  t.is(query.get('iss'), ISSUER);
  t.is(query.get('code'), null);
});

test('RFC 8707 §2.1 — repeated resources travel through the form into the code, and its token is for them all', async (t) => {
  const pair = pkcePair();
  const page = await openPage(authorizeUrlWith(pair.challenge, [CONTACTS, CALENDAR]));
  t.deepEqual(
    page.hiddenFields.filter(([name]) => name === 'resource').map(([, value]) => value),
    [CONTACTS, CALENDAR],
  );
  const { query } = redirectOf(await submitPage(server, page, signIn()));
  const exchanged = await exchangeSpaCode(server, query.get('code') ?? '', pair.verifier);
  t.is(exchanged.status, 200);
  const introspection = await fetch(`${server.origin}/auth/introspect`, {
    method: 'POST',
    body: new URLSearchParams({ token: exchanged.json.access_token }),
    headers: { authorization: introspector },
  });
  t.deepEqual(((await introspection.json()) as { aud?: unknown }).aud, [CONTACTS, CALENDAR]);
});

test.serial('RFC 8707 §2.1, RFC 6749 §10.12 — a form whose resources were edited is refused, and no code is issued', async (t) => {
  const page = await openPage(authorizeUrlWith(pkcePair().challenge, [CALENDAR]));
  const codesBefore = await server.codeCount();
  const response = await submitPage(server, page, signIn(), { replace: { resource: CONTACTS } });
  t.is(response.status, 403);
  t.is(response.headers.get('location'), null);
  t.is(await server.codeCount(), codesBefore);
});
