/**
 * RS256 signing keys (RFC 7518 §3.3, RSASSA-PKCS1-v1_5 with SHA-256), which OIDC Core §15.1
 * requires an OpenID provider to sign ID tokens with: 2048-bit RSA keys with e = 65537, published
 * with their public members only, stored sealed and read back, and tokens that jose verifies
 * against the published JWK Set. On a real database (PGlite, the SQL provider) and a test clock.
 */
import { createPublicKey } from 'node:crypto';
import test from 'ava';
import { generateSigningKeyEncryptionKey, SigningKeyError } from '../../src/core/index.js';
import { closeSigningDatabase, issueJwt, kidOf, signingDatabase, signingOptions, verifyAgainst } from './support/signing-server.js';

test.after.always(closeSigningDatabase);

test.serial('RFC 7518 §3.3 — an RS256 key is a 2048-bit RSA key with e 65537, published with kty, n, e, kid, alg and use only', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  const { key } = await provider.keys.rotate({ algorithm: 'RS256' });
  t.like(key, { alg: 'RS256', status: 'signing' });
  const [jwk] = (await provider.keys.jwks()).keys.filter((published) => published.kid === key.id);
  t.deepEqual(Object.keys(jwk!).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
  t.like(jwk!, { kty: 'RSA', e: 'AQAB', alg: 'RS256', use: 'sig' });
  t.is(jwk!.n!.length, 342, 'a 2048-bit modulus is 342 base64url characters');
  const publicKey = createPublicKey({ key: jwk as never, format: 'jwk' });
  t.is(publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  t.is(publicKey.asymmetricKeyDetails?.publicExponent, 65537n);
});

test.serial('RFC 7518 §3.3 — a provider whose signingKeys.algorithm is RS256 signs JWT access tokens that jose verifies with RS256 against the JWK Set', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions(undefined, { signingKeys: { encryptionKey: generateSigningKeyEncryptionKey(), algorithm: 'RS256' } }));
  const token = await issueJwt(provider, db.client);
  const jwks = await provider.keys.jwks();
  const verified = await verifyAgainst(token, jwks, db.clock.now(), ['RS256']);
  t.like(verified?.header, { alg: 'RS256', typ: 'at+jwt', kid: kidOf(token) });
  t.is(await verifyAgainst(token, jwks, db.clock.now()), null, 'a verifier accepting only ES256 and EdDSA refuses it');
});

test.serial('RFC 7518 §3.3 — a stored RS256 key round-trips: another process on the database decrypts it, checks it against its public half and signs with it', async (t) => {
  const db = await signingDatabase();
  const encryptionKey = generateSigningKeyEncryptionKey();
  const options = signingOptions(encryptionKey, { signingKeys: { encryptionKey, algorithm: 'RS256' } });
  const { key } = await db.provider(options).keys.rotate();
  const other = db.provider(options);
  await t.notThrowsAsync(other.check());
  const token = await issueJwt(other, db.client);
  t.is(kidOf(token), key.id);
  t.truthy(await verifyAgainst(token, await other.keys.jwks(), db.clock.now(), ['RS256']));
  t.deepEqual((await other.keys.list())[0]?.publicJwk, key.publicJwk);
});

test.serial('RFC 7518 §3.3 — an RSA key stored with a modulus under 2048 bits is left out of the JWK Set and never signs', async (t) => {
  const db = await signingDatabase();
  const heard: unknown[] = [];
  const options = signingOptions(undefined, { onError: (error) => heard.push(error) });
  const provider = db.provider(options);
  const { key } = await provider.keys.rotate({ algorithm: 'RS256' });
  const jwk = key.publicJwk;
  const short = { ...jwk, n: jwk.n!.slice(0, 171) };
  await db.sql.query('UPDATE oauth_signing_keys SET public_jwk = $1 WHERE id = $2', [JSON.stringify(short), key.id]);
  const reader = db.provider(options);
  t.false((await reader.keys.jwks()).keys.some((published) => published.kid === key.id));
  t.true(heard.some((error) => error instanceof SigningKeyError && error.code === 'signing_key_unreadable' && /2048 to 4096 bits/.test(error.message)));
});
