/**
 * The examples on database servers: each brings an empty database's schema up to date at start-up
 * and serves the demo, and a database it cannot use ends start-up with one log line and exit 1.
 */
import test from 'ava';
import { provisioned, provisionMariaDb, provisionPostgres, serverGate } from '../support/databases.js';
import { bannerCommands, runShell, startExample, temporaryDataFolder } from './support/example-process.js';

// Decided before any test is declared: without a server, its case is a declared skip, said once.
const postgres = await serverGate('postgres', 'examples');
const mariadb = await serverGate('mariadb', 'examples');

async function servesTheDemo(t: import('ava').ExecutionContext, script: string, databaseUrl: string): Promise<void> {
  const server = startExample(script, { DATABASE_URL: databaseUrl });
  t.teardown(() => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  });
  const started = await server.waitForLog((line) => line.event === 'server_started');
  t.true(started.first_run);
  const banner = await server.waitForStderr((text) => text.includes('code_verifier='));
  const [tokenCommand] = bannerCommands(banner);
  const [output] = await runShell([tokenCommand!]);
  t.is((JSON.parse(output!) as { token_type: string }).token_type, 'Bearer');
  server.child.kill('SIGTERM');
  t.is((await server.exited).code, 0);
  t.is(server.logs().at(-1)?.event, 'shutdown_complete');
}

postgres.register(test, 'the Prisma example migrates an empty PostgreSQL database at start-up and serves the demo', async (t) => {
  const database = provisioned(await provisionPostgres({ migrate: false }));
  t.teardown(() => database.close());
  await servesTheDemo(t, 'examples/prisma-server.ts', database.url);
});

mariadb.register(test, 'the SQL example creates its tables on an empty MariaDB database at start-up and serves the demo', async (t) => {
  const database = provisioned(await provisionMariaDb({ migrate: false }));
  t.teardown(() => database.close());
  await servesTheDemo(t, 'examples/sql-server.ts', database.url);
});

test('the Prisma example refuses a MySQL URL with one startup_failed line and exit 1', async (t) => {
  const server = startExample('examples/prisma-server.ts', { DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' });
  const { code } = await server.exited;
  t.is(code, 1);
  const failure = server.logs().find((line) => line.event === 'startup_failed');
  t.regex(String(failure?.reason), /runs on PostgreSQL or PGlite; for MySQL\/MariaDB use "npm run start:sql"/);
  t.is(server.stderr(), '');
});

test('an example refuses to start on an embedded folder another process holds', async (t) => {
  const data = await temporaryDataFolder();
  t.teardown(() => data.remove());
  const { writeFile, mkdir } = await import('node:fs/promises');
  await mkdir(data.folder, { recursive: true });
  // This test process is alive: its pid recorded in the lock makes the folder busy.
  await writeFile(`${data.folder}.lock`, JSON.stringify({ pid: process.pid, holder: 'oauth2-kit CLI', since: '' }));
  const server = startExample('examples/sql-server.ts', { DATABASE_URL: data.url });
  t.is((await server.exited).code, 1);
  const failure = server.logs().find((line) => line.event === 'startup_failed');
  t.regex(String(failure?.reason), new RegExp(`in use by oauth2-kit CLI \\(pid ${process.pid}\\)`));
});

test('a malformed PORT ends start-up with one log line naming it', async (t) => {
  const server = startExample('examples/sql-server.ts', { PORT: 'eighty' });
  t.is((await server.exited).code, 1);
  t.like(server.logs().at(-1), { event: 'startup_failed', reason: 'PORT must be a whole number from 0 to 65535' });
});

mariadb.register(test, 'the SQL example names an unknown MariaDB database in its one startup_failed line, without waiting out a pool timeout', async (t) => {
  const started = performance.now();
  const server = startExample('examples/sql-server.ts', { DATABASE_URL: 'mysql://root@127.0.0.1:3306/oauth2kit_no_such_database' });
  t.is((await server.exited).code, 1);
  t.log(`exited after ${Math.round(performance.now() - started)} ms, process start included`);
  const failure = server.logs().find((line) => line.event === 'startup_failed');
  t.regex(String(failure?.reason), /Unknown database 'oauth2kit_no_such_database'/);
});
