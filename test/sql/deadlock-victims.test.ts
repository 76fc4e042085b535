/**
 * A token write the database ends as a deadlock's victim applied nothing and is sent again:
 * revocations, claims and inserts race rotations on the same rows (on InnoDB above all, whose
 * UPDATE locks the index entries it scans), and a revocation that failed on a deadlock would answer
 * 503 or leave a grant's tokens usable. Only deadlocks are retried. The database here is real
 * (in-memory PGlite); the deadlock is injected, since a real one cannot be produced on demand.
 */
import test from 'ava';
import type { TokenRecord } from '../../src/core/index.js';
import { mysqlDialect } from '../../src/providers/sql/dialects/mysql-dialect.js';
import { postgresDialect } from '../../src/providers/sql/dialects/postgres-dialect.js';
import { pgliteAdapter } from '../../src/providers/sql/index.js';
import type { SQLInterface } from '../../src/providers/sql/sql-interface.js';
import { SqlStorage } from '../../src/providers/sql/sql-storage.js';
import { provisionPGlite } from '../support/databases.js';
import { aClient, aToken } from '../prisma/support/records.js';

const DEADLOCK = Object.assign(new Error('deadlock detected'), { code: '40P01' });

/** The storage on a fresh database, whose statements matching `victim` fail with `error` the first `times` times. */
async function storageFailing(victim: RegExp, error: unknown, times = 1) {
  const db = await provisionPGlite();
  const inner = pgliteAdapter(db.pglite);
  const sent: string[] = [];
  let failures = 0;
  const wrap = (target: SQLInterface): SQLInterface => ({
    dialect: target.dialect,
    query(sql, params) {
      if (victim.test(sql)) {
        sent.push(sql);
        if (failures < times) {
          failures += 1;
          return Promise.reject(error);
        }
      }
      return target.query(sql, params);
    },
    transaction: (fn) => target.transaction((tx) => fn(wrap(tx))),
  });
  const storage = new SqlStorage(wrap(inner));
  const client = aClient();
  await storage.insertClient(client);
  return { storage, client, sent, close: () => db.close() };
}

const now = new Date('2031-05-06T08:00:00Z');

test('a revocation ended as a deadlock victim is sent again, and revokes', async (t) => {
  const s = await storageFailing(/^WITH revoked AS|^UPDATE oauth_tokens SET revoked_at = \S+ WHERE client_id/, DEADLOCK);
  t.teardown(s.close);
  const token: TokenRecord = aToken(s.client.id, { userId: null });
  await s.storage.insertTokens([token]);
  t.is(await s.storage.revokeTokens({ clientId: s.client.id }, now), 1);
  t.is(s.sent.length, 2, 'sent twice');
  t.deepEqual((await s.storage.findAccessTokens([token.accessTokenHash]))[0]?.revokedAt, now);
});

test('a claim ended as a deadlock victim is sent again, and claims once', async (t) => {
  const s = await storageFailing(/^UPDATE oauth_tokens SET revoked_at = \S+ WHERE id = /, DEADLOCK);
  t.teardown(s.close);
  const token = aToken(s.client.id);
  await s.storage.insertTokens([token]);
  t.true(await s.storage.claimToken(token.id, now));
  t.false(await s.storage.claimToken(token.id, now), 'a compare-and-set: the second claim finds it claimed');
  t.is(s.sent.length, 3, 'the first claim sent twice, the second once');
});

test('an insert of tokens ended as a deadlock victim is sent again, and stores them once', async (t) => {
  const s = await storageFailing(/^INSERT INTO oauth_tokens/, DEADLOCK);
  t.teardown(s.close);
  const tokens = [aToken(s.client.id), aToken(s.client.id)];
  await s.storage.insertTokens(tokens);
  t.is((await s.storage.findAccessTokens(tokens.map((token) => token.accessTokenHash))).length, 2);
});

test('a batch of rotations ended as a deadlock victim is sent again, and rotates each issuance once', async (t) => {
  const s = await storageFailing(/^WITH input AS/, DEADLOCK);
  t.teardown(s.close);
  const old = [aToken(s.client.id), aToken(s.client.id)];
  await s.storage.insertTokens(old);
  const successors = old.map((token) => aToken(s.client.id, { familyId: token.familyId }));
  const rotations = old.map((token, i) => ({ rotates: token.id, token: successors[i]!, now }));
  t.deepEqual(await s.storage.rotateTokens!(rotations), [true, true]);
  t.is(s.sent.length, 2, 'sent twice');
  t.is((await s.storage.findAccessTokens(successors.map((token) => token.accessTokenHash))).length, 2);
});

test('a failure other than a deadlock is not sent again', async (t) => {
  const failure = Object.assign(new Error('disk full'), { code: '53100' });
  const s = await storageFailing(/^WITH revoked AS/, failure);
  t.teardown(s.close);
  await t.throwsAsync(s.storage.revokeTokens({ clientId: s.client.id }, now), { is: failure });
  t.is(s.sent.length, 1);
});

test('a write that keeps being chosen as a deadlock victim gives up with the database error, after a bounded number of tries', async (t) => {
  const s = await storageFailing(/^WITH revoked AS/, DEADLOCK, Number.POSITIVE_INFINITY);
  t.teardown(s.close);
  await t.throwsAsync(s.storage.revokeTokens({ clientId: s.client.id }, now), { is: DEADLOCK });
  t.is(s.sent.length, 16);
});

test('each dialect recognises its database deadlock error, and nothing else', (t) => {
  t.true(postgresDialect.isDeadlock({ code: '40P01' }));
  t.false(postgresDialect.isDeadlock({ code: '40001' }), 'a serialization failure is not a deadlock');
  t.true(mysqlDialect.isDeadlock({ errno: 1213, code: 'ER_LOCK_DEADLOCK' }));
  t.false(mysqlDialect.isDeadlock({ errno: 1205 }), 'a lock wait time-out is not a deadlock');
  t.false(mysqlDialect.isDeadlock(new Error('deadlock')));
});
