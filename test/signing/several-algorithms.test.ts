/**
 * A provider that keeps a current signing key per algorithm: JWT access tokens in
 * `signingKeys.algorithm`, and the others of `signingKeys.algorithms` and of OpenID Connect (its ID
 * token algorithm and RS256, OIDC Core §15.1), each on a schedule of its own, every one in the
 * JWK Set (RFC 7517 §5). On a real database (PGlite, the SQL provider) and a test clock.
 */
import test from 'ava';
import { generateSigningKeyEncryptionKey, SigningKeyError, ValidationError, type OAuthProviderOptions } from '../../src/core/index.js';
import { KeyRing } from '../../src/core/provider/signing/key-ring.js';
import { operatorKeysOf, parseOperatorKey } from '../../src/core/provider/signing/operator-key.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { closeSigningDatabase, issueJwt, kidOf, signingDatabase, signingOptions, verifyAgainst } from './support/signing-server.js';

test.after.always(closeSigningDatabase);

/** 660 s: the JWKS's max-age (600) plus the minute another process takes to read the keys again. */
const PUBLISH_AHEAD = 660;
/** 61 minutes: the longest JWT lifetime (3600 s) plus that minute. */
const RETIRED_PUBLICATION = 3660;

function severalOptions(encryptionKey = generateSigningKeyEncryptionKey()): OAuthProviderOptions {
  return signingOptions(encryptionKey, { signingKeys: { encryptionKey, algorithm: 'ES256', algorithms: ['RS256', 'EdDSA'] } });
}

test.serial('RFC 7517 §5 — the JWK Set holds the current key of every configured algorithm, the access tokens\' first, each created by its first use', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(severalOptions());
  const { keys } = await provider.keys.jwks();
  t.deepEqual(keys.map((jwk) => jwk.alg), ['ES256', 'RS256', 'EdDSA']);
  t.deepEqual(
    (await provider.keys.list()).map((key) => [key.alg, key.status]).sort(),
    [
      ['ES256', 'signing'],
      ['EdDSA', 'signing'],
      ['RS256', 'signing'],
    ],
  );
});

test.serial('RFC 7515 §4.1.1 — JWT access tokens are signed with the key of signingKeys.algorithm, and the other algorithms have a current key of their own', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(severalOptions());
  const token = await issueJwt(provider, db.client);
  const verified = await verifyAgainst(token, await provider.keys.jwks(), db.clock.now(), ['ES256', 'EdDSA', 'RS256']);
  t.is(verified?.header.alg, 'ES256');
  const list = await provider.keys.list();
  t.is(list.filter((key) => key.status === 'signing').length, 3, 'one signing key per algorithm');
  t.is(list.find((key) => key.alg === 'ES256')?.id, kidOf(token));
});

test.serial('rotate() rotates every configured algorithm: one new key each, published 660 s ahead, each retiring the old key of its algorithm only', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(severalOptions());
  const before = (await provider.keys.jwks()).keys;
  db.clock.advance(1);
  const rotation = await provider.keys.rotate();
  t.deepEqual(rotation.keys.map((key) => [key.alg, key.status]), [
    ['ES256', 'pending'],
    ['RS256', 'pending'],
    ['EdDSA', 'pending'],
  ]);
  t.is(rotation.key.alg, 'ES256', 'the key of JWT access tokens');
  t.is(rotation.retired, 3);
  const handover = new Date(db.clock.now().getTime() + PUBLISH_AHEAD * 1000);
  for (const old of before) {
    t.like((await provider.keys.list()).find((key) => key.id === old.kid)!, { status: 'signing', retiresAt: handover, expiresAt: new Date(handover.getTime() + RETIRED_PUBLICATION * 1000) });
  }
  t.is((await provider.keys.jwks()).keys.length, 6, 'old and new keys of every algorithm are published');
  db.clock.advance(PUBLISH_AHEAD);
  const signing = (await provider.keys.list()).filter((key) => key.status === 'signing').map((key) => key.id);
  t.deepEqual(signing.sort(), rotation.keys.map((key) => key.id).sort());
});

test.serial('rotate({ algorithm }) rotates that algorithm only: the current keys of the others neither retire nor change', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(severalOptions());
  await provider.keys.jwks();
  const before = await provider.keys.list();
  db.clock.advance(1);
  const rotation = await provider.keys.rotate({ algorithm: 'RS256', publishAheadSeconds: 0 });
  t.deepEqual(rotation.keys.map((key) => key.alg), ['RS256']);
  t.is(rotation.retired, 1);
  const after = await provider.keys.list();
  for (const key of before.filter((listed) => listed.alg !== 'RS256')) {
    t.like(after.find((listed) => listed.id === key.id)!, { status: 'signing', retiresAt: null, expiresAt: null });
  }
  t.like(after.find((listed) => listed.id === before.find((key) => key.alg === 'RS256')?.id)!, { status: 'retired', retiresAt: db.clock.now() });
  t.is(kidOf(await issueJwt(provider, db.client)), before.find((key) => key.alg === 'ES256')?.id ?? '');
});

test.serial('RFC 9068 §4 — after a rotation of every algorithm, a token signed by the old key verifies against the JWK Set until it expires, and the old keys leave the set 61 minutes after the handover', async (t) => {
  const db = await signingDatabase();
  const encryptionKey = generateSigningKeyEncryptionKey();
  const provider = db.provider(signingOptions(encryptionKey, { signingKeys: { encryptionKey, algorithm: 'RS256', algorithms: ['ES256'] } }));
  await provider.keys.jwks();
  db.clock.advance(1);
  const { keys: next } = await provider.keys.rotate();
  db.clock.advance(PUBLISH_AHEAD - 1);
  const last = await issueJwt(provider, db.client);
  db.clock.advance(1);
  t.not(kidOf(await issueJwt(provider, db.client)), kidOf(last), 'the new RS256 key signs from the handover');
  db.clock.advance(298);
  t.truthy(await verifyAgainst(last, await provider.keys.jwks(), db.clock.now(), ['RS256']), 'the last token of the old key verifies until its exp');
  db.clock.advance(1);
  t.is(await verifyAgainst(last, await provider.keys.jwks(), db.clock.now(), ['RS256']), null, 'and not after');
  db.clock.advance(RETIRED_PUBLICATION - 300);
  t.is((await provider.keys.jwks()).keys.length, 4, 'both old keys are published until 61 minutes after the handover');
  db.clock.advance(1);
  t.deepEqual((await provider.keys.jwks()).keys.map((jwk) => jwk.kid).sort(), next.map((key) => key.id).sort());
});

test.serial('a key of an algorithm no longer configured stays published, and retires at the next rotate() with the 61 minutes of any retired key', async (t) => {
  const db = await signingDatabase();
  const encryptionKey = generateSigningKeyEncryptionKey();
  const before = db.provider(severalOptions(encryptionKey));
  await before.keys.jwks();
  const edwards = (await before.keys.list()).find((key) => key.alg === 'EdDSA')!;
  const after = db.provider(signingOptions(encryptionKey));
  const error = await t.throwsAsync(after.keys.rotate({ algorithm: 'HS256' as never }), { instanceOf: ValidationError });
  t.is(error?.field, 'algorithm');
  t.true((await after.keys.jwks()).keys.some((jwk) => jwk.kid === edwards.id), 'still published');
  db.clock.advance(1);
  const rotation = await after.keys.rotate();
  t.deepEqual(rotation.keys.map((key) => key.alg), ['ES256']);
  t.is(rotation.retired, 3, 'the ES256 key it replaces, and the RS256 and EdDSA keys no longer configured');
  const handover = new Date(db.clock.now().getTime() + PUBLISH_AHEAD * 1000);
  t.like((await after.keys.list()).find((key) => key.id === edwards.id)!, { retiresAt: handover, expiresAt: new Date(handover.getTime() + RETIRED_PUBLICATION * 1000) });
  db.clock.advance(PUBLISH_AHEAD + RETIRED_PUBLICATION - 1);
  t.true((await after.keys.jwks()).keys.some((jwk) => jwk.kid === edwards.id), 'published until it expires');
  db.clock.advance(1);
  t.false((await after.keys.jwks()).keys.some((jwk) => jwk.kid === edwards.id));
});

test.serial('OIDC Core §15.1 — with openid, the provider keeps a current key for its ID token algorithm and for RS256, besides that of access tokens', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions(undefined, { openid: { idTokenSigningAlgorithm: 'EdDSA' } }));
  t.deepEqual((await provider.keys.jwks()).keys.map((jwk) => jwk.alg), ['ES256', 'EdDSA', 'RS256']);
  t.deepEqual((await provider.keys.rotate()).keys.map((key) => key.alg), ['ES256', 'EdDSA', 'RS256']);
});

test.serial('without openid, the provider keeps a key for its access-token algorithm only', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  t.deepEqual((await provider.keys.jwks()).keys.map((jwk) => jwk.alg), ['ES256']);
});

test.serial('signingKeys.algorithms is checked when the provider is built, each refusal naming its field', async (t) => {
  const db = await signingDatabase();
  const encryptionKey = generateSigningKeyEncryptionKey();
  for (const [algorithms, field] of [
    ['RS256', 'signingKeys.algorithms'],
    [['RS256', 'HS256'], 'signingKeys.algorithms[1]'],
    [['none'], 'signingKeys.algorithms[0]'],
  ] as const) {
    const error = t.throws(() => db.provider(signingOptions(encryptionKey, { signingKeys: { encryptionKey, algorithms: algorithms as never } })), { instanceOf: ValidationError });
    t.is(error?.field, field);
  }
});

test.serial('OIDC Core §15.1 — the key ring signs with a configured algorithm only: a published key of another is never used, and asking for it is signing_algorithm_not_configured', async (t) => {
  const storage = new MemoryStorage();
  const operatorKeys = operatorKeysOf(parseOperatorKey(generateSigningKeyEncryptionKey(), 'key'), []);
  const now = new Date('2030-01-01T00:00:00.000Z');
  const ring = new KeyRing(storage, { operatorKeys, algorithm: 'ES256', algorithms: ['ES256', 'RS256'], report: () => {} });
  const edwards = await ring.create('EdDSA', now, now);
  const error = await t.throwsAsync(ring.signingKey(now, 'EdDSA'), { instanceOf: SigningKeyError });
  t.is(error?.code, 'signing_algorithm_not_configured');
  const [es256, rs256] = await Promise.all([ring.signingKey(now), ring.signingKey(now, 'RS256')]);
  t.deepEqual([es256.key.publicJwk.alg, rs256.key.publicJwk.alg], ['ES256', 'RS256']);
  t.deepEqual((await ring.published(now)).map((key) => key.record.id).sort(), [edwards.id, es256.key.record.id, rs256.key.record.id].sort());
});
