/**
 * Rotating the keys JWT access tokens (RFC 9068) are signed with, on a real database and a test
 * clock: a new key is published before it signs, tokens signed by a retired key keep verifying
 * against the published JWK Set (RFC 7517 §5) until they expire, and the retired key leaves the
 * set only after that.
 */
import test from 'ava';
import { generateSigningKeyEncryptionKey, SigningKeyError, ValidationError } from '../../src/core/index.js';
import { closeSigningDatabase, issueJwt, kidOf, signingDatabase, signingOptions, verifyAgainst } from './support/signing-server.js';

test.after.always(closeSigningDatabase);

/** 660 s: the JWKS's max-age (600) plus the minute another process takes to read the keys again. */
const PUBLISH_AHEAD = 660;
/** 61 minutes: the longest JWT lifetime (3600 s) plus that minute. */
const RETIRED_PUBLICATION = 3660;

test.serial('RFC 9068 §4 — the first JWT creates the first key, which signs at once and is the only key of the JWK Set', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  t.deepEqual(await provider.keys.list(), []);
  const token = await issueJwt(provider, db.client);
  const [key] = await provider.keys.list();
  t.is(kidOf(token), key!.id);
  t.like(key!, { alg: 'ES256', status: 'signing', activatesAt: db.clock.now(), retiresAt: null, expiresAt: null });
  t.deepEqual((await provider.keys.jwks()).keys.map((jwk) => jwk.kid), [key?.id]);
  t.truthy(await verifyAgainst(token, await provider.keys.jwks(), db.clock.now()));
});

test.serial('RFC 7517 §5 — a rotation publishes the new key at once and signs with it 660 s later; until then the old key signs', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  const first = kidOf(await issueJwt(provider, db.client));
  const rotated = await provider.keys.rotate();
  t.is(rotated.retired, 1);
  t.like(rotated.key, { status: 'pending', activatesAt: new Date(db.clock.now().getTime() + PUBLISH_AHEAD * 1000) });
  t.deepEqual((await provider.keys.jwks()).keys.map((jwk) => jwk.kid), [first, rotated.key.id], 'published at once, the signing key first');
  db.clock.advance(PUBLISH_AHEAD - 1);
  t.is(kidOf(await issueJwt(provider, db.client)), first);
  db.clock.advance(1);
  t.is(kidOf(await issueJwt(provider, db.client)), rotated.key.id);
  t.deepEqual(
    (await provider.keys.list()).map((key) => [key.id, key.status]),
    [
      [first, 'retired'],
      [rotated.key.id, 'signing'],
    ],
  );
});

test.serial('RFC 9068 §4 — tokens signed by a retired key verify against the published JWK Set until they expire, and the key leaves the set 61 minutes after it stopped signing', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  await issueJwt(provider, db.client);
  const { key: next } = await provider.keys.rotate();
  db.clock.advance(PUBLISH_AHEAD - 1);
  const last = await issueJwt(provider, db.client);
  const old = kidOf(last);
  db.clock.advance(1);
  const handover = db.clock.now();
  const [retired] = await provider.keys.list();
  t.like(retired!, { id: old, status: 'retired', retiresAt: handover, expiresAt: new Date(handover.getTime() + RETIRED_PUBLICATION * 1000) });
  db.clock.advance(298);
  t.truthy(await verifyAgainst(last, await provider.keys.jwks(), db.clock.now()), 'the last token of the old key verifies until its exp');
  db.clock.advance(1);
  t.is(await verifyAgainst(last, await provider.keys.jwks(), db.clock.now()), null, 'and not after');
  db.clock.advance(RETIRED_PUBLICATION - 300);
  t.true((await provider.keys.jwks()).keys.some((jwk) => jwk.kid === old), 'published until 61 minutes after the handover');
  db.clock.advance(1);
  t.deepEqual((await provider.keys.jwks()).keys.map((jwk) => jwk.kid), [next.id]);
  t.deepEqual((await provider.keys.list()).map((key) => key.id), [next.id]);
});

test.serial('purgeExpired() deletes a retired key once it has left the JWK Set, and not before', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  const old = kidOf(await issueJwt(provider, db.client));
  db.clock.advance(1);
  await provider.keys.rotate({ publishAheadSeconds: 0 });
  db.clock.advance(RETIRED_PUBLICATION - 1);
  t.is((await provider.purgeExpired()).signingKeys, 0, 'still published');
  t.true((await provider.keys.list()).some((key) => key.id === old));
  db.clock.advance(1.001);
  t.is((await provider.purgeExpired()).signingKeys, 1);
  t.deepEqual((await db.sql.query<{ id: string }>('SELECT id FROM oauth_signing_keys WHERE id = $1', [old])).rows, []);
  t.is((await provider.keys.list()).length, 1);
});

test.serial('rotate({ publishAheadSeconds: 0 }) signs with the new key at once and retires the old key at that instant', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  const old = kidOf(await issueJwt(provider, db.client));
  db.clock.advance(1);
  const { key } = await provider.keys.rotate({ publishAheadSeconds: 0 });
  t.is(key.status, 'signing');
  t.is(kidOf(await issueJwt(provider, db.client)), key.id);
  t.like((await provider.keys.list()).find((listed) => listed.id === old)!, { status: 'retired', retiresAt: db.clock.now() });
});

test.serial('RFC 7517 §5 — the newest rotation wins: a key still pending when rotate({ publishAheadSeconds: 0 }) runs never signs, and leaves the JWK Set at once', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  await issueJwt(provider, db.client);
  db.clock.advance(1);
  const { key: pending } = await provider.keys.rotate();
  db.clock.advance(60);
  const { key: urgent, retired, cancelled } = await provider.keys.rotate({ publishAheadSeconds: 0 });
  // The first key was set to retire by the first rotation already; the pending key is cancelled.
  t.deepEqual([retired, cancelled], [0, 1]);
  t.is(kidOf(await issueJwt(provider, db.client)), urgent.id);
  t.false((await provider.keys.list()).some((key) => key.id === pending.id));
  t.false((await provider.keys.jwks()).keys.some((jwk) => jwk.kid === pending.id));
  db.clock.advance(PUBLISH_AHEAD);
  t.is(kidOf(await issueJwt(provider, db.client)), urgent.id, 'past the instant the pending key was due');
  t.is((await provider.keys.rotate({ publishAheadSeconds: 0 })).retired, 1, 'the next rotation retires the new key, which alone still signs');
});

test.serial('a pending key due within the minute another process may still sign with it, overtaken by a rotation, is retired at once and stays published 61 minutes', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  await issueJwt(provider, db.client);
  db.clock.advance(1);
  const { key: pending } = await provider.keys.rotate();
  db.clock.advance(PUBLISH_AHEAD - 59);
  const now = db.clock.now();
  const { key: urgent, cancelled } = await provider.keys.rotate({ publishAheadSeconds: 0 });
  t.is(cancelled, 1);
  t.like((await provider.keys.list()).find((key) => key.id === pending.id)!, {
    status: 'retired',
    retiresAt: now,
    expiresAt: new Date(now.getTime() + RETIRED_PUBLICATION * 1000),
  });
  db.clock.advance(59);
  t.is(kidOf(await issueJwt(provider, db.client)), urgent.id);
});

test.serial('rotate() on a database without keys makes a key that signs at once, whatever publishAheadSeconds says: nothing is signed meanwhile', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  const { key, retired } = await provider.keys.rotate({ publishAheadSeconds: 3600 });
  t.is(retired, 0);
  t.like(key, { status: 'signing', activatesAt: db.clock.now() });
  t.is(kidOf(await issueJwt(provider, db.client)), key.id);
});

test.serial('RFC 8037 §3.1 — rotate({ algorithm: "EdDSA" }) makes an Ed25519 key, which signs the JWTs of a provider whose signingKeys.algorithm is EdDSA, and only of those', async (t) => {
  const db = await signingDatabase();
  const encryptionKey = generateSigningKeyEncryptionKey();
  const provider = db.provider(signingOptions(encryptionKey));
  const { key } = await provider.keys.rotate({ algorithm: 'EdDSA', publishAheadSeconds: 0 });
  t.like(key.publicJwk, { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: key.id });
  const es256 = await verifyAgainst(await issueJwt(provider, db.client), await provider.keys.jwks(), db.clock.now());
  t.is(es256?.header.alg, 'ES256', 'signingKeys.algorithm (ES256 by default) signs JWT access tokens, with a key of its own');
  const edwards = db.provider(signingOptions(encryptionKey, { signingKeys: { encryptionKey, algorithm: 'EdDSA' } }));
  const verified = await verifyAgainst(await issueJwt(edwards, db.client), await edwards.keys.jwks(), db.clock.now());
  t.like(verified?.header, { alg: 'EdDSA', kid: key.id });
  t.is((await edwards.keys.rotate()).key.alg, 'EdDSA');
});

test.serial('another process learns of a rotation within a minute: it signs with the key it knows until its copy is 60 s old, and the key stays published for its tokens', async (t) => {
  const db = await signingDatabase();
  const options = signingOptions();
  const [a, b] = [db.provider(options), db.provider(options)];
  const old = kidOf(await issueJwt(a, db.client));
  t.is(kidOf(await issueJwt(b, db.client)), old);
  db.clock.advance(1);
  const { key } = await a.keys.rotate({ publishAheadSeconds: 0 });
  db.clock.advance(58);
  const late = await issueJwt(b, db.client);
  t.is(kidOf(late), old, 'b has not read the keys again yet');
  t.truthy(await verifyAgainst(late, await a.keys.jwks(), db.clock.now()), 'its token verifies against the set a publishes');
  db.clock.advance(1);
  t.is(kidOf(await issueJwt(b, db.client)), key.id);
});

test.serial('the public members of every published key are only kty, crv, x, y, kid, alg and use', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  await provider.keys.rotate();
  await provider.keys.rotate({ algorithm: 'EdDSA' });
  const { keys } = await provider.keys.jwks();
  t.is(keys.length, 2);
  for (const jwk of keys) {
    t.deepEqual(Object.keys(jwk).filter((name) => !['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'].includes(name)), []);
    t.is(jwk.use, 'sig');
  }
});

test.serial('a rotation in the very millisecond the current key activated makes the new key activate a millisecond later, so that it alone signs from then on', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  const old = kidOf(await issueJwt(provider, db.client));
  const { key } = await provider.keys.rotate({ publishAheadSeconds: 0 });
  t.is(key.activatesAt.getTime(), db.clock.now().getTime() + 1);
  db.clock.advance(0.001);
  t.is(kidOf(await issueJwt(provider, db.client)), key.id);
  t.like((await provider.keys.list()).find((listed) => listed.id === old)!, { status: 'retired', retiresAt: key.activatesAt });
});

test.serial('rotate() refuses a publication ahead outside 0–604800 s or an unknown algorithm, naming the option, and stores nothing', async (t) => {
  const db = await signingDatabase();
  const provider = db.provider(signingOptions());
  for (const publishAheadSeconds of [-1, 1.5, 604801, Number.NaN]) {
    const error = await t.throwsAsync(provider.keys.rotate({ publishAheadSeconds }), { instanceOf: ValidationError });
    t.is(error?.field, 'publishAheadSeconds');
  }
  const error = await t.throwsAsync(provider.keys.rotate({ algorithm: 'HS256' as never }), { instanceOf: ValidationError });
  t.is(error?.field, 'algorithm');
  t.deepEqual(await provider.keys.list(), []);
});

test.serial('without signingKeys, rotate() throws SigningKeyError signing_not_configured, and list() and jwks() show the published keys', async (t) => {
  const db = await signingDatabase();
  await db.provider(signingOptions()).keys.rotate();
  const reader = db.provider({ issuer: 'https://issuer.example' });
  t.false(reader.keys.canSign);
  const error = await t.throwsAsync(reader.keys.rotate(), { instanceOf: SigningKeyError });
  t.is(error?.code, 'signing_not_configured');
  t.regex(error?.message ?? '', /signingKeys\.encryptionKey.*OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY/);
  t.is((await reader.keys.list()).length, 1);
  t.is((await reader.keys.jwks()).keys.length, 1);
});
