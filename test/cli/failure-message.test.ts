/**
 * How the CLI words what a command threw, for failures that arise after the database was opened
 * (a server that went away mid-command reaches the CLI inside StorageUnavailableError, wrapped by
 * pools and Prisma): causes an operator fixes are named; only a bug says "unexpected".
 */
import test from 'ava';
import { StorageUnavailableError, ValidationError } from '../../src/core/index.js';
import { DataFolderBusyError } from '../../src/cli/data-folder-lock.js';
import { describeFailure } from '../../src/cli/failure-message.js';

const driverError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

test('a refused connection deep in the cause chain is named', (t) => {
  const refused = driverError('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' });
  const pool = new Error('pool failed to retrieve a connection from pool', { cause: refused });
  t.deepEqual(describeFailure(new StorageUnavailableError(pool)), {
    message: 'cannot reach the database: connection refused (ECONNREFUSED): is the database server running, on this host and port?',
    exitCode: 1,
  });
});

test("an authentication failure wrapped by Prisma's adapter error is named", (t) => {
  const driver = driverError('password authentication failed for user "app"', { code: '28P01' });
  const prisma = Object.assign(new Error('Invalid `prisma.oAuthClient.findMany()` invocation:\n\nserver error', { cause: driver }), {
    name: 'PrismaClientKnownRequestError',
  });
  t.is(
    describeFailure(new StorageUnavailableError(prisma)).message,
    'cannot reach the database: authentication failed: password authentication failed for user "app": check the user and password in the database URL',
  );
});

test('an unknown database and a missing table are named', (t) => {
  const unknown = driverError("(conn:12, no: 1049, SQLState: 42000) Unknown database 'gone'", { errno: 1049, sqlMessage: "Unknown database 'gone'" });
  t.is(
    describeFailure(unknown).message,
    "cannot reach the database: unknown database: Unknown database 'gone': create it, or fix the database name in the URL",
  );
  const missing = driverError('relation "oauth_users" does not exist', { code: '42P01' });
  t.is(
    describeFailure(new StorageUnavailableError(new Error('query failed', { cause: missing }))).message,
    'the database has no oauth2-kit tables yet: run "oauth2-kit migrate" first',
  );
});

test('validation errors and a locked data folder are shown as they are', (t) => {
  t.deepEqual(describeFailure(new ValidationError('password', 'must be at least 8 characters long'), { password: 'the password' }), {
    message: 'the password: must be at least 8 characters long',
    exitCode: 1,
  });
  const busy = new DataFolderBusyError('/srv/data', { pid: 42, holder: 'the example server', since: '' });
  t.is(
    describeFailure(busy).message,
    'the embedded database /srv/data is in use by the example server (pid 42); PGlite allows one process at a time: ' +
      'stop it first, or use a PostgreSQL/MySQL database via --database-url',
  );
});

test('only a genuine bug is unexpected, by its first line', (t) => {
  t.deepEqual(describeFailure(new TypeError("Cannot read properties of undefined (reading 'id')\n    at somewhere")), {
    message: "unexpected TypeError: Cannot read properties of undefined (reading 'id')",
    exitCode: 1,
  });
  const cyclic: Error & { cause?: unknown } = new Error('loops');
  cyclic.cause = cyclic;
  t.is(describeFailure(cyclic).message, 'unexpected Error: loops');
});
