/**
 * How ID tokens are signed (OIDC Core §2, §3.1.3.7) and bound to their access token (`at_hash`,
 * §3.1.3.6): verified with `jose` against the provider's JWKS, the hash recomputed here.
 */
import { createHash } from 'node:crypto';
import test from 'ava';
import { decodeProtectedHeader, decodeJwt } from 'jose';
import { idTokenOf, startIdTokenServer, type IdTokenServer } from './support/id-token-server.js';

const NOTES = 'https://notes.example/api';
let server: IdTokenServer;
let edServer: IdTokenServer;

test.before(async () => {
  server = await startIdTokenServer();
  await server.provider.resources.define({ id: NOTES, name: 'Notes', tokenFormat: 'jwt' });
  // JWT access tokens stay ES256: the ring keeps a key of the ID tokens' algorithm besides.
  edServer = await startIdTokenServer({ openid: { idTokenSigningAlgorithm: 'EdDSA' } });
});

test.after.always(async () => {
  await server?.close();
  await edServer?.close();
});

/** OIDC Core §3.1.3.6, computed independently: the left half of the hash, base64url. */
function leftHalf(accessToken: string, hash: 'sha256' | 'sha512'): string {
  const digest = createHash(hash).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

test('OIDC Core §3.1.3.6 — at_hash of an ES256 ID token is the left half of the SHA-256 of the access token', async (t) => {
  const answer = await server.exchange(await server.issueCode());
  const { payload, protectedHeader } = await server.verify(idTokenOf(answer));
  t.is(protectedHeader.alg, 'ES256');
  t.is(payload.at_hash, leftHalf(answer.json['access_token'] as string, 'sha256'));
});

test('OIDC Core §3.1.3.6 — at_hash matches a JWT access token (RFC 9068) issued with the ID token', async (t) => {
  const answer = await server.exchange(await server.issueCode({ audience: [NOTES] }));
  const accessToken = answer.json['access_token'] as string;
  t.is(decodeJwt(accessToken).aud, NOTES);
  const { payload } = await server.verify(idTokenOf(answer));
  t.is(payload.at_hash, leftHalf(accessToken, 'sha256'));
});

test('OIDC Core §3.1.3.6 — at_hash of a refresh\'s ID token matches the new access token', async (t) => {
  const first = await server.exchange(await server.issueCode());
  const refreshed = await server.refresh(first.json['refresh_token'] as string);
  const { payload } = await server.verify(idTokenOf(refreshed));
  t.is(payload.at_hash, leftHalf(refreshed.json['access_token'] as string, 'sha256'));
  t.not(payload.at_hash, leftHalf(first.json['access_token'] as string, 'sha256'));
});

test('OIDC Core §3.1.3.7 — with openid.idTokenSigningAlgorithm EdDSA, ID tokens are EdDSA and verify with the JWKS', async (t) => {
  const answer = await edServer.exchange(await edServer.issueCode());
  const { protectedHeader } = await edServer.verify(idTokenOf(answer), { algorithms: ['EdDSA'] });
  t.is(protectedHeader.alg, 'EdDSA');
});

test('OIDC Core §3.1.3.6 — at_hash of an EdDSA ID token is the left half of the SHA-512 of the access token', async (t) => {
  const answer = await edServer.exchange(await edServer.issueCode());
  const { payload } = await edServer.verify(idTokenOf(answer), { algorithms: ['EdDSA'] });
  t.is(payload.at_hash, leftHalf(answer.json['access_token'] as string, 'sha512'));
});

test('OIDC Core §2 — an ID token is signed: its alg is never none', async (t) => {
  const answer = await server.exchange(await server.issueCode());
  const alg = decodeProtectedHeader(idTokenOf(answer)).alg;
  t.not(alg, 'none');
  t.true(['ES256', 'RS256', 'EdDSA'].includes(alg ?? ''));
});

test('OIDC Core §2 — a client recorded with id_token_signed_response_alg none is never sent an unsigned ID token', async (t) => {
  const client = await server.createClient('unsigned-rp');
  // The management API refuses `none`; a record written some other way may still hold it.
  await server.storage.updateClient(client.id, { idTokenSignedResponseAlg: 'none' }, server.clock.now());
  const answer = await server.exchange(await server.issueCode({ client }), client);
  t.is(answer.status, 500);
  t.is(answer.json['error'], 'server_error');
  t.false('id_token' in answer.json);
  t.false('access_token' in answer.json);
});

test('OIDC Core §3.1.3.7 — a client that registered RS256 is sent RS256 ID tokens that verify with the JWKS', async (t) => {
  const client = await server.createClient('rs256-rp', { idTokenSignedResponseAlg: 'RS256' });
  const answer = await server.exchange(await server.issueCode({ client }), client);
  const { payload, protectedHeader } = await server.verify(idTokenOf(answer), { audience: client.id, algorithms: ['RS256'] });
  t.is(protectedHeader.alg, 'RS256');
  t.is(payload.aud, client.id);
});

test('OIDC Core §3.1.3.6 — at_hash of an RS256 ID token is the left half of the SHA-256 of the access token', async (t) => {
  const client = await server.createClient('rs256-hash-rp', { idTokenSignedResponseAlg: 'RS256' });
  const answer = await server.exchange(await server.issueCode({ client }), client);
  const { payload } = await server.verify(idTokenOf(answer), { audience: client.id, algorithms: ['RS256'] });
  t.is(payload.at_hash, leftHalf(answer.json['access_token'] as string, 'sha256'));
});

test('OIDC Core §3.1.3.7 — a client that registered no algorithm is sent the provider\'s default (ES256) while another gets RS256', async (t) => {
  await server.createClient('rs256-other-rp', { idTokenSignedResponseAlg: 'RS256' });
  const answer = await server.exchange(await server.issueCode());
  t.is(decodeProtectedHeader(idTokenOf(answer)).alg, 'ES256');
});

test('OIDC Core §12.2 — the ID token of a refresh is signed in the client\'s registered algorithm too', async (t) => {
  const client = await server.createClient('rs256-refresh-rp', { idTokenSignedResponseAlg: 'RS256' });
  const first = await server.exchange(await server.issueCode({ client }), client);
  const refreshed = await server.refresh(first.json['refresh_token'] as string, client);
  const { protectedHeader } = await server.verify(idTokenOf(refreshed), { audience: client.id, algorithms: ['RS256'] });
  t.is(protectedHeader.alg, 'RS256');
});
