/**
 * Failures an operator causes and fixes — a wrong or unreachable database URL, missing tables, a
 * refused password — are reported as one line naming the cause: never "unexpected", never a stack
 * trace. Each runs the real CLI.
 */
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { resolveServer, serverGate } from '../support/databases.js';
import { hasStackTrace, runCli } from './support/run-cli.js';

const postgres = await serverGate('postgres', 'cli/expected-failures');
const mariadb = await serverGate('mariadb', 'cli/expected-failures');

/** Runs the CLI and checks the shape every expected failure has; returns its one stderr line. */
async function failureLine(t: import('ava').ExecutionContext, args: string[]): Promise<string> {
  const run = await runCli(args);
  t.is(run.code, 1, run.stderr);
  t.is(run.stdout, '');
  t.false(hasStackTrace(run.stderr), run.stderr);
  t.false(run.stderr.includes('unexpected'), run.stderr);
  t.true(run.stderr.endsWith('\n') && run.stderr.indexOf('\n') === run.stderr.length - 1, run.stderr);
  return run.stderr;
}

/** The test server's URL with another user or database. */
async function serverUrl(kind: 'postgres' | 'mariadb', change: { username?: string; password?: string; database?: string }): Promise<URL> {
  const server = await resolveServer(kind);
  if ('skip' in server) throw new Error(server.skip);
  const url = new URL(server.url);
  if (change.username !== undefined) url.username = change.username;
  if (change.password !== undefined) url.password = change.password;
  if (change.database !== undefined) url.pathname = `/${change.database}`;
  return url;
}

const where = (url: URL) => `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;

test('a refused connection says so, with what to check', async (t) => {
  t.is(
    await failureLine(t, ['--database-url', 'postgresql://postgres@127.0.0.1:1/x', 'user', 'list']),
    'oauth2-kit: error: cannot connect to PostgreSQL at 127.0.0.1:1/x: connection refused (ECONNREFUSED): ' +
      'is the database server running, on this host and port?\n',
  );
});

test('an unknown host is named', async (t) => {
  t.is(
    await failureLine(t, ['--database-url', 'postgresql://postgres@no-such-host.invalid:5432/x', 'user', 'list']),
    'oauth2-kit: error: cannot connect to PostgreSQL at no-such-host.invalid:5432/x: unknown host "no-such-host.invalid" (ENOTFOUND): ' +
      'check the host name in the database URL\n',
  );
});

test('an embedded database without the tables asks for migrate', async (t) => {
  const folder = join(tmpdir(), `oauth2-kit-unmigrated-${process.pid}`);
  t.teardown(() => rm(folder, { recursive: true, force: true }));
  // Private, as the CLI creates its folders: this test is about the missing tables, not the mode.
  await mkdir(folder, { mode: 0o700 });
  const { PGlite } = await import('@electric-sql/pglite');
  await (await PGlite.create({ dataDir: folder })).close();
  t.is(
    await failureLine(t, ['--database-url', `pglite:${folder}`, 'user', 'list']),
    'oauth2-kit: error: the database has no oauth2-kit tables yet: run "oauth2-kit migrate" first\n',
  );
});

postgres.register(test, 'PostgreSQL: a user the server refuses is reported as an authentication failure', async (t) => {
  const url = await serverUrl('postgres', { username: 'oauth2kit_no_such_role', password: 'not-the-password' });
  const line = await failureLine(t, ['--database-url', url.href, 'user', 'list']);
  t.regex(
    line,
    new RegExp(
      `^oauth2-kit: error: cannot connect to PostgreSQL at ${where(url).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: authentication failed: ` +
        '(role "oauth2kit_no_such_role" does not exist|password authentication failed for user "oauth2kit_no_such_role"): ' +
        'check the user and password in the database URL\n$',
    ),
  );
  t.false(line.includes('not-the-password'));
});

postgres.register(test, 'PostgreSQL: an unknown database is named', async (t) => {
  const url = await serverUrl('postgres', { database: 'oauth2kit_no_such_database' });
  t.is(
    await failureLine(t, ['--database-url', url.href, 'user', 'list']),
    `oauth2-kit: error: cannot connect to PostgreSQL at ${where(url)}: unknown database: ` +
      'database "oauth2kit_no_such_database" does not exist: create it, or fix the database name in the URL\n',
  );
});

// The MariaDB pool reports every failure to connect as "pool failed to retrieve a connection"; the
// cause is the error it wraps. (Each waits out the pool's acquire timeout, so these run concurrently.)
mariadb.register(test, 'MariaDB: a refused connection is named from the error the pool wraps', async (t) => {
  const url = await serverUrl('mariadb', { database: 'x' });
  url.port = '1';
  t.is(
    await failureLine(t, ['--database-url', url.href, 'user', 'list']),
    `oauth2-kit: error: cannot connect to MySQL/MariaDB at ${where(url)}: connection refused (ECONNREFUSED): ` +
      'is the database server running, on this host and port?\n',
  );
});

mariadb.register(test, 'MariaDB: a user the server refuses is reported as an authentication failure', async (t) => {
  const url = await serverUrl('mariadb', { username: 'oauth2kit_nobody', password: 'not-the-password', database: 'x' });
  const line = await failureLine(t, ['--database-url', url.href, 'user', 'list']);
  t.regex(
    line,
    /^oauth2-kit: error: cannot connect to MySQL\/MariaDB at .+: authentication failed: Access denied for user 'oauth2kit_nobody'@'[^']+'( \(using password: YES\))?: check the user and password in the database URL\n$/,
  );
  t.false(line.includes('not-the-password'));
});

mariadb.register(test, 'MariaDB: an unknown database is named', async (t) => {
  const url = await serverUrl('mariadb', { database: 'oauth2kit_no_such_database' });
  t.is(
    await failureLine(t, ['--database-url', url.href, 'user', 'list']),
    `oauth2-kit: error: cannot connect to MySQL/MariaDB at ${where(url)}: unknown database: ` +
      "Unknown database 'oauth2kit_no_such_database': create it, or fix the database name in the URL\n",
  );
});
