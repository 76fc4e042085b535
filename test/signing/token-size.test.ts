/**
 * The largest JWT access token (RFC 9068) the kit can mint: every claim at the most its inputs
 * allow. It must stay within the bound on access tokens looked up (16 KiB), so that introspection,
 * revocation and the guard still find it by its digest.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import test from 'ava';
import { createAuthController, createGuard, generateSigningKeyEncryptionKey, OAuthProvider } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';

const MAX_ACCESS_TOKEN_LENGTH = 16 * 1024;

test('RFC 9068 §2.2 — a JWT with a 512-character issuer, 4000 characters of audience and of scope and a 128-character user id of quotes stays under 16 KiB, and the guard finds it', async (t) => {
  const issuer = `https://issuer.example/${'i'.repeat(512 - 'https://issuer.example/'.length)}`;
  const provider = new OAuthProvider(new MemoryStorage(), {
    issuer,
    signingKeys: { encryptionKey: generateSigningKeyEncryptionKey(), algorithm: 'EdDSA' },
    allowPasswordGrant: true,
    passwordHashCost: { N: 1024, r: 8, p: 1 },
  });
  // 31 scopes of 128 characters and a last one: 4000 characters, space-delimited.
  const scopes = Array.from({ length: 31 }, (_, i) => `s${String(i).padStart(2, '0')}`.padEnd(128, 'x'));
  scopes.push('z'.repeat(4000 - scopes.join(' ').length - 1));
  for (const scope of scopes) await provider.scopes.define(scope, null);
  // Seven resources of 511 characters and one filling the 4000 characters of a stored audience.
  const resources = Array.from({ length: 7 }, (_, i) => `https://api${i}.example/`.padEnd(511, 'r'));
  resources.push(`urn:x:${'y'.repeat(4000 - resources.join(' ').length - 1 - 'urn:x:'.length)}`);
  for (const id of resources) await provider.resources.define({ id, name: 'Big', tokenFormat: 'jwt' });
  const { client, clientSecret } = await provider.clients.create({ name: 'Big', grants: ['password'], scopes, defaultScopes: scopes });
  const user = await provider.users.create({ id: '"\\'.repeat(64), username: 'big', password: 'a long enough password' });
  const controller = createAuthController({ server: new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) }), provider });
  const response = await controller.token({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.id}:${clientSecret}`).toString('base64')}` },
    query: {},
    body: { grant_type: 'password', username: 'big', password: 'a long enough password', resource: resources },
  });
  t.is(response.status, 200, JSON.stringify(response.body));
  const token = (response.body as { access_token: string }).access_token;
  t.log(`${token.length} characters`);
  t.true(token.length < MAX_ACCESS_TOKEN_LENGTH);
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string; aud: string[]; scope: string };
  t.deepEqual([claims.sub, claims.aud.join(' ').length, claims.scope.length], [user.id, 4000, 4000]);
  const outcome = await createGuard({ provider, resource: resources[7] }).check({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} });
  t.true(outcome.ok);
});
