/**
 * The README's "Add oauth2-kit to your Prisma app" recipe, followed step by step in a fresh
 * application outside the repository, from the packed tarball, offline (npm's cache only; Prisma's
 * engine download host out of reach): an app schema with a model of its own plus the OAuth models,
 * `prisma generate`, `prisma migrate dev --create-only`, `prisma migrate deploy`, the recipe's
 * server with a client made by the packed CLI, then the same data through `OAuthSqlProvider`.
 * Each step is one test, in order, on one database.
 */
import { randomBytes } from 'node:crypto';
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import pg from 'pg';
import { provisioned, provisionPostgres, readRepoFile, serverGate, type ProvisionedServerDatabase } from '../support/databases.js';
import { appCli, assertBillingServed, createBillingClient, guardedMe } from './support/app-requests.js';
import { startAppServer } from './support/app-server.js';
import { installFreshApp, type FreshApp } from './support/fresh-app.js';
import { packedOncePerRun } from './support/packed-tarball.js';
import { fencedBlocks, listeningOnFreePort, readmeKoaSnippetAsJavaScript, readmeSection } from './support/readme-snippets.js';
import { runCommand, runCommandOrThrow } from './support/user-shell.js';

const postgres = await serverGate('postgres', 'package');

const workspace = await mkdtemp(join(tmpdir(), 'oauth2-kit-prisma-app-'));
test.after.always(async () => {
  await app?.database.close();
  await rm(workspace, { recursive: true, force: true });
});

const SLOW = 600_000;
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;

/** The recipe, read from the README. */
interface Recipe {
  /** Package names of its `npm install` lines. */
  packages: string[];
  /** Its other shell lines (the `cp`, the Prisma commands), comments removed. */
  commands: string[];
  generator: string;
  config: string;
  server: string;
}

function readRecipe(readme: string): Recipe {
  const section = readmeSection(readme, '## Add oauth2-kit to your Prisma app');
  const lines = fencedBlocks(section, 'sh')
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '');
  const packages = lines
    .filter((line) => line.startsWith('npm install '))
    .flatMap((line) => line.split(/\s+/).slice(2).filter((word) => !word.startsWith('-')))
    .map((spec) => spec.replace(/(.)@.*$/, '$1'));
  const [generator] = fencedBlocks(section, 'prisma');
  const [config, server] = fencedBlocks(section, 'ts');
  if (generator === undefined || config === undefined || server === undefined) throw new Error('the recipe lost a generator, config or server block');
  return { packages, commands: lines.filter((line) => !line.startsWith('npm install ')), generator, config, server };
}

/** The application's own schema: the recipe's generator, its datasource, and a model of its own. */
const appSchema = (generator: string) => `${generator}
datasource db {
  provider = "postgresql"
}

model Note {
  id   Int    @id @default(autoincrement())
  text String
}
`;

interface App extends FreshApp {
  recipe: Recipe;
  database: ProvisionedServerDatabase;
  env: Record<string, string>;
}

let app: App | undefined;
let accessToken: string | undefined;

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`an earlier step failed: no ${what}`);
  return value;
}

/** Runs one of the recipe's shell lines in the app, as a user's shell would, and logs its time. */
async function runRecipeLine(t: ExecutionContext, current: App, pattern: RegExp) {
  const line = current.recipe.commands.find((command) => pattern.test(command));
  if (line === undefined) throw new Error(`the recipe has no command matching ${pattern}`);
  const started = performance.now();
  const run = await runCommandOrThrow('sh', ['-c', line], { cwd: current.dir, env: current.env });
  t.log(`${line.split(/\s+/).slice(0, 4).join(' ')}: ${seconds(performance.now() - started)}`);
  return run;
}

async function migrationRows(url: string): Promise<Array<{ migration_name: string; finished: boolean; rolled_back: boolean }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations ORDER BY migration_name',
    );
    return rows;
  } finally {
    await client.end();
  }
}

postgres.register(test.serial, 'the recipe installs offline into a fresh app, whose prisma/ folder then holds the app’s schema and the copied oauth.prisma', async (t) => {
  t.timeout(SLOW);
  const recipe = readRecipe(await readRepoFile('README.md'));
  const tarball = await packedOncePerRun();
  const installed = await installFreshApp(join(workspace, 'app'), tarball, recipe.packages);
  t.log(`npm ci --offline (${installed.packages.join(', ')}): ${seconds(installed.milliseconds)}`);
  const database = provisioned(await provisionPostgres({ migrate: false }));
  // Prisma's download host out of reach, whatever this machine's network: the offline case, always.
  const env = { DATABASE_URL: database.url, PRISMA_ENGINES_MIRROR: 'http://127.0.0.1:9' };
  app = { ...installed, recipe, database, env };

  await mkdir(join(app.dir, 'prisma'));
  await writeFile(join(app.dir, 'prisma', 'schema.prisma'), appSchema(recipe.generator));
  await writeFile(join(app.dir, 'prisma.config.ts'), recipe.config);
  await runRecipeLine(t, app, /^cp /);
  t.deepEqual((await readdir(join(app.dir, 'prisma'))).sort(), ['oauth.prisma', 'schema.prisma']);
});

postgres.register(
  test.serial,
  'offline, prisma generate and migrate dev --create-only through withOAuthModels make one migration in the app’s history with its own model and the OAuth tables',
  async (t) => {
    t.timeout(SLOW);
    const current = ready(app, 'app');
    const generated = await runRecipeLine(t, current, /prisma generate/);
    t.regex(generated.stderr, /runs the same engine compiled to WebAssembly/, 'the config says which engine it chose');
    await access(join(current.dir, 'generated', 'prisma', 'client.ts'));

    await runRecipeLine(t, current, /migrate dev --create-only/);
    const folders = (await readdir(join(current.dir, 'prisma', 'migrations'), { withFileTypes: true })).filter((entry) => entry.isDirectory());
    t.is(folders.length, 1);
    t.regex(folders[0]!.name, /_add_oauth$/);
    const sql = await readFile(join(current.dir, 'prisma', 'migrations', folders[0]!.name, 'migration.sql'), 'utf8');
    t.regex(sql, /CREATE TABLE "Note"/);
    for (const table of ['oauth_clients', 'oauth_tokens', 'oauth_authorization_codes', 'oauth_users', 'oauth_attempt_counters']) {
      t.regex(sql, new RegExp(`CREATE TABLE "${table}"`), table);
    }
  },
);

postgres.register(test.serial, 'offline, prisma migrate deploy applies the app’s migration, OAuth tables included', async (t) => {
  t.timeout(SLOW);
  const current = ready(app, 'app');
  await runRecipeLine(t, current, /migrate deploy/);
  const rows = await migrationRows(current.database.url);
  t.is(rows.length, 1);
  t.regex(rows[0]!.migration_name, /_add_oauth$/);
  t.true(rows[0]!.finished);
});

postgres.register(test.serial, 'oauth2-kit migrate refuses a database whose Prisma history is the app’s, changing nothing', async (t) => {
  t.timeout(SLOW);
  const current = ready(app, 'app');
  const before = await migrationRows(current.database.url);
  const started = performance.now();
  const run = await runCommand('npx', ['oauth2-kit', 'migrate'], { cwd: current.dir, env: current.env });
  t.log(`npx oauth2-kit migrate (refused): ${seconds(performance.now() - started)}`);
  t.log(run.stderr.trim());
  t.is(run.code, 1);
  t.regex(run.stderr, /prisma migrate/);
  t.deepEqual(await migrationRows(current.database.url), before);
});

postgres.register(
  test.serial,
  'the recipe’s server, run with tsx, issues a token to a client the packed CLI created and its guard admits it',
  async (t) => {
    t.timeout(SLOW);
    const current = ready(app, 'app');
    const secret = await createBillingClient(appCli(t, current.dir, current.env));

    await writeFile(join(current.dir, 'server.ts'), listeningOnFreePort(current.recipe.server));
    const server = await startAppServer(current.dir, 'server.ts', { ...current.env, CSRF_SECRET: randomBytes(32).toString('base64url') }, ['--import', 'tsx']);
    t.teardown(() => server.stop());
    const base = `http://127.0.0.1:${server.port}`;

    const token = await assertBillingServed(t, base, secret);
    t.is((await guardedMe(base, 'not-a-token')).status, 401);
    accessToken = token;
  },
);

postgres.register(test.serial, 'the same app on OAuthSqlProvider (the README’s Koa snippet) over the same tables admits the token the Prisma server issued', async (t) => {
  t.timeout(SLOW);
  const current = ready(app, 'app');
  const token = ready(accessToken, 'access token');
  await writeFile(join(current.dir, 'sql-server.mjs'), readmeKoaSnippetAsJavaScript(await readRepoFile('README.md')));
  const server = await startAppServer(current.dir, 'sql-server.mjs', { ...current.env, CSRF_SECRET: randomBytes(32).toString('base64url') });
  t.teardown(() => server.stop());
  const me = await guardedMe(`http://127.0.0.1:${server.port}`, token);
  t.is(me.status, 200);
  t.deepEqual(me.body.scope, ['read']);
});
