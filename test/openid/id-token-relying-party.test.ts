/**
 * The ID-token rules a relying party depends on, each shown from both sides: the provider's ID
 * tokens satisfy it, and a certified relying-party library (panva's oauth4webapi, the core of
 * openid-client) refuses a token that breaks it. The at_hash comparison is panva's
 * oidc-token-hash (oauth4webapi leaves at_hash to the application in the code flow); signatures are
 * verified with jose against the provider's published JWKS. No check here is the test's own.
 */
import test from 'ava';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oauth from 'oauth4webapi';
import tokenHash from 'oidc-token-hash';
import { idTokenOf, ISSUER, startIdTokenServer, type IdTokenServer, type TokenAnswer } from './support/id-token-server.js';

let server: IdTokenServer;

test.before(async () => {
  server = await startIdTokenServer();
});

test.after.always(async () => {
  await server?.close();
});

/** The relying party of `clientId`, as oauth4webapi knows it, on the provider's clock. */
function relyingParty(clientId: string): oauth.Client {
  return {
    client_id: clientId,
    id_token_signed_response_alg: 'ES256',
    [oauth.clockSkew]: Math.round((server.clock.now().getTime() - Date.now()) / 1000),
  };
}

const as: oauth.AuthorizationServer = { issuer: ISSUER, id_token_signing_alg_values_supported: ['ES256', 'RS256', 'EdDSA'] };

/** The token endpoint's answer, as the relying party's library reads it. */
function asResponse(answer: TokenAnswer, body: Record<string, unknown> = answer.json): Response {
  return new Response(JSON.stringify(body), { status: answer.status, headers: { 'content-type': 'application/json' } });
}

async function codeFlow(nonce: string | null, clientId?: string): Promise<TokenAnswer> {
  const code = await server.issueCode({ nonce, ...(clientId === undefined ? {} : { client: { id: clientId } }) });
  return server.exchange(code);
}

async function publishedKeys(): Promise<JSONWebKeySet> {
  return (await (await fetch(`${server.origin}/auth/jwks`)).json()) as JSONWebKeySet;
}

test('OIDC Core §3.1.3.7 — the relying party the ID token was issued to accepts it', async (t) => {
  const answer = await codeFlow('n-0S6_WzA2Mj');
  const result = await oauth.processAuthorizationCodeResponse(as, relyingParty(server.client.id), asResponse(answer), { expectedNonce: 'n-0S6_WzA2Mj' });
  t.is(result.id_token, idTokenOf(answer));
});

test('OIDC Core §3.1.3.7 — an ID token issued to one client is refused by another client (aud)', async (t) => {
  await server.createClient('other-rp');
  const answer = await codeFlow('n-aud');
  const error = await t.throwsAsync(oauth.processAuthorizationCodeResponse(as, relyingParty('other-rp'), asResponse(answer), { expectedNonce: 'n-aud' }));
  t.regex(error.message, /aud/);
});

test('OIDC Core §3.1.3.7 — a code obtained without the nonce is refused by a relying party that sent one (code injection)', async (t) => {
  const injected = await codeFlow(null);
  t.false('nonce' in JSON.parse(Buffer.from(idTokenOf(injected).split('.')[1]!, 'base64url').toString()), 'no nonce was sent, none is issued');
  const error = await t.throwsAsync(oauth.processAuthorizationCodeResponse(as, relyingParty(server.client.id), asResponse(injected), { expectedNonce: 'n-mine' }));
  t.regex(error.message, /nonce/);
});

test('OIDC Core §3.1.3.7 — an ID token whose nonce is another request’s is refused', async (t) => {
  const answer = await codeFlow('n-theirs');
  const error = await t.throwsAsync(oauth.processAuthorizationCodeResponse(as, relyingParty(server.client.id), asResponse(answer), { expectedNonce: 'n-mine' }));
  t.regex(error.message, /nonce/);
});

test('OIDC Core §3.1.3.6 — at_hash binds the ID token to its own access token: it matches that one and refuses a substituted one', async (t) => {
  const first = await codeFlow('n-at-1');
  const second = await codeFlow('n-at-2');
  const idToken = idTokenOf(first);
  const { at_hash: atHash } = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()) as { at_hash: string };
  const { alg } = decodeProtectedHeader(idToken);
  t.notThrows(() => tokenHash.validate({ claim: 'at_hash', source: 'access_token' }, atHash, String(first.json['access_token']), alg!));
  t.throws(() => tokenHash.validate({ claim: 'at_hash', source: 'access_token' }, atHash, String(second.json['access_token']), alg!));
});

// Serial: it moves the provider's clock two days on, which the other tests then share.
test.serial('OIDC Core §10.1 — after a key rotation an ID token signed by the old key verifies until its key leaves the JWKS, and is refused after', async (t) => {
  const answer = await codeFlow('n-rotation');
  const idToken = idTokenOf(answer);
  const { kid } = decodeProtectedHeader(idToken);
  await server.provider.keys.rotate();
  const verify = async () => jwtVerify(idToken, createLocalJWKSet(await publishedKeys()), { issuer: ISSUER, audience: server.client.id, currentDate: server.clock.now() });
  await t.notThrowsAsync(verify(), 'the old key is still published right after the rotation');
  // Past the old key's last token (its expiresAt), the purge withdraws it from the JWKS.
  server.clock.advance(2 * 86_400);
  await server.provider.purgeExpired();
  const published = await publishedKeys();
  t.false(published.keys.some((key) => key.kid === kid), 'the old key has left the JWKS');
  const error = await t.throwsAsync(jwtVerify(idToken, createLocalJWKSet(published), { issuer: ISSUER, audience: server.client.id, currentDate: server.clock.now() }));
  t.is((error as { code?: string }).code, 'ERR_JWKS_NO_MATCHING_KEY');
});

test('OIDC Core §2 — no ID token is ever unsigned: every one the provider issues names a published asymmetric key', async (t) => {
  const published = await publishedKeys();
  for (const nonce of ['n-alg-1', 'n-alg-2']) {
    const header = decodeProtectedHeader(idTokenOf(await codeFlow(nonce)));
    t.not(header.alg, 'none');
    t.true(published.keys.some((key) => key.kid === header.kid && key.alg === header.alg && ['EC', 'OKP', 'RSA'].includes(String(key.kty))));
  }
});

test('OIDC Core §2 — an unsigned ID token (alg none) in a token response is refused by the relying party', async (t) => {
  const answer = await codeFlow('n-none');
  const [, payload] = idTokenOf(answer).split('.');
  const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
  const error = await t.throwsAsync(
    oauth.processAuthorizationCodeResponse(as, relyingParty(server.client.id), asResponse(answer, { ...answer.json, id_token: unsigned }), { expectedNonce: 'n-none' }),
  );
  t.regex(error.message, /alg/);
});

test('OIDC Core §2 — a client cannot register alg none (or an HMAC) for its ID tokens', async (t) => {
  for (const alg of ['none', 'HS256']) {
    await t.throwsAsync(server.createClient(`rp-${alg.toLowerCase()}`, { idTokenSignedResponseAlg: alg as never }));
  }
});
