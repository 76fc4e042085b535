/**
 * The operator key private signing keys are encrypted under at rest (RFC 7516 compact JWE, `dir`
 * with A256GCM): a wrong or changed key fails with one clear error naming both fingerprints, at
 * start-up and at issuance; an altered row is told apart from a wrong key; the key can be changed
 * without downtime.
 */
import test from 'ava';
import { generateSigningKeyEncryptionKey, OAuthProvider, SigningKeyError, ValidationError } from '../../src/core/index.js';
import { SIGNING_KEY_METHODS } from '../../src/core/storage/signing-key-port.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { withoutPort } from '../conformance/support/without-port.js';
import {
  closeSigningDatabase,
  issueJwt,
  kidOf,
  requestToken,
  signingDatabase,
  signingOptions,
  tokenEndpoint,
} from './support/signing-server.js';

test.after.always(closeSigningDatabase);

const WRONG_KEY_MESSAGE =
  /^signing key [\w-]+ is encrypted under the operator key with fingerprint ([\w-]{16}), but the configured signingKeys\.encryptionKey \(the CLI reads OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY\) has fingerprint ([\w-]{16}): configure the key the signing keys were created with/;

test.serial('a wrong operator key fails provider.check() with SigningKeyError signing_encryption_key_mismatch, naming both fingerprints', async (t) => {
  const db = await signingDatabase();
  await issueJwt(db.provider(signingOptions()), db.client);
  const wrong = db.provider(signingOptions());
  const error = await t.throwsAsync(wrong.check(), { instanceOf: SigningKeyError });
  t.is(error?.code, 'signing_encryption_key_mismatch');
  const [, stored, configured] = WRONG_KEY_MESSAGE.exec(error?.message ?? '') ?? [];
  t.truthy(stored);
  t.not(stored, configured);
});

test.serial('a wrong operator key answers a JWT request 500 server_error and tells onError the same SigningKeyError; opaque tokens are unaffected', async (t) => {
  const db = await signingDatabase();
  await issueJwt(db.provider(signingOptions()), db.client);
  const { controller, failures } = tokenEndpoint(db.provider(signingOptions()));
  const response = await requestToken(controller, db.client);
  t.is(response.status, 500);
  t.deepEqual(response.body, { error: 'server_error', error_description: 'The authorization server encountered an unexpected condition' });
  const reported = failures[0] as { inner?: unknown };
  t.true(reported.inner instanceof SigningKeyError);
  t.regex((reported.inner as Error).message, WRONG_KEY_MESSAGE);
  const opaque = await controller.token({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${db.client.id}:${db.client.secret}`).toString('base64')}` },
    query: {},
    body: { grant_type: 'client_credentials' },
  });
  t.is(opaque.status, 200);
});

test.serial('a wrong operator key leaves the JWK Set served: it holds public halves only', async (t) => {
  const db = await signingDatabase();
  const token = await issueJwt(db.provider(signingOptions()), db.client);
  t.deepEqual((await db.provider(signingOptions()).keys.jwks()).keys.map((jwk) => jwk.kid), [kidOf(token)]);
});

test.serial('rotate() by a provider with a wrong operator key is refused with signing_encryption_key_mismatch before anything is written', async (t) => {
  const db = await signingDatabase();
  await issueJwt(db.provider(signingOptions()), db.client);
  const before = await db.provider().keys.list();
  const error = await t.throwsAsync(db.provider(signingOptions()).keys.rotate(), { instanceOf: SigningKeyError });
  t.is(error?.code, 'signing_encryption_key_mismatch');
  t.deepEqual(await db.provider().keys.list(), before);
});

test.serial('the right operator key passes provider.check(), which decrypts the signing key and writes nothing', async (t) => {
  const db = await signingDatabase();
  const options = signingOptions();
  await issueJwt(db.provider(options), db.client);
  const before = await db.provider(options).keys.list();
  await t.notThrowsAsync(db.provider(options).check());
  t.deepEqual(await db.provider(options).keys.list(), before);
});

test.serial('provider.check() on a database without signing keys creates none', async (t) => {
  const db = await signingDatabase();
  await t.notThrowsAsync(db.provider(signingOptions()).check());
  t.deepEqual(await db.provider().keys.list(), []);
});

test.serial('previousEncryptionKeys: keys sealed under the old operator key keep signing, and a rotation seals the new key under the new one', async (t) => {
  const db = await signingDatabase();
  const oldKey = generateSigningKeyEncryptionKey();
  const newKey = generateSigningKeyEncryptionKey();
  const first = kidOf(await issueJwt(db.provider(signingOptions(oldKey)), db.client));
  const moving = db.provider({ ...signingOptions(newKey), signingKeys: { encryptionKey: newKey, previousEncryptionKeys: [oldKey] } });
  await t.notThrowsAsync(moving.check());
  t.is(kidOf(await issueJwt(moving, db.client)), first);
  const { key } = await moving.keys.rotate({ publishAheadSeconds: 0 });
  db.clock.advance(1);
  const onlyNew = db.provider(signingOptions(newKey));
  t.is(kidOf(await issueJwt(onlyNew, db.client)), key.id, 'the new key needs only the new operator key');
});

test.serial('RFC 7516 §5.2 — an altered private key fails with signing_key_unreadable, not as a wrong operator key', async (t) => {
  const db = await signingDatabase();
  const options = signingOptions();
  await issueJwt(db.provider(options), db.client);
  const { rows } = await db.sql.query<{ id: string; private_key_encrypted: string }>('SELECT id, private_key_encrypted FROM oauth_signing_keys', []);
  const [header, key, iv, ciphertext, tag] = rows[0]!.private_key_encrypted.split('.');
  const flipped = `${ciphertext!.slice(0, -2)}${ciphertext!.endsWith('AA') ? 'BB' : 'AA'}`;
  await db.sql.query('UPDATE oauth_signing_keys SET private_key_encrypted = $1', [[header, key, iv, flipped, tag].join('.')]);
  const error = await t.throwsAsync(db.provider(options).check(), { instanceOf: SigningKeyError });
  t.is(error?.code, 'signing_key_unreadable');
  t.regex(error?.message ?? '', new RegExp(`^signing key ${rows[0]!.id} cannot be used: its private key does not decrypt under the operator key [\\w-]{16} its header names`));
});

test.serial('a private key copied from another row is refused as not the private half of the published key', async (t) => {
  const db = await signingDatabase();
  const options = signingOptions();
  const provider = db.provider(options);
  await issueJwt(provider, db.client);
  db.clock.advance(1);
  const { key } = await provider.keys.rotate({ publishAheadSeconds: 0 });
  await db.sql.query('UPDATE oauth_signing_keys SET private_key_encrypted = (SELECT private_key_encrypted FROM oauth_signing_keys WHERE id <> $1) WHERE id = $1', [key.id]);
  const error = await t.throwsAsync(db.provider(options).check(), { instanceOf: SigningKeyError });
  t.is(error?.code, 'signing_key_unreadable');
  t.regex(error?.message ?? '', /the private key is not the private half of the published key/);
});

test('signingKeys.encryptionKey must be 32 bytes of base64url: a refusal names the option and never quotes the value', (t) => {
  const storage = new MemoryStorage();
  const secretish = 'c2VjcmV0LXRoYXQtaXMtdG9vLXNob3J0';
  for (const encryptionKey of ['', secretish, `${generateSigningKeyEncryptionKey()}=`, generateSigningKeyEncryptionKey().replace(/.$/, '_'), 42]) {
    const error = t.throws(() => new OAuthProvider(storage, { signingKeys: { encryptionKey: encryptionKey as string } }), { instanceOf: ValidationError });
    t.is(error?.field, 'signingKeys.encryptionKey');
    t.false(error?.message.includes(secretish));
  }
  const previous = t.throws(() => new OAuthProvider(storage, { signingKeys: { encryptionKey: generateSigningKeyEncryptionKey(), previousEncryptionKeys: ['short'] } }), {
    instanceOf: ValidationError,
  });
  t.is(previous?.field, 'signingKeys.previousEncryptionKeys[0]');
});

test('provider options of JWT access tokens are checked when the provider is built, each refusal naming its field', (t) => {
  const storage = new MemoryStorage();
  const key = generateSigningKeyEncryptionKey();
  const refused: Array<[object, string]> = [
    [{ issuer: 'http://issuer.example' }, 'issuer'],
    [{ issuer: 'https://issuer.example/?tenant=1' }, 'issuer'],
    [{ issuer: 'https://issuer.example/#x' }, 'issuer'],
    [{ issuer: 'https://user:pw@issuer.example' }, 'issuer'],
    [{ issuer: 'issuer.example' }, 'issuer'],
    [{ issuer: `https://issuer.example/${'p'.repeat(500)}` }, 'issuer'],
    [{ jwtAccessTokenLifetime: 0 }, 'jwtAccessTokenLifetime'],
    [{ jwtAccessTokenLifetime: 3601 }, 'jwtAccessTokenLifetime'],
    [{ signingKeys: { encryptionKey: key, algorithm: 'HS256' } }, 'signingKeys.algorithm'],
    [{ signingKeys: { encryptionKey: key, algorithm: 'none' } }, 'signingKeys.algorithm'],
    [{ signingKeys: { encryptionKey: key, publishAhead: 5 } }, 'signingKeys.publishAhead'],
  ];
  for (const [options, field] of refused) {
    const error = t.throws(() => new OAuthProvider(storage, options), { instanceOf: ValidationError }, JSON.stringify(options));
    t.is(error?.field, field);
  }
  t.is(new OAuthProvider(storage, { issuer: 'http://localhost:3000' }).issuer, 'http://localhost:3000');
  t.is(new OAuthProvider(storage, { issuer: 'https://login.example.com/tenant' }).issuer, 'https://login.example.com/tenant');
});

test('signingKeys on a storage without the signing-key port is refused when the provider is built, saying why', (t) => {
  const withoutSigningKeys = withoutPort(new MemoryStorage(), SIGNING_KEY_METHODS);
  const error = t.throws(() => new OAuthProvider(withoutSigningKeys, { signingKeys: { encryptionKey: generateSigningKeyEncryptionKey() } }), { instanceOf: ValidationError });
  t.is(error?.field, 'signingKeys');
  t.regex(error?.message ?? '', /no signing-key port/);
});
