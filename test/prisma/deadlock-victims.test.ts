/**
 * A rotation batch or a revocation that PostgreSQL ends as a deadlock's victim applied nothing and
 * is sent again by the Prisma provider: a batch of rotations locks several rows in its own order and
 * a revocation of a client's or user's tokens locks them in index order, so the two can cross
 * (docs/adr/0003). The deadlock is raised by the driver adapter as `@prisma/adapter-pg` raises
 * PostgreSQL's 40P01, so Prisma's own error mapping runs; the database is real (in-memory PGlite).
 */
import test from 'ava';
import { DriverAdapterError, type SqlDriverAdapter, type SqlDriverAdapterFactory, type SqlQuery } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../generated/prisma/client.js';
import { PrismaStorage } from '../../src/providers/prisma/prisma-storage.js';
import { provisionPGlite } from '../support/databases.js';
import { aClient, aToken } from './support/records.js';

const now = new Date('2031-05-06T08:00:00Z');

/** A storage whose statements matching `victim` are ended as deadlock victims the first `times` times. */
async function storageFailing(victim: RegExp, times = 1) {
  const db = await provisionPGlite();
  const factory = new PrismaPGlite(db.pglite);
  const sent: string[] = [];
  let failures = 0;
  const failing = (inner: SqlDriverAdapter): SqlDriverAdapter =>
    Object.assign(Object.create(inner) as SqlDriverAdapter, {
      queryRaw: (query: SqlQuery) => {
        if (victim.test(query.sql)) {
          sent.push(query.sql);
          if (failures < times) {
            failures += 1;
            return Promise.reject(new DriverAdapterError({ kind: 'TransactionWriteConflict' }));
          }
        }
        return inner.queryRaw(query);
      },
    });
  const adapter: SqlDriverAdapterFactory = Object.assign(Object.create(factory) as SqlDriverAdapterFactory, {
    connect: async () => failing(await factory.connect()),
  });
  const prisma = new PrismaClient({ adapter });
  const storage = new PrismaStorage(prisma as never);
  const client = aClient();
  await storage.insertClient(client);
  return {
    storage,
    client,
    sent,
    close: async () => {
      await prisma.$disconnect();
      await db.close();
    },
  };
}

test('a batch of rotations ended as a deadlock victim is sent again, and rotates each issuance once', async (t) => {
  const s = await storageFailing(/^\s*WITH input AS/);
  t.teardown(s.close);
  const old = [aToken(s.client.id), aToken(s.client.id)];
  await s.storage.insertTokens(old);
  const successors = old.map((token) => aToken(s.client.id, { familyId: token.familyId }));
  t.deepEqual(await s.storage.rotateTokens(old.map((token, i) => ({ rotates: token.id, token: successors[i]!, now }))), [true, true]);
  t.is(s.sent.length, 2, 'sent twice');
  t.is((await s.storage.findAccessTokens(successors.map((token) => token.accessTokenHash))).length, 2);
});

test('a revocation ended as a deadlock victim is sent again, and revokes', async (t) => {
  const s = await storageFailing(/^\s*WITH revoked AS/);
  t.teardown(s.close);
  await s.storage.insertTokens([aToken(s.client.id)]);
  t.is(await s.storage.revokeTokens({ clientId: s.client.id }, now), 1);
  t.is(s.sent.length, 2, 'sent twice');
});

test('a write that keeps being chosen as a deadlock victim gives up with the database error, after a bounded number of tries', async (t) => {
  const s = await storageFailing(/^\s*WITH revoked AS/, Number.POSITIVE_INFINITY);
  t.teardown(s.close);
  await t.throwsAsync(s.storage.revokeTokens({ clientId: s.client.id }, now));
  t.is(s.sent.length, 16);
});
