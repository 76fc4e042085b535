/**
 * The refresh-token lookups and rotations of requests that wait at the same moment go to storage
 * as one `findRefreshTokens` and one `rotateTokens` call: on PostgreSQL one statement (and for the
 * rotations one commit) for all of them, where each used to cost its own (docs/adr/0003, 0005). Each rotation is still decided on its own: a batch claims
 * every issuance with the same compare-and-set, a refused claim stores no successor, two rotations
 * of one refresh token never both win, and one bad row fails only its own request. The database is
 * real (in-memory PGlite).
 */
import test from 'ava';
import type { OAuthStorage, TokenRecord, TokenRotation } from '../../src/core/index.js';
import { StorageStack } from '../../src/core/runtime/storage-stack.js';
import { pgliteAdapter } from '../../src/providers/sql/index.js';
import { SqlStorage } from '../../src/providers/sql/sql-storage.js';
import { provisionPGlite } from '../support/databases.js';
import { aClient, aToken } from '../prisma/support/records.js';

const now = new Date('2031-05-06T08:00:00Z');

async function setup(options: { timeoutMs?: number; batchDelayMs?: number } = {}) {
  const db = await provisionPGlite();
  const storage = new SqlStorage(pgliteAdapter(db.pglite));
  /** The size of each `rotateTokens` call the stack made. */
  const calls: number[] = [];
  /** The digests of each `findRefreshTokens` call. */
  const lookups: string[][] = [];
  const observed = new Proxy(storage, {
    get(target, property) {
      if (property === 'rotateTokens') {
        return async (rotations: readonly TokenRotation[]) => {
          calls.push(rotations.length);
          // A slow database: the batch is sent, and commits, after the delay.
          if (options.batchDelayMs && rotations.length > 1) await new Promise((resolve) => setTimeout(resolve, options.batchDelayMs));
          return target.rotateTokens!(rotations);
        };
      }
      if (property === 'findRefreshTokens') {
        return (digests: readonly string[]) => {
          lookups.push([...digests]);
          return target.findRefreshTokens(digests);
        };
      }
      const member: unknown = Reflect.get(target, property, target);
      return typeof member === 'function' ? member.bind(target) : member;
    },
  }) as OAuthStorage;
  /** The invalidations the stack reported (what it tells the other processes). */
  const invalidated: Array<[string, unknown]> = [];
  const stack = new StorageStack(observed, {
    timeoutMs: options.timeoutMs ?? 0,
    caches: { tokens: null, clients: null },
    onInvalidated: (method, args) => invalidated.push([method, args[0]]),
  });
  const client = aClient();
  await storage.insertClient(client);
  /** `count` stored issuances, each with a successor of its family ready to rotate to. */
  async function issuances(count: number): Promise<Array<{ old: TokenRecord; rotation: TokenRotation }>> {
    const olds = Array.from({ length: count }, () => aToken(client.id));
    await storage.insertTokens(olds);
    return olds.map((old) => ({ old, rotation: { rotates: old.id, token: aToken(client.id, { familyId: old.familyId }), now } }));
  }
  const row = async (token: TokenRecord) => (await storage.findAccessTokens([token.accessTokenHash]))[0] ?? null;
  const usable = async (token: TokenRecord) => (await row(token))?.revokedAt === null;
  return { stack, storage, client, calls, lookups, invalidated, issuances, row, usable, close: () => db.close() };
}

test('RFC 6749 §6 — rotations that wait at the same moment are one rotateTokens call, each old token claimed and each successor stored', async (t) => {
  const s = await setup();
  t.teardown(s.close);
  const batch = await s.issuances(10);
  const results = await Promise.all(batch.map(({ rotation }) => s.stack.rotateToken(rotation)));
  t.deepEqual(results, batch.map(() => true));
  t.deepEqual(s.calls, [10], 'one call of ten');
  t.deepEqual(
    [...s.invalidated].sort(),
    batch.map(({ old }) => ['claimToken', old.id]).sort(),
    'each old issuance is invalidated, here and on the other processes, as after a claim',
  );
  for (const { old, rotation } of batch) {
    t.deepEqual((await s.row(old))?.revokedAt, now, 'the old issuance is claimed');
    t.true(await s.usable(rotation.token), 'its successor is stored and usable');
  }
});

test('RFC 6749 §6 — a claim refused in a batch stores no successor and leaves the other rotations alone', async (t) => {
  const s = await setup();
  t.teardown(s.close);
  const [live, claimed] = await s.issuances(2);
  t.true(await s.storage.claimToken(claimed!.old.id, now), 'a concurrent refresh already won this one');
  const unknown: TokenRotation = { rotates: 'no-such-issuance', token: aToken(s.client.id), now };
  const results = await Promise.all([live!.rotation, claimed!.rotation, unknown].map((rotation) => s.stack.rotateToken(rotation)));
  t.deepEqual(results, [true, false, false]);
  t.deepEqual(s.calls, [3]);
  t.true(await s.usable(live!.rotation.token));
  t.is(await s.row(claimed!.rotation.token), null, 'no successor of a refused claim is stored');
  t.is(await s.row(unknown.token), null);
});

test('RFC 6749 §10.4 — rotations of one refresh token at the same moment: exactly one wins, one successor is stored, and the burst costs one statement', async (t) => {
  const s = await setup();
  t.teardown(s.close);
  const [{ old, rotation }] = (await s.issuances(1)) as [{ old: TokenRecord; rotation: TokenRotation }];
  const rivals: TokenRotation[] = Array.from({ length: 5 }, () => ({ rotates: old.id, token: aToken(s.client.id, { familyId: old.familyId }), now }));
  const results = await Promise.all([rotation, ...rivals].map((r) => s.stack.rotateToken(r)));
  t.deepEqual(results, [true, false, false, false, false, false], 'the first submitted wins; the others find the token claimed');
  t.true(await s.usable(rotation.token));
  for (const rival of rivals) t.is(await s.row(rival.token), null, 'no loser stored anything');
  t.deepEqual(s.calls, [1], 'the repeats are answered without a call once the first has claimed the row');
});

test('a refused row in a batch fails only its own rotation: the others are sent one by one and succeed', async (t) => {
  const s = await setup();
  t.teardown(s.close);
  const batch = await s.issuances(3);
  // A successor whose client does not exist: the foreign key refuses it, and with it the whole statement.
  const orphan = { ...batch[1]!.rotation, token: { ...batch[1]!.rotation.token, clientId: 'deleted-meanwhile' } };
  const rotations = [batch[0]!.rotation, orphan, batch[2]!.rotation];
  const outcomes = await Promise.allSettled(rotations.map((rotation) => s.stack.rotateToken(rotation)));
  t.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'rejected', 'fulfilled']);
  t.true(await s.usable(batch[0]!.rotation.token));
  t.true(await s.usable(batch[2]!.rotation.token));
  t.true(await s.usable(batch[1]!.old), 'the failed rotation applied nothing: its refresh token can be presented again');
  t.deepEqual(s.calls, [3, 1, 1, 1]);
});

test('RFC 6749 §6 — refresh-token lookups that wait at the same moment are one findRefreshTokens call, each answered with its own row', async (t) => {
  const s = await setup();
  t.teardown(s.close);
  const batch = await s.issuances(6);
  const unknown = 'f'.repeat(64);
  const digests = [...batch.map(({ old }) => old.refreshTokenHash!), unknown, batch[0]!.old.refreshTokenHash!];
  const found = await Promise.all(digests.map((digest) => s.stack.findRefreshToken(digest)));
  t.deepEqual(found.map((row) => row?.id ?? null), [...batch.map(({ old }) => old.id), null, batch[0]!.old.id]);
  t.is(s.lookups.length, 1, 'one call');
  t.is(s.lookups[0]!.length, 7, 'the digest presented twice is read once');
  t.not(found[0], found[7], 'each request has its own copy of a shared row');
});

test('a batch of rotations past its deadline fails its requests and is not sent again beside itself: it may still commit', async (t) => {
  const s = await setup({ timeoutMs: 100, batchDelayMs: 600 });
  t.teardown(s.close);
  const batch = await s.issuances(3);
  const outcomes = await Promise.allSettled(batch.map(({ rotation }) => s.stack.rotateToken(rotation)));
  t.deepEqual(outcomes.map((outcome) => outcome.status), ['rejected', 'rejected', 'rejected']);
  t.deepEqual(s.calls, [3], 'no rotation sent alone after the time-out');
  // The late batch commits: a resend would have found the rows claimed, and answered invalid_grant for rotations that happened.
  const deadline = Date.now() + 20_000;
  while (!(await s.usable(batch[2]!.rotation.token)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const { rotation } of batch) t.true(await s.usable(rotation.token));
});
