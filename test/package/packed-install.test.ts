/**
 * The package as a user gets it: `npm pack` (whose `prepack` builds dist/), installed from the
 * tarball into a fresh application outside the repository, offline, with only what the README says
 * to install for the SQL provider on PostgreSQL with Koa; then the README's Koa snippet, run with
 * plain node, serving a client created with the packed CLI. Packed and installed once for the file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import test from 'ava';
import { provisioned, provisionPostgres, readRepoFile, serverGate } from '../support/databases.js';
import { startAppServer } from './support/app-server.js';
import { appLockfile, type Lockfile } from './support/app-lockfile.js';
import { packRepository, type PackedTarball } from './support/packed-tarball.js';
import { readmeInstallPackages, readmeKoaSnippetAsJavaScript } from './support/readme-snippets.js';
import { runCommandOrThrow, UNREACHABLE_REGISTRY } from './support/user-shell.js';

const postgres = await serverGate('postgres', 'package');

// Outside the repository: nothing of its node_modules can be found from there.
const workspace = await mkdtemp(join(tmpdir(), 'oauth2-kit-packed-'));
test.after.always(() => rm(workspace, { recursive: true, force: true }));

const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
// Packing builds the whole package: slow on a busy machine, and awaited by every test here.
const SLOW = 600_000;

let packing: Promise<PackedTarball> | undefined;
function packed(): Promise<PackedTarball> {
  packing ??= (async () => {
    const destination = join(workspace, 'pack');
    await mkdir(destination);
    return packRepository(destination);
  })();
  return packing;
}

interface InstalledApp {
  dir: string;
  /** The README's install commands for this setup, as package names. */
  packages: string[];
  milliseconds: number;
}

let installing: Promise<InstalledApp> | undefined;
function installed(): Promise<InstalledApp> {
  installing ??= installApp();
  return installing;
}

async function installApp(): Promise<InstalledApp> {
  const tarball = await packed();
  const packages = readmeInstallPackages(await readRepoFile('README.md'), /OAuthSqlProvider on PostgreSQL/);
  const repoManifest = JSON.parse(await readRepoFile('package.json')) as Record<string, Record<string, string> | undefined>;
  const ranges: Record<string, string> = { ...repoManifest.devDependencies, ...repoManifest.dependencies };
  const dependencies: Record<string, string> = {};
  for (const name of packages) {
    if (name === tarball.manifest.name) continue;
    const range = ranges[name];
    if (range === undefined) throw new Error(`the README installs ${name}, which this repository neither depends on nor tests with`);
    dependencies[name] = range;
  }

  const dir = join(workspace, 'app');
  await mkdir(dir);
  const lock = appLockfile(JSON.parse(await readRepoFile('package-lock.json')) as Lockfile, {
    appName: 'packed-install-app',
    dependencies,
    packed: { manifest: tarball.manifest, spec: `file:${relative(dir, tarball.path)}`, integrity: tarball.integrity },
    registry: UNREACHABLE_REGISTRY,
  });
  const manifest = { name: 'packed-install-app', version: '1.0.0', private: true, type: 'module', dependencies: lock.packages['']!.dependencies };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);

  const started = performance.now();
  await runCommandOrThrow('npm', ['ci', '--offline'], { cwd: dir });
  return { dir, packages, milliseconds: performance.now() - started };
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

    const cli = (...args: string[]) => runCommandOrThrow('npx', ['oauth2-kit', ...args], { cwd: app.dir, env: { DATABASE_URL: database.url } });
    await cli('scope', 'define', 'read');
    const created = JSON.parse(
      (await cli('client', 'create', '--id', 'billing', '--name', 'Billing service', '--grant', 'client_credentials', '--scope', 'read', '--json')).stdout,
    ) as { clientSecret: string };

    await writeFile(join(app.dir, 'server.mjs'), readmeKoaSnippetAsJavaScript(await readRepoFile('README.md')));
    const server = await startAppServer(app.dir, 'server.mjs', {
      DATABASE_URL: database.url,
      CSRF_SECRET: randomBytes(32).toString('base64url'),
    });
    t.teardown(() => server.stop());
    const base = `http://127.0.0.1:${server.port}`;

    const tokenResponse = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`billing:${created.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' }),
    });
    const token = (await tokenResponse.json()) as { access_token?: string };
    t.is(tokenResponse.status, 200, JSON.stringify(token));

    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token.access_token}` } });
    t.is(me.status, 200);
    const oauth = (await me.json()) as { client: { id: string }; scope: string[] };
    t.is(oauth.client.id, 'billing');
    t.deepEqual(oauth.scope, ['read']);

    const anonymous = await fetch(`${base}/api/me`);
    t.is(anonymous.status, 401);
    t.regex(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/);
    t.false(server.output().includes(created.clientSecret), 'the server never prints the secret');
  },
);
