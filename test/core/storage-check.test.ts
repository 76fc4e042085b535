/**
 * `provider.check()`, the start-up probe: a refused connection, missing tables or any other
 * failure of a storage read becomes one `OAuthStorageCheckError` with a stable `code`, a precise
 * `reason` and a message naming the reason, the cause and what to do; a usable database passes.
 * Also: the message of a storage failure names its cause without the credentials a URL may carry.
 * (Every connection failure on every database, timed: test/reliability/connection-errors.test.ts.)
 */
import test, { type ExecutionContext } from 'ava';
import pg from 'pg';
import * as mariadb from 'mariadb';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { OAuthProvider as CoreProvider, OAuthStorageCheckError, StorageUnavailableError, type OAuthProvider } from '../../src/core/index.js';
import { OAuthPrismaProvider } from '../../src/providers/prisma/index.js';
import { mariadbPoolAdapter, OAuthSqlProvider, pgliteAdapter, pgPoolAdapter } from '../../src/providers/sql/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { PrismaClient } from '../../generated/prisma/client.js';
import {
  connectionOptions,
  provisioned,
  provisionMariaDb,
  provisionPGlite,
  provisionPostgres,
  serverGate,
} from '../support/databases.js';

const postgres = await serverGate('postgres', 'core/storage-check');
const mariadbServer = await serverGate('mariadb', 'core/storage-check');

async function checkFailure(t: ExecutionContext, provider: OAuthProvider): Promise<OAuthStorageCheckError> {
  const error = await t.throwsAsync(provider.check(), { instanceOf: OAuthStorageCheckError });
  return error!;
}

function prismaProvider(t: ExecutionContext, prisma: PrismaClient): OAuthProvider {
  t.teardown(() => prisma.$disconnect());
  return new OAuthPrismaProvider(prisma, PATIENT);
}

const MIGRATE_ADVICE = /npx prisma migrate deploy/;
/** PGlite and Prisma start slowly while many test files run: the deadline must not classify first. */
const PATIENT = { storageTimeout: 120_000 };

test('check() of a SQL provider whose database refuses connections throws storage_unreachable naming ECONNREFUSED', async (t) => {
  const pool = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'oauth', database: 'oauth' });
  t.teardown(() => pool.end());
  const error = await checkFailure(t, new OAuthSqlProvider(pgPoolAdapter(pool), PATIENT));
  t.is(error.code, 'storage_unreachable');
  t.is(error.reason, 'connection_refused');
  t.is(
    error.message,
    'the OAuth storage cannot be reached: connection refused (findClient: connect ECONNREFUSED 127.0.0.1:1). ' +
      'Check that the database server is running, and the host and port in the database URL.',
  );
  t.is((error.cause as { code?: unknown }).code, 'ECONNREFUSED');
});

test('check() of a Prisma provider whose database refuses connections throws storage_unreachable', async (t) => {
  const provider = prismaProvider(t, new PrismaClient({ adapter: new PrismaPg({ connectionString: 'postgresql://oauth@127.0.0.1:1/oauth' }) }));
  const error = await checkFailure(t, provider);
  t.is(error.code, 'storage_unreachable');
  t.is(error.reason, 'connection_refused');
  t.regex(error.message, /^the OAuth storage cannot be reached: connection refused \(findClient: Can't reach database server at 127\.0\.0\.1:1 \((P1001|DatabaseNotReachable)\)\)/);
});

test('check() of a SQL provider on an unmigrated PGlite throws storage_schema_missing naming the table and the migration', async (t) => {
  const pglite = await PGlite.create();
  t.teardown(() => pglite.close());
  const error = await checkFailure(t, new OAuthSqlProvider(pgliteAdapter(pglite), PATIENT));
  t.is(error.code, 'storage_schema_missing');
  t.is(error.reason, 'schema_missing');
  t.regex(error.message, /^the OAuth storage is missing tables: .*findClient: relation "oauth_clients" does not exist \(42P01\)/);
  t.regex(error.message, /npx oauth2-kit migrate/);
});

test('check() of a database migrated before the attempt-counter table existed throws storage_schema_missing naming it', async (t) => {
  const database = await provisionPGlite();
  t.teardown(() => database.close());
  await database.pglite.exec('DROP TABLE oauth_attempt_counters');
  const error = await checkFailure(t, new OAuthSqlProvider(pgliteAdapter(database.pglite), PATIENT));
  t.is(error.code, 'storage_schema_missing');
  t.regex(error.message, /findAttemptCounter: relation "oauth_attempt_counters" does not exist \(42P01\)/);
});

test('check() of a Prisma provider on an unmigrated PGlite throws storage_schema_missing naming the table and advising prisma migrate deploy', async (t) => {
  const pglite = await PGlite.create();
  t.teardown(() => pglite.close());
  const error = await checkFailure(t, prismaProvider(t, new PrismaClient({ adapter: new PrismaPGlite(pglite) })));
  t.is(error.code, 'storage_schema_missing');
  t.is(error.reason, 'schema_missing');
  // The driver's words, which Prisma's P2021 error carries from its adapter.
  t.regex(error.message, /findClient: relation "(public\.)?oauth_clients" does not exist \(42P01\)/);
  t.regex(error.message, MIGRATE_ADVICE);
});

postgres.register(test, 'check() of a SQL provider on an unmigrated PostgreSQL database throws storage_schema_missing', async (t) => {
  const db = provisioned(await provisionPostgres({ migrate: false }));
  const pool = new pg.Pool({ connectionString: db.url });
  t.teardown(async () => {
    await pool.end();
    await db.close();
  });
  const error = await checkFailure(t, new OAuthSqlProvider(pgPoolAdapter(pool), PATIENT));
  t.is(error.code, 'storage_schema_missing');
  t.regex(error.message, /relation "oauth_clients" does not exist \(42P01\)/);
});

postgres.register(test, 'check() of a Prisma provider on an unmigrated PostgreSQL database throws storage_schema_missing', async (t) => {
  const db = provisioned(await provisionPostgres({ migrate: false }));
  t.teardown(() => db.close());
  const error = await checkFailure(t, prismaProvider(t, new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) })));
  t.is(error.code, 'storage_schema_missing');
  t.regex(error.message, /oauth_clients.* does not exist/);
  t.regex(error.message, MIGRATE_ADVICE);
});

postgres.register(test, 'check() passes on a migrated PostgreSQL database, SQL and Prisma providers alike', async (t) => {
  const db = provisioned(await provisionPostgres());
  const pool = new pg.Pool({ connectionString: db.url });
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
  t.teardown(async () => {
    await prisma.$disconnect();
    await pool.end();
    await db.close();
  });
  await t.notThrowsAsync(new OAuthSqlProvider(pgPoolAdapter(pool), PATIENT).check());
  await t.notThrowsAsync(new OAuthPrismaProvider(prisma, PATIENT).check());
});

mariadbServer.register(test, 'check() of a SQL provider on an unmigrated MariaDB database throws storage_schema_missing (ER_NO_SUCH_TABLE)', async (t) => {
  const db = provisioned(await provisionMariaDb({ migrate: false }));
  const pool = mariadb.createPool(connectionOptions(db.url));
  t.teardown(async () => {
    await pool.end();
    await db.close();
  });
  const error = await checkFailure(t, new OAuthSqlProvider(mariadbPoolAdapter(pool), PATIENT));
  t.is(error.code, 'storage_schema_missing');
  t.regex(error.message, /oauth_clients/);
});

test('check() passes on a migrated database and on the in-memory reference storage', async (t) => {
  const db = await provisionPGlite();
  t.teardown(() => db.close());
  await t.notThrowsAsync(new OAuthSqlProvider(pgliteAdapter(db.pglite), PATIENT).check());
  await t.notThrowsAsync(new CoreProvider(new MemoryStorage()).check());
});

test('check() of a storage that does not answer within storageTimeout throws storage_unreachable', async (t) => {
  const storage = new MemoryStorage();
  storage.findClient = () => new Promise(() => undefined);
  const error = await checkFailure(t, new CoreProvider(storage, { storageTimeout: 50 }));
  t.is(error.code, 'storage_unreachable');
  t.is(error.reason, 'timed_out');
  t.regex(error.message, /^the OAuth storage cannot be reached: no answer in time \(findClient: storage call findClient did not settle within 50 ms\)/);
});

test('check() of a storage failing otherwise throws storage_failed naming the cause', async (t) => {
  const storage = new MemoryStorage();
  storage.listScopes = () => Promise.reject(new TypeError('Cannot read properties of undefined (reading \'findMany\')'));
  const error = await checkFailure(t, new CoreProvider(storage));
  t.is(error.code, 'storage_failed');
  t.is(error.reason, 'other');
  t.is(error.message, "the OAuth storage check failed (listScopes: Cannot read properties of undefined (reading 'findMany')).");
});

test('a storage failure names its first line of cause, with the password of a URL and of a key-value string redacted', (t) => {
  const echoed = new Error('cannot parse postgresql://app:s3cr%40t@db.internal:5432/oauth\n  at parse()');
  t.is(new StorageUnavailableError(echoed).message, 'the OAuth storage is unavailable: cannot parse postgresql://app:***@db.internal:5432/oauth');
  const keyValue = new Error('bad connection string host=db user=app password=s3cret dbname=oauth');
  t.notRegex(new StorageUnavailableError(keyValue).message, /s3cret/);
  const aggregate = Object.assign(new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], ''), {
    code: 'ECONNREFUSED',
  });
  t.is(new StorageUnavailableError(aggregate).message, 'the OAuth storage is unavailable: connect ECONNREFUSED ::1:5432');
  t.is(new StorageUnavailableError(undefined).message, 'the OAuth storage is unavailable');
});
