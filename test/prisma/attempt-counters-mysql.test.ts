/**
 * OAuthPrismaProvider adds to an attempt counter in raw SQL, which is another statement on
 * MySQL/MariaDB than on PostgreSQL. The project generates no Prisma client for MySQL, so these
 * tests run the provider's own MySQL statements through a stand-in for the raw-SQL part of a
 * generated client (`$queryRaw`, `$executeRaw`, `$transaction`) over the `mariadb` driver, which
 * binds values as Prisma's MariaDB adapter does: a `Date` as its UTC wall-clock time.
 */
import test from 'ava';
import mariadb from 'mariadb';
import { randomBytes } from 'node:crypto';
import { mariadbPoolAdapter } from '../../src/providers/sql/adapters/mariadb-pool-adapter.js';
import type { SQLInterface } from '../../src/providers/sql/sql-interface.js';
import { addToAttemptCounter, type PrismaCounterClient } from '../../src/providers/prisma/prisma-attempt-counters.js';
import { connectionOptions, provisioned, provisionMariaDb, serverGate } from '../support/databases.js';

const gate = await serverGate('mariadb', 'prisma/attempt-counters');

/** `$queryRaw`/`$executeRaw` as a generated client runs them: the template's values bound as `?`. */
function rawSqlOver(sql: SQLInterface) {
  return {
    $queryRaw: async <T>(query: TemplateStringsArray, ...values: unknown[]) => (await sql.query(query.join('?'), values)).rows as T,
    $executeRaw: async (query: TemplateStringsArray, ...values: unknown[]) => (await sql.query(query.join('?'), values)).rowCount,
  };
}

function standInClient(sql: SQLInterface): PrismaCounterClient {
  return { ...rawSqlOver(sql), $transaction: (fn) => sql.transaction((tx) => fn(rawSqlOver(tx))) };
}

async function openClient(): Promise<{ prisma: PrismaCounterClient; close(): Promise<void> }> {
  const database = provisioned(await provisionMariaDb());
  const pool = mariadb.createPool({ ...connectionOptions(database.url), connectionLimit: 8 });
  return {
    prisma: standInClient(mariadbPoolAdapter(pool)),
    async close() {
      await pool.end();
      await database.close();
    },
  };
}

const key = () => randomBytes(32).toString('hex');
const T = new Date('2030-07-01T12:00:00.000Z');
const afterT = (ms: number) => new Date(T.getTime() + ms);
const text = (counter: { points: number; expiresAt: Date }) => ({ points: counter.points, expiresAt: counter.expiresAt.toISOString() });

gate.register(test, 'Prisma on MariaDB: addToAttemptCounter starts a counter, adds within its window, and starts afresh at its end or on restart', async (t) => {
  const { prisma, close } = await openClient();
  t.teardown(close);
  const counter = key();
  t.deepEqual(text(await addToAttemptCounter(prisma, counter, 2, afterT(60_001), false, T)), { points: 2, expiresAt: afterT(60_001).toISOString() });
  t.deepEqual(text(await addToAttemptCounter(prisma, counter, 3, afterT(90_000), false, afterT(60_000))), {
    points: 5,
    expiresAt: afterT(60_001).toISOString(),
  });
  t.deepEqual(text(await addToAttemptCounter(prisma, counter, -1, afterT(90_000), false, afterT(60_000))), {
    points: 4,
    expiresAt: afterT(60_001).toISOString(),
  });
  t.deepEqual(text(await addToAttemptCounter(prisma, counter, 1, afterT(120_000), false, afterT(60_001))), {
    points: 1,
    expiresAt: afterT(120_000).toISOString(),
  });
  t.deepEqual(text(await addToAttemptCounter(prisma, counter, 7, afterT(300_000), true, afterT(60_002))), {
    points: 7,
    expiresAt: afterT(300_000).toISOString(),
  });
});

gate.register(test, 'Prisma on MariaDB: addToAttemptCounter counts every one of 20 concurrent adds to one key', async (t) => {
  const { prisma, close } = await openClient();
  t.teardown(close);
  const counter = key();
  const added = await Promise.all(Array.from({ length: 20 }, () => addToAttemptCounter(prisma, counter, 1, afterT(60_000), false, T)));
  t.deepEqual(added.map((result) => result.points).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
});
