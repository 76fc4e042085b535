/**
 * The OpenID Connect client metadata of dynamic registration (OpenID Connect Dynamic Client
 * Registration 1.0 §2, RP-Initiated Logout 1.0 §3.1): accepted, stored on the client, returned in
 * the client information response (RFC 7591 §3.2.1), and replaced on update (RFC 7592 §2.2).
 * Memory storage and the framework-free endpoint: the rules are the core's.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import {
  createClientRegistrationEndpoint,
  generateSigningKeyEncryptionKey,
  OAuthProvider,
  type OAuthHttpResponse,
  type OAuthProviderOptions,
} from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';

const PAIRWISE_SECRET = randomBytes(32).toString('base64url');
/** An OpenID provider keeping ES256 (its default), RS256 (every OpenID provider's) and EdDSA keys. */
const OPENID: OAuthProviderOptions = {
  issuer: 'https://login.example',
  signingKeys: { encryptionKey: generateSigningKeyEncryptionKey(), algorithms: ['EdDSA'] },
  openid: { pairwiseSecret: PAIRWISE_SECRET },
};

function server(options: OAuthProviderOptions = OPENID) {
  const provider = new OAuthProvider(new MemoryStorage(), { ...options, dynamicRegistration: { policy: 'public-clients', throttle: false } });
  const endpoint = createClientRegistrationEndpoint({ provider });
  const call = { clientUri: (id: string) => `https://login.example/auth/register/${id}` };
  const request = (body: unknown, bearer?: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }) },
    query: {},
    body: body as Record<string, unknown>,
  });
  return {
    provider,
    register: (metadata: Record<string, unknown>) => endpoint.register(request({ ...publicClient, ...metadata }), call),
    update: (clientId: string, token: string, metadata: Record<string, unknown>) => endpoint.update(request({ ...publicClient, client_id: clientId, ...metadata }, token), clientId, call),
  };
}

const publicClient = {
  client_name: 'Notes',
  redirect_uris: ['https://notes.example/callback'],
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code'],
};

const body = (answer: OAuthHttpResponse) => answer.body as Record<string, unknown>;

function refusal(t: import('ava').ExecutionContext, answer: OAuthHttpResponse, description: RegExp): void {
  t.is(answer.status, 400);
  t.is(body(answer)['error'], 'invalid_client_metadata');
  t.regex(String(body(answer)['error_description']), description);
}

test('OIDC RP-Initiated Logout §3.1 — post_logout_redirect_uris are registered, returned and kept on the client', async (t) => {
  const { provider, register } = server();
  const uris = ['https://notes.example/signed-out', 'http://127.0.0.1:8080/out', 'com.example.notes:/out'];
  const answer = await register({ post_logout_redirect_uris: uris });
  t.is(answer.status, 201);
  t.deepEqual(body(answer)['post_logout_redirect_uris'], uris);
  const client = await provider.clients.get(String(body(answer)['client_id']));
  t.deepEqual(client?.postLogoutRedirectUris, uris);
});

test('OIDC RP-Initiated Logout §3.1 — a post-logout redirect URI follows the redirect-URI rules of clients nobody vetted: no fragment, no http off the loopback interface', async (t) => {
  const { register } = server();
  refusal(t, await register({ post_logout_redirect_uris: ['https://notes.example/out#x'] }), /^post_logout_redirect_uris\[0\] is not an absolute URI without fragment/);
  refusal(t, await register({ post_logout_redirect_uris: ['https://notes.example/a', 'http://notes.example/out'] }), /^post_logout_redirect_uris\[1\] uses http on a host other than localhost/);
  refusal(t, await register({ post_logout_redirect_uris: ['javascript:alert(1)'] }), /^post_logout_redirect_uris\[0\]/);
  refusal(t, await register({ post_logout_redirect_uris: 'https://notes.example/out' }), /^post_logout_redirect_uris must be an array/);
});

test('OIDC Registration §2 — id_token_signed_response_alg is registered, returned and kept on the client', async (t) => {
  const { provider, register } = server();
  const answer = await register({ id_token_signed_response_alg: 'EdDSA' });
  t.is(answer.status, 201);
  t.is(body(answer)['id_token_signed_response_alg'], 'EdDSA');
  t.is((await provider.clients.get(String(body(answer)['client_id'])))?.idTokenSignedResponseAlg, 'EdDSA');
});

test('OIDC Core §2 — id_token_signed_response_alg none, or a MAC, is refused: ID tokens are signed with the server\'s keys', async (t) => {
  const { register } = server();
  for (const alg of ['none', 'HS256', 'PS512', 7]) {
    refusal(t, await register({ id_token_signed_response_alg: alg }), /^id_token_signed_response_alg must be one of /);
  }
});

test('OIDC Registration §2 — an id_token_signed_response_alg the provider keeps no keys for is refused: no ID token could be signed for the client', async (t) => {
  const { register } = server({ ...OPENID, signingKeys: { encryptionKey: generateSigningKeyEncryptionKey() } });
  refusal(t, await register({ id_token_signed_response_alg: 'EdDSA' }), /^id_token_signed_response_alg EdDSA is not offered by this server, which signs ID tokens with ES256, RS256/);
  t.is((await register({ id_token_signed_response_alg: 'RS256' })).status, 201);
});

test('OIDC Registration §2 — subject_type pairwise is registered for redirect URIs on one host, which is its sector (OIDC Core §8.1)', async (t) => {
  const { provider, register } = server();
  const answer = await register({ subject_type: 'pairwise', redirect_uris: ['https://notes.example/a', 'https://notes.example/b'] });
  t.is(answer.status, 201);
  t.is(body(answer)['subject_type'], 'pairwise');
  t.like(await provider.clients.get(String(body(answer)['client_id'])), { subjectType: 'pairwise', sectorIdentifier: null });
});

test('OIDC Core §8.1 — subject_type pairwise with redirect URIs on several hosts, or on none, is refused: they name no one sector', async (t) => {
  const { register } = server();
  refusal(t, await register({ subject_type: 'pairwise', redirect_uris: ['https://notes.example/cb', 'https://www.notes.example/cb'] }), /^subject_type pairwise needs redirect_uris on one host/);
  refusal(t, await register({ subject_type: 'pairwise', redirect_uris: ['com.example.notes:/cb'] }), /^subject_type pairwise needs redirect_uris on one host/);
});

test('OIDC Registration §2 — sector_identifier_uri is refused as not supported: the server does not fetch URLs a registration names', async (t) => {
  const { register } = server();
  refusal(t, await register({ subject_type: 'pairwise', sector_identifier_uri: 'https://notes.example/sector.json' }), /^sector_identifier_uri is not supported/);
  refusal(t, await register({ sector_identifier_uri: 'https://notes.example/sector.json' }), /^sector_identifier_uri is not supported/);
});

test('OIDC Core §8.1 — subject_type pairwise is refused by a server without a pairwise secret, or without OpenID Connect', async (t) => {
  for (const options of [{ ...OPENID, openid: {} }, {}]) {
    const { register } = server(options);
    refusal(t, await register({ subject_type: 'pairwise' }), /^subject_type pairwise is not offered by this server/);
    t.is((await register({ subject_type: 'public' })).status, 201);
  }
});

test('OIDC Core §8 — a subject_type other than public or pairwise is refused', async (t) => {
  const { register } = server();
  refusal(t, await register({ subject_type: 'anonymous' }), /^subject_type must be public or pairwise/);
});

test('OIDC Registration §2 — a client that names no id_token_signed_response_alg gets RS256, the default, and the answer says so (RFC 7591 §3.2.1)', async (t) => {
  const { provider, register } = server();
  const answer = await register({});
  t.is(answer.status, 201);
  t.is(body(answer)['id_token_signed_response_alg'], 'RS256');
  for (const field of ['post_logout_redirect_uris', 'subject_type']) t.false(field in body(answer), field);
  t.like(await provider.clients.get(String(body(answer)['client_id'])), {
    postLogoutRedirectUris: [],
    idTokenSignedResponseAlg: 'RS256',
    subjectType: 'public',
    sectorIdentifier: null,
  });
});

test('a provider without OpenID Connect provisions no OpenID metadata: the answer has none, and the client the provider\'s defaults', async (t) => {
  const { provider, register } = server({});
  const answer = await register({});
  t.is(answer.status, 201);
  for (const field of ['post_logout_redirect_uris', 'id_token_signed_response_alg', 'subject_type']) t.false(field in body(answer), field);
  t.like(await provider.clients.get(String(body(answer)['client_id'])), { postLogoutRedirectUris: [], idTokenSignedResponseAlg: null, subjectType: 'public' });
});

test('RFC 7592 §2.2 — an update replaces the OpenID Connect metadata: what it omits goes back to the default', async (t) => {
  const { provider, register, update } = server();
  const registered = body(await register({ post_logout_redirect_uris: ['https://notes.example/out'], id_token_signed_response_alg: 'EdDSA', subject_type: 'pairwise' }));
  const clientId = String(registered['client_id']);
  const changed = await update(clientId, String(registered['registration_access_token']), { post_logout_redirect_uris: ['https://notes.example/bye'] });
  t.is(changed.status, 200);
  t.deepEqual(body(changed)['post_logout_redirect_uris'], ['https://notes.example/bye']);
  t.false('subject_type' in body(changed));
  t.is(body(changed)['id_token_signed_response_alg'], 'RS256');
  t.like(await provider.clients.get(clientId), { postLogoutRedirectUris: ['https://notes.example/bye'], idTokenSignedResponseAlg: 'RS256', subjectType: 'public' });
});
