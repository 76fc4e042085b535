/**
 * Clients known by their metadata document are stored once a first request is approved, so nobody's
 * URLs would pile up for ever: token issuance records their last use as it does for clients of RFC 7591 (at most once
 * a day), and `purgeExpired({ unusedClientsAfterDays })` deletes those issued no token for that
 * long. Such a client comes back when its URL is next used, from its document. Over real HTTP on
 * PGlite, the documents served over real HTTPS, the provider's clock a test clock moved in days.
 */
import test from 'ava';
import { startAuthorizationServer, type AuthorizationServer } from '../authorize/support/authorization-server.js';
import { approveAs, pkcePair, tokenRequest } from '../authorize/support/consent-form.js';
import { fakeDns, json, serveDocuments } from './support/document-server.js';

const DAY = 86_400;

const served = serveDocuments(test, ['app.test']);

async function metadataServer(t: { teardown(fn: () => Promise<void>): void }): Promise<AuthorizationServer> {
  await served.ready;
  const dns = fakeDns({ 'app.test': ['127.0.0.1'] });
  const server = await startAuthorizationServer({
    providerOptions: { clientMetadataDocuments: { lookup: dns.lookup, ca: served.ca.cert, allowHosts: ['app.test'], timeoutMs: 10_000 } },
  });
  t.teardown(() => server.close());
  return server;
}

let documents = 0;

/** A client id whose document (cached an hour) lists the server's redirect URI. */
function clientDocument(server: AuthorizationServer): string {
  documents += 1;
  const path = `/purge/${documents}.json`;
  const id = served.server.url(path);
  served.server.route(
    path,
    json(
      { client_id: id, client_name: 'Notes Everywhere', redirect_uris: [server.redirectUri], grant_types: ['authorization_code', 'refresh_token'] },
      { 'cache-control': 'max-age=3600' },
    ),
  );
  return id;
}

function authorizationRequest(server: AuthorizationServer, clientId: string, challenge: string): Record<string, string> {
  return { response_type: 'code', client_id: clientId, redirect_uri: server.redirectUri, scope: 'read', state: 'st', code_challenge: challenge, code_challenge_method: 'S256' };
}

/** An approved request for `clientId`, its code never exchanged: enough for the client to be stored, not used. */
async function approved(server: AuthorizationServer, clientId: string): Promise<boolean> {
  return (await approveAs(server, authorizationRequest(server, clientId, pkcePair().challenge))).has('code');
}

/** The code flow through to tokens; returns the refresh token. */
async function signedIn(server: AuthorizationServer, clientId: string): Promise<string> {
  const { verifier, challenge } = pkcePair();
  const code = (await approveAs(server, authorizationRequest(server, clientId, challenge))).get('code') ?? '';
  const exchange = await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: server.redirectUri, client_id: clientId, code_verifier: verifier });
  if (exchange.status !== 200) throw new Error(`the code exchange answered ${exchange.status}: ${JSON.stringify(exchange.json)}`);
  return String(exchange.json.refresh_token);
}

async function refreshed(server: AuthorizationServer, clientId: string, refreshToken: string): Promise<string> {
  const answer = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
  if (answer.status !== 200) throw new Error(`the refresh answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  return String(answer.json.refresh_token);
}

const exists = async (server: AuthorizationServer, id: string) => (await server.provider.clients.get(id)) !== null;

test('purgeExpired({ unusedClientsAfterDays }) deletes the metadata-document clients issued no token for that long, and keeps the others', async (t) => {
  const server = await metadataServer(t);
  const [used, unused] = [clientDocument(server), clientDocument(server)];
  t.true(await approved(server, unused));
  t.true(await exists(server, unused), 'stored once a request is approved');
  server.advanceClock(10 * DAY);
  await signedIn(server, used);
  server.advanceClock(22 * DAY); // day 32: "unused" stored 32 days ago, "used" issued a token 22 days ago
  const purged = await server.provider.purgeExpired({ unusedClientsAfterDays: 30 });
  t.is(purged.unusedClients, 1);
  t.false(await exists(server, unused));
  t.true(await exists(server, used));
  t.true(await exists(server, server.spa.id), "an operator's client, never used, is never purged");
});

test('a purged metadata-document client comes back when its URL is next used: its document is fetched again and it is stored anew', async (t) => {
  const server = await metadataServer(t);
  const clientId = clientDocument(server);
  t.true(await approved(server, clientId));
  server.advanceClock(40 * DAY);
  t.is((await server.provider.purgeExpired({ unusedClientsAfterDays: 30 })).unusedClients, 1);
  t.false(await exists(server, clientId));
  const path = new URL(clientId).pathname;
  const fetchesBefore = served.server.hits(path);
  t.true(await approved(server, clientId));
  t.is(served.server.hits(path), fetchesBefore + 1, 'fetched again: its cached copy had expired');
  t.true(await exists(server, clientId));
  await signedIn(server, clientId);
  server.advanceClock(29 * DAY);
  t.is((await server.provider.purgeExpired({ unusedClientsAfterDays: 30 })).unusedClients, 0, 'counted from its return');
});

test("a metadata-document client's use is recorded once a day: it never goes sooner than the days asked, and within a day more it does", async (t) => {
  const server = await metadataServer(t);
  const clientId = clientDocument(server);
  const refreshToken = await signedIn(server, clientId); // recorded: day 0
  server.advanceClock(20 * 3600);
  await refreshed(server, clientId, refreshToken); // day 0 + 20 h: the same day, not recorded again
  server.advanceClock(30 * DAY + 4 * 3600); // 30 days and 4 hours after the last token
  t.is((await server.provider.purgeExpired({ unusedClientsAfterDays: 30 })).unusedClients, 0);
  t.true(await exists(server, clientId));
  server.advanceClock(DAY);
  t.is((await server.provider.purgeExpired({ unusedClientsAfterDays: 30 })).unusedClients, 1, 'within a day more, it goes');
  t.false(await exists(server, clientId));
});
