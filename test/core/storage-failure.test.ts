/**
 * `classifyStorageFailure`: the one reading of database errors that `provider.check()`, the CLI
 * and the example servers share. The errors here have the shapes the drivers really throw (taken
 * from pg 8, mariadb 3 and Prisma 7.10 with @prisma/adapter-pg); the same cases against real
 * servers are in test/reliability/connection-errors.test.ts.
 */
import test from 'ava';
import { classifyStorageFailure, StorageTimeoutError, StorageUnavailableError, type StorageFailureReason } from '../../src/core/index.js';

const driverError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

/** What Prisma 7 throws: the adapter's error under `meta.driverAdapterError`, its `cause` a plain object. */
function prismaError(message: string, code: string, adapterCause: Record<string, unknown>): Error {
  const adapterError = Object.assign(new Error(String(adapterCause.kind)), { name: 'DriverAdapterError', cause: adapterCause });
  return Object.assign(new Error(`\nInvalid \`prisma.oAuthClient.findUnique()\` invocation in\n/app/src/x.ts:20:36\n\n→ 20 await prisma.oAuthClient.findUnique(\n${message}`), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: { modelName: 'OAuthClient', driverAdapterError: adapterError },
  });
}

test("a pool's acquire timeout is classified by the refusal it wraps", (t) => {
  const refused = driverError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED', errno: -111, address: '127.0.0.1', port: 1 });
  const pool = driverError('(conn:-1, no: 45028, SQLState: HY000) pool failed to retrieve a connection from pool', {
    code: 'ER_GET_CONNECTION_TIMEOUT',
    errno: 45028,
    cause: refused,
  });
  t.deepEqual(classifyStorageFailure(pool), { reason: 'connection_refused', detail: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' });
});

test('a refusal on every address of a host (AggregateError without a message) is a refused connection', (t) => {
  const refusals = ['::1', '127.0.0.1'].map((address) =>
    driverError(`connect ECONNREFUSED ${address}:5432`, { code: 'ECONNREFUSED', address, port: 5432 }),
  );
  const aggregate = Object.assign(new AggregateError(refusals, ''), { code: 'ECONNREFUSED' });
  t.like(classifyStorageFailure(aggregate), { reason: 'connection_refused', detail: 'connect ECONNREFUSED ::1:5432' });
});

test('an unknown host is named with the host that did not resolve', (t) => {
  const unknown = driverError('getaddrinfo ENOTFOUND db.internal', { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'db.internal' });
  t.deepEqual(classifyStorageFailure(new StorageUnavailableError(unknown)), {
    reason: 'unknown_host',
    detail: 'getaddrinfo ENOTFOUND db.internal',
    code: 'ENOTFOUND',
    host: 'db.internal',
  });
});

test('PostgreSQL and MariaDB refusals of the user, the database and the tables are read from SQLSTATE and errno', (t) => {
  const cases: Array<[Record<string, unknown>, string, StorageFailureReason]> = [
    [{ code: '28P01' }, 'password authentication failed for user "app"', 'bad_credentials'],
    [{ code: '28000' }, 'role "app" does not exist', 'bad_credentials'],
    [{ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045, sqlMessage: "Access denied for user 'app'@'10.0.0.5' (using password: YES)" }, '', 'bad_credentials'],
    [{ code: '3D000' }, 'database "shop" does not exist', 'unknown_database'],
    [{ code: 'ER_BAD_DB_ERROR', errno: 1049, sqlMessage: "Unknown database 'shop'" }, '', 'unknown_database'],
    [{ code: '42P01' }, 'relation "oauth_clients" does not exist', 'schema_missing'],
    [{ code: 'ER_NO_SUCH_TABLE', errno: 1146, sqlMessage: "Table 'shop.oauth_clients' doesn't exist" }, '', 'schema_missing'],
  ];
  for (const [fields, message, reason] of cases) {
    const text = message || `(conn:12, no: ${String(fields.errno)}, SQLState: 42000) ${String(fields.sqlMessage)}`;
    const failure = classifyStorageFailure(driverError(text, fields));
    t.is(failure.reason, reason, text);
    t.is(failure.detail, message || String(fields.sqlMessage), 'the words without the connector prefix');
  }
});

test("Prisma's unreachable server is a refused connection when its adapter error carries the port, an unknown host when not", (t) => {
  const refused = prismaError("Can't reach database server at 127.0.0.1:1", 'P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 });
  t.deepEqual(classifyStorageFailure(refused), {
    reason: 'connection_refused',
    detail: "Can't reach database server at 127.0.0.1:1",
    code: 'P1001',
  });
  const unknown = prismaError("Can't reach database server at db.internal", 'P1001', { kind: 'DatabaseNotReachable', host: 'db.internal', port: undefined });
  t.like(classifyStorageFailure(unknown), { reason: 'unknown_host', host: 'db.internal' });
  t.is(classifyStorageFailure(driverError("Can't reach database server", { code: 'P1001' })).reason, 'unreachable', 'P1001 alone says no more');
});

test("Prisma's adapter kinds name the reason in the driver's own words", (t) => {
  const unknownDatabase = prismaError('Database `shop` does not exist on the database server', 'P1003', {
    originalCode: '3D000',
    originalMessage: 'database "shop" does not exist',
    kind: 'DatabaseDoesNotExist',
    db: 'shop',
  });
  t.deepEqual(classifyStorageFailure(unknownDatabase), { reason: 'unknown_database', detail: 'database "shop" does not exist', code: '3D000' });
  const unknownRole = prismaError('User was denied access on the database `(not available)`', 'P1010', {
    originalCode: '28000',
    originalMessage: 'role "app" does not exist',
    kind: 'DatabaseAccessDenied',
  });
  t.like(classifyStorageFailure(unknownRole), { reason: 'bad_credentials', detail: 'role "app" does not exist' });
  const noTable = prismaError('The table `public.oauth_clients` does not exist in the current database.', 'P2021', {
    originalCode: '42P01',
    originalMessage: 'relation "public.oauth_clients" does not exist',
    kind: 'TableDoesNotExist',
  });
  t.like(classifyStorageFailure(noTable), { reason: 'schema_missing', detail: 'relation "public.oauth_clients" does not exist' });
});

test('a storage call past storageTimeout is timed out', (t) => {
  t.like(classifyStorageFailure(new StorageUnavailableError(new StorageTimeoutError('findClient', 50))), {
    reason: 'timed_out',
    detail: 'storage call findClient did not settle within 50 ms',
  });
});

test('anything else is other, by its first line, and a cyclic chain ends', (t) => {
  t.deepEqual(classifyStorageFailure(new TypeError("Cannot read properties of undefined (reading 'findMany')\n    at x")), {
    reason: 'other',
    detail: "Cannot read properties of undefined (reading 'findMany')",
  });
  const cyclic: Error & { cause?: unknown } = new Error('loops');
  cyclic.cause = cyclic;
  t.deepEqual(classifyStorageFailure(cyclic), { reason: 'other', detail: 'loops' });
  t.deepEqual(classifyStorageFailure(undefined), { reason: 'other', detail: '' });
});

test('the detail never carries the password of a URL', (t) => {
  const echoed = driverError('password authentication failed for postgresql://app:s3cret@db/oauth', { code: '28P01' });
  t.is(classifyStorageFailure(echoed).detail, 'password authentication failed for postgresql://app:***@db/oauth');
});
