/**
 * GET /auth/authorize refusing a request (RFC 6749 §4.1.2.1): when the client or its redirect URI
 * cannot be established the error is shown on a page and never redirected; every other error goes
 * back to the client's redirect URI with `error`, `state` and `iss` (RFC 9207 §2).
 */
import test from 'ava';
import { ISSUER, startAuthorizationServer, type AuthorizationServer } from './support/authorization-server.js';
import { openPage, pkcePair, redirectOf, spaRequest } from './support/consent-form.js';

let server: AuthorizationServer;

test.before(async () => {
  server = await startAuthorizationServer();
  await server.provider.clients.create({
    id: 'two-uris',
    name: 'Two URIs',
    grants: ['authorization_code'],
    redirectUris: [server.redirectUri, `${server.redirectUri}/other`],
    scopes: ['read'],
    confidential: false,
  });
  await server.provider.clients.create({
    id: 'no-code-grant',
    name: 'Machine',
    grants: ['client_credentials'],
    redirectUris: [server.redirectUri],
    scopes: ['read'],
  });
  await server.provider.clients.create({
    id: 'pkce-optional',
    name: 'Legacy Portal',
    grants: ['authorization_code'],
    redirectUris: [server.redirectUri],
    scopes: ['read'],
    requirePkce: false,
  });
  await server.provider.clients.create({
    id: 'plain-allowed',
    name: 'Old Device',
    grants: ['authorization_code'],
    redirectUris: [server.redirectUri],
    scopes: ['read'],
    confidential: false,
    allowPlainPkce: true,
  });
});

test.after.always(() => server?.close());

/** Asserts the answer is the error page: no redirect, an HTML page naming the error. */
async function assertErrorPage(t: import('ava').ExecutionContext, parameters: Record<string, string>, error: string) {
  const page = await openPage(server.authorizeUrl(parameters));
  t.is(page.status, 400);
  t.is(page.headers.get('location'), null);
  t.regex(page.headers.get('content-type') ?? '', /^text\/html/);
  t.true(page.html.includes(`<code>${error}</code>`), `the page names ${error}`);
  t.deepEqual(page.hiddenFields, [], 'no form is shown');
}

/** Asserts the answer redirects to the client's URI with this error, the state and the issuer. */
async function assertRedirectedError(t: import('ava').ExecutionContext, parameters: Record<string, string>, error: string) {
  const page = await openPage(server.authorizeUrl(parameters));
  t.is(page.status, 302);
  const { target, query } = redirectOf(page);
  t.is(target, server.redirectUri);
  t.is(query.get('error'), error);
  t.is(query.get('state'), parameters.state ?? null);
  t.is(query.get('iss'), ISSUER);
  t.is(query.get('code'), null);
}

test('RFC 6749 §4.1.2.1 — an unknown client_id is shown on an error page, never redirected', async (t) => {
  await assertErrorPage(t, spaRequest(server, pkcePair().challenge, { client_id: 'nobody' }), 'invalid_client');
});

test('RFC 6749 §4.1.2.1 — a missing client_id is shown on an error page', async (t) => {
  const parameters = spaRequest(server, pkcePair().challenge);
  delete parameters.client_id;
  await assertErrorPage(t, parameters, 'invalid_request');
});

test('RFC 6749 §4.1.2.1 — an unregistered redirect_uri is shown on an error page, never redirected to', async (t) => {
  await assertErrorPage(
    t,
    spaRequest(server, pkcePair().challenge, { redirect_uri: 'https://attacker.example/callback' }),
    'invalid_request',
  );
});

test('RFC 6749 §3.1.2.3 — redirect_uri must match exactly: an extra trailing slash is refused on the error page', async (t) => {
  await assertErrorPage(t, spaRequest(server, pkcePair().challenge, { redirect_uri: `${server.redirectUri}/` }), 'invalid_request');
});

test('RFC 6749 §3.1.2.3 — redirect_uri must match exactly: an added query parameter is refused on the error page', async (t) => {
  await assertErrorPage(t, spaRequest(server, pkcePair().challenge, { redirect_uri: `${server.redirectUri}?next=/admin` }), 'invalid_request');
});

test('RFC 6749 §3.1.2.3 — without redirect_uri a client with several registered URIs gets the error page', async (t) => {
  const parameters = spaRequest(server, pkcePair().challenge, { client_id: 'two-uris' });
  delete parameters.redirect_uri;
  await assertErrorPage(t, parameters, 'invalid_request');
});

test('RFC 6749 §3.1.2.3 — without redirect_uri a client with one registered URI gets the page for that URI', async (t) => {
  const parameters = spaRequest(server, pkcePair().challenge);
  delete parameters.redirect_uri;
  const page = await openPage(server.authorizeUrl(parameters));
  t.is(page.status, 200);
  t.false(page.hiddenFields.some(([name]) => name === 'redirect_uri'));
});

test('RFC 6749 §3.1 — a repeated parameter is shown on the error page', async (t) => {
  const url = `${server.authorizeUrl(spaRequest(server, pkcePair().challenge))}&client_id=spa`;
  const page = await openPage(url);
  t.is(page.status, 400);
  t.is(page.headers.get('location'), null);
});

test('RFC 6749 §4.1.2.1 — a response_type other than code is redirected as unsupported_response_type', async (t) => {
  await assertRedirectedError(t, spaRequest(server, pkcePair().challenge, { response_type: 'token' }), 'unsupported_response_type');
});

test('RFC 6749 §4.1.2.1 — a missing response_type is redirected as invalid_request', async (t) => {
  const parameters = spaRequest(server, pkcePair().challenge);
  delete parameters.response_type;
  await assertRedirectedError(t, parameters, 'invalid_request');
});

test('RFC 6749 §4.1.2.1 — a client without the authorization_code grant is redirected as unauthorized_client', async (t) => {
  await assertRedirectedError(t, spaRequest(server, pkcePair().challenge, { client_id: 'no-code-grant' }), 'unauthorized_client');
});

test('RFC 7636 §4.4.1 — a public client without code_challenge is redirected as invalid_request', async (t) => {
  const parameters = spaRequest(server, '');
  delete parameters.code_challenge;
  delete parameters.code_challenge_method;
  await assertRedirectedError(t, parameters, 'invalid_request');
});

test('RFC 9700 §2.1.1 — a confidential client without code_challenge is redirected as invalid_request by default', async (t) => {
  const parameters = spaRequest(server, '', { client_id: server.web.id });
  delete parameters.code_challenge;
  delete parameters.code_challenge_method;
  await assertRedirectedError(t, parameters, 'invalid_request');
});

test('RFC 9700 §2.1.1 — a confidential client registered with requirePkce false may leave PKCE out', async (t) => {
  const parameters = spaRequest(server, '', { client_id: 'pkce-optional' });
  delete parameters.code_challenge;
  delete parameters.code_challenge_method;
  const page = await openPage(server.authorizeUrl(parameters));
  t.is(page.status, 200);
  t.regex(page.html, /Legacy Portal/);
});

test('RFC 7636 §4.4.1 — the plain PKCE method is redirected as invalid_request unless the client allows it', async (t) => {
  const { verifier } = pkcePair();
  await assertRedirectedError(t, spaRequest(server, verifier, { code_challenge_method: 'plain' }), 'invalid_request');
});

test('RFC 7636 §4.3 — a code_challenge without a method means plain, and is refused unless the client allows plain', async (t) => {
  const parameters = spaRequest(server, pkcePair().challenge);
  delete parameters.code_challenge_method;
  await assertRedirectedError(t, parameters, 'invalid_request');
});

test('RFC 7636 §4.2 — a client registered with allowPlainPkce may use the plain method', async (t) => {
  const { verifier } = pkcePair();
  const page = await openPage(server.authorizeUrl(spaRequest(server, verifier, { client_id: 'plain-allowed', code_challenge_method: 'plain' })));
  t.is(page.status, 200);
});

test('RFC 7636 §4.4.1 — an unknown code_challenge_method is redirected as invalid_request', async (t) => {
  await assertRedirectedError(t, spaRequest(server, pkcePair().challenge, { code_challenge_method: 'S512' }), 'invalid_request');
});

test('RFC 7636 §4.2 — a malformed code_challenge is redirected as invalid_request', async (t) => {
  await assertRedirectedError(t, spaRequest(server, 'too-short'), 'invalid_request');
});

test('RFC 6749 §4.1.2.1 — a scope the client may not have is redirected as invalid_scope', async (t) => {
  await assertRedirectedError(t, spaRequest(server, pkcePair().challenge, { client_id: server.web.id, scope: 'read write' }), 'invalid_scope');
});

test('RFC 6749 §4.1.2.1 — a scope unknown to the server is redirected as invalid_scope', async (t) => {
  await assertRedirectedError(t, spaRequest(server, pkcePair().challenge, { scope: 'read root' }), 'invalid_scope');
});
