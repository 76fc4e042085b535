/**
 * The OpenID Connect metadata a Client ID Metadata Document may carry, as for a client that
 * registers itself (OpenID Connect Registration §2, RP-Initiated Logout §3.1): post-logout
 * redirect URIs by the same rules as its redirect URIs, the ID token algorithm (RS256 when it
 * names none, on an OpenID provider); pairwise subjects
 * are not offered to such clients, and sector_identifier_uri is never fetched.
 */
import test from 'ava';
import { ClientMetadataError } from '../../src/core/index.js';
import { validateDocument } from '../../src/core/provider/client-metadata/document-validation.js';
import { openIdClientFields, unkeptAlgorithmFault } from '../../src/core/provider/openid-registration-metadata.js';
import { json, serveDocuments } from './support/document-server.js';
import { documentFor, startMetadataProvider } from './support/metadata-provider.js';

const ID = 'https://app.example/oauth/client.json';
const valid = { client_id: ID, client_name: 'Example App', redirect_uris: ['https://app.example/callback'] };

const read = (extra: Record<string, unknown>) => validateDocument(ID, 'app.example', JSON.stringify({ ...valid, ...extra }));
const refusal = (extra: Record<string, unknown>) => {
  try {
    read(extra);
  } catch (error) {
    if (error instanceof ClientMetadataError) return error.message;
    throw error;
  }
  throw new Error('the document was accepted');
};

test('OIDC RP-Initiated Logout §3.1 — a document\'s post_logout_redirect_uris and id_token_signed_response_alg are read', (t) => {
  const document = read({ post_logout_redirect_uris: ['https://app.example/signed-out', 'http://127.0.0.1/out'], id_token_signed_response_alg: 'ES256', subject_type: 'public' });
  t.deepEqual(document.openid, { post_logout_redirect_uris: ['https://app.example/signed-out', 'http://127.0.0.1/out'], id_token_signed_response_alg: 'ES256', subject_type: 'public' });
  t.deepEqual(read({}).openid, {});
});

test('OIDC RP-Initiated Logout §3.1 — a document\'s post-logout redirect URI follows its redirect-URI rules: no http off the loopback interface, no fragment', (t) => {
  t.regex(refusal({ post_logout_redirect_uris: ['http://app.example/out'] }), /post_logout_redirect_uris\[0\] uses http on a host other than localhost/);
  t.regex(refusal({ post_logout_redirect_uris: ['https://app.example/out#x'] }), /post_logout_redirect_uris\[0\] is not an absolute URI without fragment/);
});

test('OIDC Registration §2 — a document asking for pairwise subjects, an unsigned ID token or a sector_identifier_uri is refused', (t) => {
  t.regex(refusal({ subject_type: 'pairwise' }), /subject_type pairwise, which this server does not offer/);
  t.regex(refusal({ id_token_signed_response_alg: 'none' }), /id_token_signed_response_alg must be one of/);
  t.regex(refusal({ sector_identifier_uri: 'https://app.example/sector.json' }), /sector_identifier_uri is not supported/);
});

test('OIDC Registration §2 — on an OpenID provider, a document naming an algorithm it keeps no keys for is refused', (t) => {
  t.regex(unkeptAlgorithmFault('EdDSA', { pairwise: false, algorithms: ['ES256', 'RS256'] }) ?? '', /^id_token_signed_response_alg EdDSA is not offered by this server/);
  t.is(unkeptAlgorithmFault('RS256', { pairwise: false, algorithms: ['ES256', 'RS256'] }), null);
  t.is(unkeptAlgorithmFault('EdDSA', null), null);
});

test('OIDC Registration §2 — on an OpenID provider, a document that names no id_token_signed_response_alg gets RS256, the default; elsewhere none', (t) => {
  t.is(openIdClientFields(read({}).openid, { pairwise: false, algorithms: null }).idTokenSignedResponseAlg, 'RS256');
  t.is(openIdClientFields(read({ id_token_signed_response_alg: 'EdDSA' }).openid, { pairwise: false, algorithms: null }).idTokenSignedResponseAlg, 'EdDSA');
  t.is(openIdClientFields(read({}).openid, null).idTokenSignedResponseAlg, null);
});

const served = serveDocuments(test, ['app.test']);

test('OIDC RP-Initiated Logout §3.1 — the client stored from a document has its post-logout redirect URIs and ID token algorithm, and follows the document when they change', async (t) => {
  const id = served.server.url('/openid.json');
  let document = documentFor(id, { post_logout_redirect_uris: ['https://app.test/signed-out'], id_token_signed_response_alg: 'EdDSA' });
  served.server.route('/openid.json', (request, response) => json(document, { 'cache-control': 'no-store' })(request, response));
  const { approve, storage, advanceClock } = await startMetadataProvider(served.ca);
  await approve(id, 'https://app.test/callback');
  t.like(await storage.findClient(id), { postLogoutRedirectUris: ['https://app.test/signed-out'], idTokenSignedResponseAlg: 'EdDSA', subjectType: 'public', sectorIdentifier: null });
  advanceClock(10);
  document = documentFor(id);
  await approve(id, 'https://app.test/callback');
  t.like(await storage.findClient(id), { postLogoutRedirectUris: [], idTokenSignedResponseAlg: null });
});
