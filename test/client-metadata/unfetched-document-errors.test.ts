/**
 * Why a client's metadata document could not be fetched is the operator's to know, not the
 * client's: whoever names a client_id URL chooses the host, so an answer saying where the host
 * resolved ("10.96.0.12, a private address"), or which error the resolver or the socket gave
 * (ENOTFOUND, ECONNREFUSED, a TLS error), would let anyone map the server's network and scan ports
 * through it (draft-ietf-oauth-client-id-metadata-document-01 §6.5). The error page and the token
 * endpoint say one sentence for all of them; the token endpoint tells the cause to the
 * application's error reporting. And what the token endpoint does say stays within the characters
 * RFC 6749 §5.2 allows. Over real HTTP, with the documents' server on real HTTPS.
 */
import test from 'ava';
import { ClientMetadataError } from '../../src/core/index.js';
import { startAuthorizationServer, type AuthorizationServer } from '../authorize/support/authorization-server.js';
import { openPage, pkcePair, tokenRequest } from '../authorize/support/consent-form.js';
import { fakeDns, serveDocuments } from './support/document-server.js';

const served = serveDocuments(test, ['app.test']);
let server: AuthorizationServer;

test.before(async () => {
  await served.ready;
  // tls.test reaches the document server, whose certificate does not name it.
  const dns = fakeDns({ 'app.test': ['127.0.0.1'], 'tls.test': ['127.0.0.1'], 'internal.test': ['10.96.0.12'] });
  server = await startAuthorizationServer({
    providerOptions: {
      clientMetadataDocuments: { lookup: dns.lookup, ca: served.ca.cert, allowHosts: ['app.test', 'tls.test'], timeoutMs: 10_000 },
    },
  });
});
test.after.always(() => server?.close());

/** A client id for each way a host can fail to serve, under `path`. */
function unfetchable(path: string): Record<string, string> {
  return {
    'a private address': `https://internal.test${path}`,
    'no DNS answer': `https://nowhere.test${path}`,
    'a refused connection': `https://app.test:1${path}`,
    'a certificate for another name': served.server.url(path, 'tls.test'),
  };
}

/** What the network would give away if it were said. */
const NETWORK_DETAIL = /10\.96\.0\.12|127\.0\.0\.1|private|ENOTFOUND|ECONNREFUSED|ERR_TLS|certificate|resolve/i;

const withoutUrl = (text: string) => text.replace(/https:\/\/[^\s<]+/, '<url>');

test('CIMD §6.5 — the error page says the same of a private, an unknown, a refusing and a misnamed host, and nothing of addresses or errors', async (t) => {
  for (const [cause, clientId] of Object.entries(unfetchable('/page/client.json'))) {
    const page = await openPage(
      server.authorizeUrl({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: server.redirectUri,
        scope: 'read',
        state: 'st',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      }),
    );
    t.is(page.status, 400, cause);
    const detail = /<p class="detail">(.*?)<\/p>/s.exec(page.html)?.[1] ?? '';
    t.is(
      withoutUrl(detail),
      'Error <code>invalid_client</code>: Invalid client: the client metadata document <url> could not be fetched from a public address',
      cause,
    );
    t.notRegex(page.html.replaceAll(clientId, ''), NETWORK_DETAIL, cause);
  }
});

test('CIMD §6.5 — the token endpoint answers each 401 invalid_client with the same description, and tells the application the cause', async (t) => {
  const clientIds = unfetchable('/token/client.json');
  for (const [cause, clientId] of Object.entries(clientIds)) {
    const answer = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: 'x', client_id: clientId });
    t.is(answer.status, 401, cause);
    t.is(answer.json.error, 'invalid_client', cause);
    t.is(withoutUrl(answer.json.error_description), 'Invalid client: the client metadata document <url> could not be fetched from a public address', cause);
    t.notRegex(answer.json.error_description.replace(clientId, ''), NETWORK_DETAIL, cause);
  }
  const reported = server.emittedErrors.filter((error): error is ClientMetadataError => error instanceof ClientMetadataError);
  t.deepEqual(
    reported.map((error) => error.code),
    ['client_metadata_forbidden_address', 'client_metadata_dns_failed', 'client_metadata_unreachable', 'client_metadata_unreachable'],
  );
  const messages = reported.map((error) => error.message);
  t.regex(messages[0] ?? '', /^https:\/\/internal\.test\/token\/client\.json: internal\.test resolves to 10\.96\.0\.12, which is a private address/);
  t.regex(messages[1] ?? '', /nowhere\.test does not resolve \(ENOTFOUND\)/);
  t.regex(messages[2] ?? '', /ECONNREFUSED/);
  t.regex(messages[3] ?? '', /ERR_TLS_CERT_ALTNAME_INVALID/);
});

test('RFC 6749 §5.2 — a metadata failure is described at the token endpoint in the characters §5.2 allows, section signs spelt out', async (t) => {
  // Refused as "served as \"text/html\"; … application/json (draft §4.1)": quotes and a section sign.
  served.server.route('/html.json', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<html></html>');
  });
  const answer = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: 'x', client_id: served.server.url('/html.json') });
  t.is(answer.status, 401);
  const description: string = answer.json.error_description;
  t.regex(description, /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
  t.regex(description, /is served as text\/html; a client metadata document is application\/json \(draft section 4\.1\)$/);
});
