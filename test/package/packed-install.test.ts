/**
 * The package as a user gets it: `npm pack` (whose `prepack` builds dist/), installed from the
 * tarball into a fresh application outside the repository, offline, with only what the README says
 * to install for the SQL provider (PostgreSQL and MySQL/MariaDB drivers) with Koa; then the README's Koa snippet, run with
 * plain node, serving a client created with the packed CLI, on PostgreSQL and on MariaDB. Packed
 * once per test run (shared with the other package tests), installed once for the file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { provisioned, provisionMariaDb, provisionPostgres, readRepoFile, serverGate } from '../support/databases.js';
import { appCli, assertBillingServed, createBillingClient } from './support/app-requests.js';
import { startAppServer } from './support/app-server.js';
import { installFreshApp, type FreshApp } from './support/fresh-app.js';
import { packedOncePerRun, type PackedTarball } from './support/packed-tarball.js';
import { readmeInstallPackages, readmeKoaSnippetAsJavaScript } from './support/readme-snippets.js';
import { runCommandOrThrow } from './support/user-shell.js';

const postgres = await serverGate('postgres', 'package');
const mariadb = await serverGate('mariadb', 'package');

// Outside the repository: nothing of its node_modules can be found from there.
const workspace = await mkdtemp(join(tmpdir(), 'oauth2-kit-packed-'));
test.after.always(() => rm(workspace, { recursive: true, force: true }));

const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
// Packing builds the whole package: slow on a busy machine, and awaited by every test here.
const SLOW = 600_000;

const packed = packedOncePerRun;

let installing: Promise<FreshApp> | undefined;
async function installed(): Promise<FreshApp> {
  installing ??= (async () => {
    const packages = readmeInstallPackages(await readRepoFile('README.md'), /OAuthSqlProvider on PostgreSQL|on MySQL\/MariaDB/);
    return installFreshApp(join(workspace, 'app'), await packed(), packages);
  })();
  return installing;
}

/** The JavaScript entry points of `exports` (`.` → `oauth2-kit`, `./sql` → `oauth2-kit/sql`, …). */
function moduleEntryPoints(tarball: PackedTarball): string[] {
  return Object.entries(tarball.manifest.exports)
    .filter(([, target]) => typeof target === 'object')
    .map(([subpath]) => (subpath === '.' ? tarball.manifest.name : `${tarball.manifest.name}/${subpath.slice(2)}`));
}

test('the tarball holds every entry point with its types, the CLI, the Prisma schema and migrations, the MySQL DDL, README, LICENSE and CHANGELOG', async (t) => {
  t.timeout(SLOW);
  const tarball = await packed();
  t.log(`npm pack (prepack build included): ${seconds(tarball.milliseconds)}, ${tarball.files.length} files`);

  const targets = Object.values(tarball.manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
  const migrations = (await readdir(new URL('../../prisma/migrations/', import.meta.url), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => `prisma/migrations/${entry.name}/migration.sql`);
  const expected = [
    ...targets.map((target) => target.replace(/^\.\//, '')),
    ...Object.values(tarball.manifest.bin ?? {}),
    'prisma/oauth.prisma',
    'prisma/migrations/migration_lock.toml',
    ...migrations,
    'dist/providers/sql/schema/mysql.sql',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
  ];
  t.true(migrations.length > 0);
  t.true(targets.some((target) => target.endsWith('.d.ts')), 'the entry points declare their types');
  t.deepEqual(
    expected.filter((path) => !tarball.files.includes(path)),
    [],
  );
});

test('the tarball holds no tests, benchmarks, examples, data folders, generated Prisma client or build leftovers', async (t) => {
  t.timeout(SLOW);
  const { files } = await packed();
  const forbidden: Array<[string, RegExp]> = [
    ['repository folders', /^(test|bench|examples|docs|scripts|generated|node_modules|\.ci)\//],
    ['tests and their source maps', /\.test\.[a-z.]+$/],
    ['data folders', /(^|\/)(\.data|\.oauth2-kit-data)\/|(^|\/)PG_VERSION$/],
    ['a generated Prisma client', /(^|\/)generated\/prisma\//],
    ['the repository’s own Prisma entry point', /^prisma\/schema\.prisma$/],
    ['build and benchmark leftovers', /\.(tsbuildinfo|tgz|cpuprofile)$/],
  ];
  const found = files.flatMap((path) => forbidden.filter(([, pattern]) => pattern.test(path)).map(([what]) => `${what}: ${path}`));
  t.deepEqual(found, []);
});

test('every compiled module in the tarball has its source: no module of a deleted source file ships', async (t) => {
  t.timeout(SLOW);
  const { files } = await packed();
  const shipped = new Set(files);
  const sourceOf = (path: string) =>
    path
      .replace(/^dist\//, 'src/')
      .replace(/\.js\.map$|\.d\.ts$|\.js$/, '.ts');
  const orphans = files.filter((path) => path.startsWith('dist/') && !shipped.has(sourceOf(path)));
  t.deepEqual(orphans, []);
});

test('every module entry point of the installed package loads with plain node: oauth2-kit, /sql, /prisma, /koa and /testing', async (t) => {
  t.timeout(SLOW);
  const tarball = await packed();
  const app = await installed();
  t.log(`npm ci --offline of the fresh app (${app.packages.join(', ')}): ${seconds(app.milliseconds)}`);

  const entryPoints = moduleEntryPoints(tarball);
  t.deepEqual(entryPoints, ['oauth2-kit', 'oauth2-kit/sql', 'oauth2-kit/prisma', 'oauth2-kit/koa', 'oauth2-kit/testing']);
  const script = `for (const name of ${JSON.stringify(entryPoints)}) console.log(name, Object.keys(await import(name)).length);`;
  const run = await runCommandOrThrow(process.execPath, ['--input-type=module', '--eval', script], { cwd: app.dir });
  const exported = Object.fromEntries(run.stdout.trim().split('\n').map((line) => line.split(' ')));
  t.deepEqual(Object.keys(exported), entryPoints);
  for (const name of entryPoints) t.true(Number(exported[name]) > 0, `${name} exports something`);
});

test('the installed package’s oauth2-kit command runs the compiled CLI with plain node', async (t) => {
  t.timeout(SLOW);
  const app = await installed();
  const run = await runCommandOrThrow('npx', ['oauth2-kit', '--help'], { cwd: app.dir });
  t.regex(run.stdout, /client create/);
});

postgres.register(
  test,
  'the README’s Koa snippet, run with node in the fresh app, issues a client_credentials token to a client the packed CLI created, and its guard admits only that token',
  async (t) => {
    t.timeout(SLOW);
    const app = await installed();
    const database = provisioned(await provisionPostgres());
    t.teardown(() => database.close());

    const secret = await createBillingClient(appCli(t, app.dir, { DATABASE_URL: database.url }));

    await writeFile(join(app.dir, 'server.mjs'), readmeKoaSnippetAsJavaScript(await readRepoFile('README.md')));
    const server = await startAppServer(app.dir, 'server.mjs', {
      DATABASE_URL: database.url,
      CSRF_SECRET: randomBytes(32).toString('base64url'),
    });
    t.teardown(() => server.stop());
    const base = `http://127.0.0.1:${server.port}`;

    await assertBillingServed(t, base, secret);

    const anonymous = await fetch(`${base}/api/me`);
    t.is(anonymous.status, 401);
    t.regex(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/);
    t.false(server.output().includes(secret), 'the server never prints the secret');
  },
);

/**
 * The README's snippet on MySQL/MariaDB: the one line that builds the provider takes the MariaDB
 * driver's pool instead of pg's, with its options again for the start-up check, as "Swapping
 * providers" says.
 */
function onMariaDb(snippet: string): string {
  const swaps: Array<[string, string]> = [
    ["import pg from 'pg';", "import * as mariadb from 'mariadb';"],
    ['{ OAuthSqlProvider, pgPoolAdapter }', '{ OAuthSqlProvider, mariadbPoolAdapter }'],
    [
      'pgPoolAdapter(new pg.Pool({ connectionString: process.env.DATABASE_URL }))',
      'mariadbPoolAdapter(mariadb.createPool(process.env.DATABASE_URL), { connectionConfig: process.env.DATABASE_URL })',
    ],
  ];
  return swaps.reduce((code, [from, to]) => {
    if (!code.includes(from)) throw new Error(`the README's Koa snippet no longer has ${from}`);
    return code.replace(from, to);
  }, snippet);
}

mariadb.register(
  test,
  'on MariaDB, the packed CLI’s oauth2-kit migrate creates the tables, and the README’s snippet on mariadbPoolAdapter serves a token to a client the CLI created',
  async (t) => {
    t.timeout(SLOW);
    const app = await installed();
    const database = provisioned(await provisionMariaDb({ migrate: false }));
    t.teardown(() => database.close());
    const cli = appCli(t, app.dir, { DATABASE_URL: database.url });
    await cli('migrate');
    const secret = await createBillingClient(cli);

    await writeFile(join(app.dir, 'mariadb-server.mjs'), onMariaDb(readmeKoaSnippetAsJavaScript(await readRepoFile('README.md'))));
    const server = await startAppServer(app.dir, 'mariadb-server.mjs', { DATABASE_URL: database.url, CSRF_SECRET: randomBytes(32).toString('base64url') });
    t.teardown(() => server.stop());
    const base = `http://127.0.0.1:${server.port}`;
    await assertBillingServed(t, base, secret);
  },
);
