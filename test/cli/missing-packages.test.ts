/**
 * Every command checks the optional packages it loads on the chosen database before it imports
 * any, and names all the missing ones in one message with one npm install line — not the first
 * `Cannot find package` only. Installations are stood in for by folders of package.json files.
 */
import test from 'ava';
import { acceptedVersions, peerRanges, runCliResolvingFrom, standInInstallation } from './support/stand-in-installation.js';

const ENGINE = '@prisma/schema-engine-wasm';
const UNREACHABLE_POSTGRES = ['--database-url', 'postgresql://postgres@127.0.0.1:1/app'];

test('migrate in an installation missing two of its packages names both in one message, with one install line, before opening the database', async (t) => {
  const versions = await acceptedVersions();
  const ranges = await peerRanges();
  const { '@prisma/adapter-pg': _adapter, [ENGINE]: _engine, ...rest } = versions;
  const from = await standInInstallation(t, rest);
  const run = await runCliResolvingFrom(from, [...UNREACHABLE_POSTGRES, 'migrate']);
  t.is(run.code, 1);
  t.is(run.stdout, '');
  // Not "cannot connect": the check comes before the database is opened or any package imported.
  t.is(
    run.stderr,
    `oauth2-kit: error: missing packages for migrate on PostgreSQL: @prisma/adapter-pg, ${ENGINE} (${ranges[ENGINE]} required); ` +
      `install them with: npm install @prisma/adapter-pg@${ranges['@prisma/adapter-pg']} ${ENGINE}@${ranges[ENGINE]}\n`,
  );
});

test('every other command checks its driver first: client list on MariaDB without mariadb names it with the install line', async (t) => {
  const from = await standInInstallation(t, { pg: '8.23.1' });
  const run = await runCliResolvingFrom(from, ['--database-url', 'mariadb://root@127.0.0.1:1/app', 'client', 'list']);
  t.is(run.code, 1);
  t.is(run.stderr, `oauth2-kit: error: missing packages for the CLI on MySQL/MariaDB: mariadb; install them with: npm install mariadb@${(await peerRanges()).mariadb}\n`);
});

test('with every package at an accepted version, migrate goes on to the database', async (t) => {
  const from = await standInInstallation(t, await acceptedVersions());
  const run = await runCliResolvingFrom(from, [...UNREACHABLE_POSTGRES, 'migrate']);
  t.is(run.code, 1);
  t.regex(run.stderr, /^oauth2-kit: error: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/app: connection refused/);
});
