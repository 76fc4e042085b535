/**
 * Naming a URL as client_id makes the server fetch it (draft §6.5: a request on the namer's behalf)
 * and store a client for it (the consumption of server resources draft §6.6 guards against). So
 * the fetches one source address causes are counted, and past its limit that source — and nobody
 * else — is answered 429 with `Retry-After`; a document served from the cache never counts. And the
 * fetches in flight are bounded: beyond the bound a request that needs one is answered 503 at once.
 * The attacker sends from 127.0.0.2, the victim from 127.0.0.1, over real HTTP; the documents are
 * served over real HTTPS.
 */
import test from 'ava';
import { startAuthorizationServer, type AuthorizationServer } from '../authorize/support/authorization-server.js';
import { pkcePair } from '../authorize/support/consent-form.js';
import { ATTACKER, requestFrom, VICTIM, type Answer } from '../throttling/support/from-address.js';
import { fakeDns, json, serveDocuments, type Handler } from './support/document-server.js';
import { startMetadataProvider } from './support/metadata-provider.js';
import type { ClientMetadataDocumentOptions } from '../../src/core/index.js';

const served = serveDocuments(test, ['app.test', 'evil.test']);

/** A source address of its own for each test on the shared server: the counts of one never reach another. */
const SECOND_ATTACKER = '127.0.0.3';
const THIRD_ATTACKER = '127.0.0.4';
const CACHED_USER = '127.0.0.5';

async function metadataServer(options: ClientMetadataDocumentOptions): Promise<AuthorizationServer> {
  await served.ready;
  const dns = fakeDns({ 'app.test': ['127.0.0.1'], 'evil.test': ['127.0.0.1'] });
  return startAuthorizationServer({
    providerOptions: {
      clientMetadataDocuments: { lookup: dns.lookup, ca: served.ca.cert, allowHosts: ['app.test', 'evil.test'], timeoutMs: 10_000, ...options },
    },
  });
}

/** Two fetches per source per 10 minutes. */
let limited: AuthorizationServer;
/** No limit per source, one fetch in flight at most: its tests run serially. */
let narrow: AuthorizationServer;
test.before(async () => {
  [limited, narrow] = await Promise.all([
    metadataServer({ throttle: { maxFetches: 2, windowSeconds: 600 } }),
    metadataServer({ throttle: false, maxConcurrentFetches: 1 }),
  ]);
});
test.after.always(() => Promise.all([limited?.close(), narrow?.close()]));

let documents = 0;

/** A client id on `host` serving a valid document for `server` (cached an hour when `cached`), under a path of its own. */
function clientDocument(server: AuthorizationServer, host: string, cached: boolean): string {
  documents += 1;
  const path = `/clients/${documents}.json`;
  const id = served.server.url(path, host);
  const headers: Record<string, string> = cached ? { 'cache-control': 'max-age=3600' } : {};
  served.server.route(path, json({ client_id: id, client_name: 'Notes Everywhere', redirect_uris: [server.redirectUri] }, headers));
  return id;
}

/** The authorization page for `clientId`, as a browser at `from` gets it. */
function authorize(server: AuthorizationServer, clientId: string, from: string): Promise<Answer> {
  const { challenge } = pkcePair();
  const parameters = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: server.redirectUri,
    scope: 'read',
    state: 'st',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  return requestFrom(from, server.authorizeUrl(parameters));
}

/** A refresh at the token endpoint naming `clientId`: what matters is whether its document is fetched. */
function tokenRequest(server: AuthorizationServer, clientId: string, from: string): Promise<Answer> {
  return requestFrom(from, `${server.origin}/auth/token`, { form: { grant_type: 'refresh_token', refresh_token: 'not-a-token', client_id: clientId } });
}

/** A URL the attacker names: each one new, none of them a document. */
const attackerUrl = () => served.server.url(`/probe/${(documents += 1)}.json`, 'evil.test');

test('RFC 6585 §4 — CIMD §6.5: past its fetches a source is answered 429 with Retry-After at the authorization endpoint, and its URL is not fetched', async (t) => {
  for (let i = 0; i < 2; i += 1) t.is((await authorize(limited, attackerUrl(), ATTACKER)).status, 400, 'fetched, and found to be no document');
  const url = attackerUrl();
  const refused = await authorize(limited, url, ATTACKER);
  t.is(refused.status, 429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  t.true(retryAfter >= 1 && retryAfter <= 600, String(retryAfter));
  t.regex(refused.text, /temporarily_unavailable/);
  t.regex(refused.text, /too many client metadata documents were fetched for this address/);
  t.is(served.server.hits(new URL(url).pathname), 0, 'nothing was fetched');
  t.is(await limited.provider.clients.get(url), null, 'nor stored');
});

test('RFC 6585 §4 — CIMD §6.6: at the token endpoint a source past its fetches is answered 429 invalid_request with Retry-After, no challenge', async (t) => {
  for (let i = 0; i < 2; i += 1) t.is((await tokenRequest(limited, attackerUrl(), SECOND_ATTACKER)).status, 401, 'fetched: no document, so invalid_client');
  const url = attackerUrl();
  const refused = await tokenRequest(limited, url, SECOND_ATTACKER);
  t.is(refused.status, 429);
  t.is(refused.json.error, 'invalid_request');
  t.true(Number(refused.headers.get('retry-after')) >= 1);
  t.is(refused.headers.get('www-authenticate'), null);
  t.is(served.server.hits(new URL(url).pathname), 0);
});

test('CIMD §6.5 — an attacker past its fetches does not stop the victim: a new client id of the victim is fetched and resolves', async (t) => {
  for (let i = 0; i < 2; i += 1) await authorize(limited, attackerUrl(), THIRD_ATTACKER);
  t.is((await authorize(limited, attackerUrl(), THIRD_ATTACKER)).status, 429, 'the attacker is throttled');
  const page = await authorize(limited, clientDocument(limited, 'app.test', false), VICTIM);
  t.is(page.status, 200, 'the consent page');
  t.regex(page.text, /Notes Everywhere/);
  const token = await tokenRequest(limited, clientDocument(limited, 'app.test', false), VICTIM);
  t.is(token.status, 400, 'the token endpoint resolves it too: what it refuses is the refresh token');
});

test('CIMD §4.4 — a document served from the cache never counts: its users keep coming back past the limit', async (t) => {
  const clientId = clientDocument(limited, 'app.test', true);
  for (let i = 0; i < 5; i += 1) t.is((await authorize(limited, clientId, CACHED_USER)).status, 200, `request ${i + 1}`);
  t.is(served.server.hits(new URL(clientId).pathname), 1);
  t.is((await authorize(limited, clientDocument(limited, 'app.test', true), CACHED_USER)).status, 200, 'the one fetch left is still there');
  t.is((await authorize(limited, attackerUrl(), CACHED_USER)).status, 429, 'and then the limit holds');
  t.is((await authorize(limited, clientId, CACHED_USER)).status, 200, 'the cached document still resolves');
});

test.serial('with throttle false a source may cause any number of fetches', async (t) => {
  // Past the default limit of 30.
  for (let i = 0; i < 31; i += 1) t.is((await authorize(narrow, attackerUrl(), ATTACKER)).status, 400);
});

/** A document route that answers only when `release()` is called; `started` resolves when it was asked. */
function stalledRoute(): { handler: Handler; started: Promise<void>; release: () => void } {
  let release!: () => void;
  let started!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const startedPromise = new Promise<void>((resolve) => (started = resolve));
  return {
    started: startedPromise,
    release: () => release(),
    handler: (_request, response) => {
      started();
      void released.then(() => {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('gone');
      });
    },
  };
}

test.serial('RFC 9110 §15.6.4, RFC 9110 §10.2.3 — CIMD §6.6: beyond maxConcurrentFetches a request needing a fetch is answered 503 with Retry-After at once, and served once there is room', async (t) => {
  const server = narrow;
  const stalled = stalledRoute();
  served.server.route('/stalled.json', stalled.handler);
  const holding = authorize(server, served.server.url('/stalled.json', 'evil.test'), ATTACKER);
  await stalled.started;

  const victimClient = clientDocument(server, 'app.test', true);
  const page = await authorize(server, victimClient, VICTIM);
  t.is(page.status, 503);
  t.is(page.headers.get('retry-after'), '1');
  t.regex(page.text, /temporarily_unavailable/);
  const token = await tokenRequest(server, victimClient, VICTIM);
  t.is(token.status, 503);
  t.is(token.json.error, 'temporarily_unavailable');
  t.is(token.headers.get('retry-after'), '1');
  t.is(served.server.hits(new URL(victimClient).pathname), 0, 'refused without a fetch');

  stalled.release();
  t.is((await holding).status, 400);
  t.is((await authorize(server, victimClient, VICTIM)).status, 200, 'with the slot free, the document is fetched');
});

test('CIMD §6.6 — while every lookup is in flight, a request is answered busy before it is counted: its source keeps its fetches', async (t) => {
  const pending: Array<() => void> = [];
  const held = () => new Promise<never>((_resolve, reject) => pending.push(() => reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }))));
  t.teardown(() => pending.splice(0).forEach((settle) => settle()));
  const p = await startMetadataProvider(served.ca, { lookup: held, timeoutMs: 100, throttle: { maxFetches: 3, windowSeconds: 600 } });
  const from = (clientId: string) => p.validate(clientId, 'https://app.test/callback', {}, '198.51.100.7');
  const url = (n: number) => `https://app.test/clients/held-${n}.json`;

  for (const n of [1, 2]) t.like(await from(url(n)), { ok: false, error: 'invalid_client' }, 'fetched, counted, timed out');
  for (const n of [3, 4, 5]) t.like(await from(url(n)), { ok: false, error: 'temporarily_unavailable', throttled: { busy: true } }, 'busy: both lookups are held');

  pending.splice(0).forEach((settle) => settle());
  await new Promise((resolve) => setImmediate(resolve));
  t.like(await from(url(6)), { ok: false, error: 'invalid_client' }, 'the third fetch of the source: the busy answers were not counted');
  t.like(await from(url(7)), { ok: false, error: 'temporarily_unavailable', throttled: { busy: false } }, 'and the fourth is past its limit');
});

test('CIMD §6.6 — requests of no known source share one budget: an application that sets no source address still bounds the fetches', async (t) => {
  // Called without a source address, as an application with its own binding might; the names
  // resolve nowhere, so each request is one quick, counted, failed fetch.
  const p = await startMetadataProvider(served.ca, { throttle: { maxFetches: 2, windowSeconds: 600 } });
  const url = (n: number) => `https://unknown-${n}.test/client.json`;
  for (const n of [1, 2]) t.like(await p.validate(url(n), 'https://app.test/callback'), { ok: false, error: 'invalid_client' }, 'fetched');
  t.like(await p.validate(url(3), 'https://app.test/callback'), { ok: false, error: 'temporarily_unavailable', throttled: { busy: false } }, 'past the shared limit');
  const known = await p.validate(url(4), 'https://app.test/callback', {}, '198.51.100.9');
  t.like(known, { ok: false, error: 'invalid_client' }, 'a known source keeps its own budget');
});
