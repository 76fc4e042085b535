/** `oauth2-kit migrate` on each kind of database, starting from nothing. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { provisioned, provisionMariaDb, provisionPostgres, serverGate } from '../support/databases.js';
import { runCli, runCliJson } from './support/run-cli.js';

// Decided before any test is declared: without a server, its cases are declared skips, said once.
const postgres = await serverGate('postgres', 'cli/migrate');
const mariadb = await serverGate('mariadb', 'cli/migrate');

test('migrate creates the embedded database in a new data folder, and running it again applies nothing', async (t) => {
  const parent = await mkdtemp(join(tmpdir(), 'oauth2-kit-cli-'));
  t.teardown(() => rm(parent, { recursive: true, force: true }));
  const db = ['--database-url', `pglite:${join(parent, 'data')}`];

  const first = await runCliJson<{ database: string; appliedMigrations: string[] }>([...db, 'migrate']);
  t.is(first.database, 'pglite');
  t.true(first.appliedMigrations.length > 0);
  const second = await runCli([...db, 'migrate']);
  t.is(second.code, 0, second.stderr);
  t.regex(second.stdout, /up to date, no pending migration/);
  // The tables are there: a management command works on the folder now.
  const scope = await runCli([...db, 'scope', 'define', 'read']);
  t.is(scope.code, 0, scope.stderr);
});

test('migrate --help says it is for oauth2-kit’s own history, and to run prisma migrate deploy when the app’s Prisma schema holds the models', async (t) => {
  const help = await runCli(['migrate', '--help']);
  t.is(help.code, 0, help.stderr);
  t.regex(help.stdout.replace(/\s+/g, ' '), /When your application's Prisma schema includes oauth2-kit's models, your history owns the tables: run `npx prisma migrate deploy` instead\. On such a database this command refuses and changes nothing\./);
});

test('migrate uses the default embedded folder .data/pglite under the working directory', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'oauth2-kit-cwd-'));
  t.teardown(() => rm(cwd, { recursive: true, force: true }));
  const run = await runCli(['migrate'], { cwd });
  t.is(run.code, 0, run.stderr);
  t.true(run.stdout.includes(join(cwd, '.data', 'pglite')));
});

postgres.register(test, 'migrate applies the Prisma migrations to an empty PostgreSQL database', async (t) => {
  const database = provisioned(await provisionPostgres({ migrate: false }));
  t.teardown(() => database.close());
  const db = ['--database-url', database.url];
  const before = await runCli([...db, 'client', 'list']);
  t.is(before.code, 1);
  const applied = await runCliJson<{ database: string; appliedMigrations: string[] }>([...db, 'migrate']);
  t.is(applied.database, 'postgres');
  t.true(applied.appliedMigrations.length > 0);
  t.deepEqual((await runCliJson<{ appliedMigrations: string[] }>([...db, 'migrate'])).appliedMigrations, []);
  t.is((await runCli([...db, 'client', 'list'])).code, 0);
});

mariadb.register(test, 'migrate creates the tables on an empty MariaDB database, and a second run creates none', async (t) => {
  const database = provisioned(await provisionMariaDb({ migrate: false }));
  t.teardown(() => database.close());
  const db = ['--database-url', database.url];
  const first = await runCliJson<{ database: string; createdTables: string[] }>([...db, 'migrate']);
  t.is(first.database, 'mysql');
  t.true(first.createdTables.includes('oauth_clients'));
  t.true(first.createdTables.includes('oauth_tokens'));
  t.deepEqual((await runCliJson<{ createdTables: string[] }>([...db, 'migrate'])).createdTables, []);
  const created = await runCliJson<{ clientSecret: string }>([...db, 'client', 'create', '--name', 'On MariaDB', '--grant', 'client_credentials']);
  t.regex(created.clientSecret, /^[A-Za-z0-9_-]{43}$/);
});

postgres.register(test, 'migrate refuses a PostgreSQL database that has the tables but no migration history, in one line', async (t) => {
  // provisionPostgres() creates the tables with plain SQL, as a hand-made or restored database would have them.
  const database = provisioned(await provisionPostgres());
  t.teardown(() => database.close());
  const run = await runCli(['--database-url', database.url, 'migrate']);
  t.is(run.code, 1);
  t.regex(run.stderr, /^oauth2-kit: error: .*schema is not empty.*\(P3005\)\n$/);
});
