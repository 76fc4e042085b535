/**
 * A client known only by its metadata document goes through the whole authorization code flow
 * with PKCE over real HTTP, on PGlite: the server advertises the feature (RFC 8414), fetches the
 * document once over HTTPS (its caching headers allow it), shows the client's host on the consent
 * page, issues a code to a redirect URI the document lists, and the client exchanges it, refreshes
 * and revokes with its URL as client_id and no secret. A document without caching headers is kept
 * for the whole sign-in, one marked `no-store` fetched at every step. A document that cannot be used
 * is an error page at the authorization endpoint and `invalid_client` at the token endpoint, never a
 * 500.
 */
import test from 'ava';
import { ISSUER, startAuthorizationServer, type AuthorizationServer } from '../authorize/support/authorization-server.js';
import { approveAs, me, openPage, pkcePair, tokenRequest } from '../authorize/support/consent-form.js';
import { fakeDns, json, serveDocuments } from './support/document-server.js';

const served = serveDocuments(test, ['app.test']);
let server: AuthorizationServer;
let clientId: string;

test.before(async () => {
  await served.ready;
  const dns = fakeDns({ 'app.test': ['127.0.0.1'] });
  server = await startAuthorizationServer({
    providerOptions: { clientMetadataDocuments: { lookup: dns.lookup, ca: served.ca.cert, allowHosts: ['app.test'], timeoutMs: 10_000 } },
  });
  clientId = served.server.url('/oauth/client.json');
  served.server.route(
    '/oauth/client.json',
    json(
      {
        client_id: clientId,
        client_name: 'Notes Everywhere',
        redirect_uris: [server.redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
      },
      { 'cache-control': 'max-age=3600' },
    ),
  );
});
test.after.always(() => server?.close());

function authorizationRequest(challenge: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: server.redirectUri,
    scope: 'read',
    state: 'st-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
}

test('RFC 8414 §2 — the metadata says client_id_metadata_document_supported', async (t) => {
  const response = await fetch(`${server.origin}/.well-known/oauth-authorization-server`);
  const metadata = (await response.json()) as Record<string, unknown>;
  t.is(metadata['issuer'], ISSUER);
  t.is(metadata['client_id_metadata_document_supported'], true);
});

test('RFC 7636 §4.6 — code, exchange, refresh and revocation with the URL as client_id, the document fetched once', async (t) => {
  const { verifier, challenge } = pkcePair();
  const query = await approveAs(server, authorizationRequest(challenge));
  t.is(query.get('state'), 'st-1');
  const code = query.get('code') ?? '';
  t.not(code, '');

  const exchange = await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: server.redirectUri, client_id: clientId, code_verifier: verifier });
  t.is(exchange.status, 200);
  t.is(exchange.json.scope, 'read');
  const profile = await me(server, exchange.json.access_token);
  t.is(profile.status, 200);
  t.deepEqual(profile.json.client, { id: clientId, name: 'Notes Everywhere' });

  const refreshed = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: exchange.json.refresh_token, client_id: clientId });
  t.is(refreshed.status, 200);
  const revoked = await fetch(`${server.origin}/auth/revoke`, {
    method: 'POST',
    body: new URLSearchParams({ token: refreshed.json.access_token, client_id: clientId }),
  });
  t.is(revoked.status, 200);
  t.is((await me(server, refreshed.json.access_token)).status, 401);
  // Authorization, code exchange, refresh, revocation: one fetch, per its max-age.
  t.is(served.server.hits('/oauth/client.json'), 1);
});

/** A client id whose document lists the server's redirect URI, served with `headers`. */
function documentServedWith(path: string, headers: Record<string, string>): string {
  const id = served.server.url(path);
  served.server.route(path, json({ client_id: id, client_name: 'Notes Everywhere', redirect_uris: [server.redirectUri] }, headers));
  return id;
}

/** The page, the approval and the code exchange of `id`: the token endpoint's status. */
async function signInAndExchange(id: string): Promise<number> {
  const { verifier, challenge } = pkcePair();
  const code = (await approveAs(server, authorizationRequest(challenge, { client_id: id }))).get('code') ?? '';
  const exchange = await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: server.redirectUri, client_id: id, code_verifier: verifier });
  return exchange.status;
}

test('CIMD §4.4 — a document without caching headers is fetched once for a whole sign-in and code exchange (kept 60 s at least)', async (t) => {
  const id = documentServedWith('/oauth/no-headers.json', {});
  t.is(await signInAndExchange(id), 200);
  t.is(served.server.hits('/oauth/no-headers.json'), 1);
});

test('CIMD §4.4 — a document marked no-store is fetched at every step: the page, the form, the approval and the code exchange', async (t) => {
  const id = documentServedWith('/oauth/no-store.json', { 'cache-control': 'no-store' });
  t.is(await signInAndExchange(id), 200);
  t.is(served.server.hits('/oauth/no-store.json'), 4);
});

test('CIMD §6.4 — the consent page names the host of the client_id and says the name is self-asserted', async (t) => {
  const page = await openPage(server.authorizeUrl(authorizationRequest(pkcePair().challenge)));
  t.is(page.status, 200);
  const host = `app.test:${served.server.port}`;
  t.regex(page.html, new RegExp(`<h1>Sign in to continue to <span class="client">${host}</span></h1>`));
  t.regex(page.html, new RegExp(`<title>Sign in to continue to ${host}</title>`));
  t.regex(page.html, /which calls itself <span class="client">Notes Everywhere<\/span>/);
  t.regex(page.html, /Its name is its own claim: this server has not checked it\./);
});

test('RFC 6749 §4.1.2.1 — a redirect_uri the document does not list gets an error page, no redirect', async (t) => {
  const page = await openPage(server.authorizeUrl(authorizationRequest(pkcePair().challenge, { redirect_uri: 'https://attacker.test/cb' })));
  t.is(page.status, 400);
  t.is(page.headers.get('location'), null);
  t.regex(page.html, /invalid_request/);
});

test('CIMD §4.3 — a document that cannot be fetched gets an error page naming invalid_client and the cause', async (t) => {
  const missing = served.server.url('/oauth/missing.json');
  const page = await openPage(server.authorizeUrl(authorizationRequest(pkcePair().challenge, { client_id: missing })));
  t.is(page.status, 400);
  t.is(page.headers.get('location'), null);
  t.regex(page.html, /<code>invalid_client<\/code>: Invalid client: https:\/\/app\.test:\d+\/oauth\/missing\.json answered HTTP 404/);
  t.deepEqual(server.emittedErrors, []);
});

test('CIMD §4.3 — at the token endpoint an unusable document is 401 invalid_client with its cause, not a 500', async (t) => {
  const missing = served.server.url('/oauth/gone.json');
  const exchange = await tokenRequest(server, { grant_type: 'authorization_code', code: 'x', redirect_uri: server.redirectUri, client_id: missing, code_verifier: 'v'.repeat(43) });
  t.is(exchange.status, 401);
  t.is(exchange.json.error, 'invalid_client');
  t.regex(exchange.json.error_description, /^Invalid client: https:\/\/app\.test:\d+\/oauth\/gone\.json answered HTTP 404/);
  const revoked = await fetch(`${server.origin}/auth/revoke`, { method: 'POST', body: new URLSearchParams({ token: 'x', client_id: 'http://app.test/c.json' }) });
  t.is(revoked.status, 401);
  t.like(await revoked.json(), { error: 'invalid_client' });
  t.deepEqual(server.emittedErrors, []);
});

test('CIMD §4.1 — a client_secret presented with a URL client_id fails without fetching anything', async (t) => {
  const secretive = served.server.url('/oauth/secretive.json');
  const exchange = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: 'x', client_id: secretive, client_secret: 'guess' });
  t.is(exchange.status, 401);
  t.is(exchange.json.error, 'invalid_client');
  t.is(served.server.hits('/oauth/secretive.json'), 0);
});
