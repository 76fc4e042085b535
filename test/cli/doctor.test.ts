/**
 * `oauth2-kit doctor`, and every command's package check: every missing or refused package is named
 * at once, with one npm install line, before anything is imported; with the packages present,
 * doctor checks the database itself.
 *
 * Installations are stood in for by folders of package.json files (stand-in-installation.ts); the
 * database checks run the real CLI on the repository's own node_modules and real databases.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import pg from 'pg';
import { provisioned, provisionMariaDb, provisionPostgres, serverGate } from '../support/databases.js';
import { runCli } from './support/run-cli.js';
import { acceptedVersions, peerRanges, runCliResolvingFrom, standInInstallation } from './support/stand-in-installation.js';

const postgres = await serverGate('postgres', 'cli/doctor');
const mariadb = await serverGate('mariadb', 'cli/doctor');

const ENGINE = '@prisma/schema-engine-wasm';
// Nothing listens on port 1: the storage check fails at once, after the packages were checked.
const UNREACHABLE_POSTGRES = ['--database-url', 'postgresql://postgres@127.0.0.1:1/app'];

const MISSING_TABLES = /^storage: the database has no oauth2-kit tables/m;

/**
 * Runs doctor on a database without tables (it must exit 1, its report matching `before`), then
 * migrate, then doctor again, which must exit 0; returns that second report.
 */
async function doctorAroundMigrate(t: ExecutionContext, db: string[], before: RegExp): Promise<string> {
  const unmigrated = await runCli([...db, 'doctor']);
  t.is(unmigrated.code, 1, unmigrated.stderr);
  t.regex(unmigrated.stdout, before);
  t.regex(unmigrated.stdout, /^not ready: fix the storage problem above$/m);
  const migrate = await runCli([...db, 'migrate']);
  t.is(migrate.code, 0, migrate.stderr);
  const migrated = await runCli([...db, 'doctor']);
  t.is(migrated.code, 0, migrated.stdout);
  return migrated.stdout;
}

interface DoctorJson {
  ok: boolean;
  packages: Record<'commands' | 'migrate', Array<{ name: string; required: string; installed: string | null; status: string }>>;
  install: string | null;
  storage: { checked: boolean; ok?: boolean; problems?: string[]; findings?: string[] };
  application: Array<{ entryPoint: string; usable: boolean }>;
}

test('doctor names every package migrate lacks on PostgreSQL at once, with one npm install line, and exits 1', async (t) => {
  const ranges = await peerRanges();
  const from = await standInInstallation(t, { pg: '8.23.1' });
  const run = await runCliResolvingFrom(from, [...UNREACHABLE_POSTGRES, 'doctor']);
  t.is(run.code, 1, run.stderr);
  const lines = run.stdout.split('\n');
  t.true(lines.includes('packages for the CLI on PostgreSQL: pg 8.23.1'), run.stdout);
  t.true(
    lines.includes(
      `missing packages for migrate on PostgreSQL: @prisma/adapter-pg, @prisma/driver-adapter-utils, ${ENGINE} (${ranges[ENGINE]} required)`,
    ),
    run.stdout,
  );
  t.true(
    lines.includes(
      `install them with: npm install @prisma/adapter-pg@${ranges['@prisma/adapter-pg']} ` +
        `@prisma/driver-adapter-utils@${ranges['@prisma/driver-adapter-utils']} ${ENGINE}@${ranges[ENGINE]}`,
    ),
    run.stdout,
  );
  t.is(lines.filter((line) => line.includes('npm install') && !line.startsWith('  ')).length, 1, 'one install line for the CLI');
});

test('doctor reports an installed schema engine other than the pinned build with the exact version required and the one found', async (t) => {
  const ranges = await peerRanges();
  const from = await standInInstallation(t, { ...(await acceptedVersions()), [ENGINE]: '7.9.0-1.0123456789abcdef' });
  const run = await runCliResolvingFrom(from, [...UNREACHABLE_POSTGRES, 'doctor']);
  t.is(run.code, 1);
  t.regex(
    run.stdout,
    new RegExp(`^missing or mismatched packages for migrate on PostgreSQL: ${ENGINE} \\(${ranges[ENGINE]} required, 7\\.9\\.0-1\\.0123456789abcdef installed\\)$`, 'm'),
  );
  t.regex(run.stdout, new RegExp(`^install them with: npm install ${ENGINE}@${ranges[ENGINE]}$`, 'm'));
});

test('a package below its caret range counts as mismatched: the driver-adapter utilities pglite-prisma-adapter brings along are too old for migrate', async (t) => {
  const from = await standInInstallation(t, { ...(await acceptedVersions()), '@prisma/driver-adapter-utils': '7.2.0' });
  const run = await runCliResolvingFrom(from, ['--database-url', 'pglite:/nonexistent/oauth2-kit-doctor', 'doctor', '--json']);
  t.is(run.code, 1);
  const report = JSON.parse(run.stdout) as DoctorJson;
  t.deepEqual(
    report.packages.migrate.filter((state) => state.status !== 'ok').map(({ name, installed, status }) => ({ name, installed, status })),
    [{ name: '@prisma/driver-adapter-utils', installed: '7.2.0', status: 'mismatched' }],
  );
  t.is(report.install, `npm install @prisma/driver-adapter-utils@${(await peerRanges())['@prisma/driver-adapter-utils']}`);
});

test('packages are found as Node finds them from the installed package: in the node_modules of the application around it', async (t) => {
  const app = await standInInstallation(t, { ...(await acceptedVersions()) });
  const installedPackage = join(app, 'node_modules', 'oauth2-kit');
  const run = await runCliResolvingFrom(installedPackage, [...UNREACHABLE_POSTGRES, 'doctor', '--json']);
  const report = JSON.parse(run.stdout) as DoctorJson;
  t.deepEqual(
    report.packages.migrate.filter((state) => state.status !== 'ok'),
    [],
  );
  t.is(report.install, null);
});

test('with the CLI driver missing, doctor does not try the database and says what it lacks to reach it', async (t) => {
  const from = await standInInstallation(t, {});
  const run = await runCliResolvingFrom(from, ['--database-url', 'mariadb://root@127.0.0.1:1/app', 'doctor']);
  t.is(run.code, 1);
  const ranges = await peerRanges();
  t.regex(run.stdout, /^missing packages for the CLI on MySQL\/MariaDB: mariadb$/m);
  t.regex(run.stdout, new RegExp(`^install them with: npm install mariadb@\\${ranges.mariadb}$`, 'm'));
  t.regex(run.stdout, /^storage: not checked: the CLI reaches MySQL\/MariaDB through mariadb$/m);
});

test("doctor lists the application's entry points and what they lack, for information only", async (t) => {
  const { '@koa/router': _router, ...withoutRouter } = await acceptedVersions();
  const from = await standInInstallation(t, withoutRouter);
  const run = await runCliResolvingFrom(from, [...UNREACHABLE_POSTGRES, 'doctor', '--json']);
  const report = JSON.parse(run.stdout) as DoctorJson;
  t.deepEqual(
    report.application.map(({ entryPoint, usable }) => [entryPoint, usable]),
    [
      ['oauth2-kit/sql', true],
      ['oauth2-kit/prisma', true],
      ['oauth2-kit/koa', false],
    ],
  );
  t.is(report.install, null, 'the application’s packages are not in the CLI’s install line');
});

test('the CLI help lists doctor', async (t) => {
  const run = await runCli(['--help']);
  t.regex(run.stdout, /^ {2}doctor +check the packages and the database/m);
});

test('doctor on an embedded data folder that holds no database says to run migrate; after migrate all is well', async (t) => {
  const parent = await mkdtemp(join(tmpdir(), 'oauth2-kit-doctor-'));
  t.teardown(() => rm(parent, { recursive: true, force: true }));
  const db = ['--database-url', `pglite:${join(parent, 'data')}`];
  const after = await doctorAroundMigrate(t, db, /^storage: no embedded database at .*: run "oauth2-kit migrate"/m);
  t.regex(after, /^storage: migrations applied \((\d+) of \1\), tables present$/m);
  t.regex(after, /^all is well$/m);
});

postgres.register(test, 'doctor reports the missing tables of an empty PostgreSQL database and exits 1; after migrate it exits 0', async (t) => {
  const database = provisioned(await provisionPostgres({ migrate: false }));
  t.teardown(() => database.close());
  const after = await doctorAroundMigrate(t, ['--database-url', database.url], MISSING_TABLES);
  t.regex(after, /^packages for migrate on PostgreSQL: pg [^,]+, @prisma\/adapter-pg /m);
  t.regex(after, /^storage: migrations applied \((\d+) of \1\), tables present$/m);
});

postgres.register(test, 'doctor names a shipped migration the PostgreSQL history lacks and exits 1', async (t) => {
  const database = provisioned(await provisionPostgres({ migrate: false }));
  t.teardown(() => database.close());
  const db = ['--database-url', database.url];
  t.is((await runCli([...db, 'migrate'])).code, 0);
  // As a database migrated by the previous release would be: its newest migration not applied.
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows } = await client.query<{ name: string }>(
    'DELETE FROM _prisma_migrations WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations) RETURNING migration_name AS name',
  );
  await client.end();
  const run = await runCli([...db, 'doctor', '--json']);
  t.is(run.code, 1);
  const report = JSON.parse(run.stdout) as DoctorJson;
  t.is(report.storage.problems?.length, 1, JSON.stringify(report.storage));
  t.regex(report.storage.problems![0]!, new RegExp(`^1 of \\d+ migration\\(s\\) not applied \\(${rows[0]!.name}\\): run "oauth2-kit migrate"$`));
});

mariadb.register(test, 'doctor reports the missing tables of an empty MariaDB database and exits 1; after migrate it exits 0', async (t) => {
  const database = provisioned(await provisionMariaDb({ migrate: false }));
  t.teardown(() => database.close());
  const after = await doctorAroundMigrate(t, ['--database-url', database.url], MISSING_TABLES);
  t.regex(after, /^packages for migrate on MySQL\/MariaDB: mariadb \S+$/m);
  t.regex(after, /^storage: tables present$/m);
});
