import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';
import { OAuthProvider } from '../../src/core/oauth-provider.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../src/providers/sql/index.js';
import { provisionPGlite } from '../support/databases.js';

test('OAuthSqlProvider is an OAuthProvider whose registry writes to the SQL tables', async (t) => {
  const database = await provisionPGlite();
  try {
    const provider = new OAuthSqlProvider(pgliteAdapter(database.pglite));
    t.true(provider instanceof OAuthProvider);
    await provider.clients.create({ id: 'billing-service', name: 'Billing', grants: ['client_credentials'] });
    const { rows } = await database.pglite.query('SELECT id, name FROM oauth_clients');
    t.deepEqual(rows, [{ id: 'billing-service', name: 'Billing' }]);
  } finally {
    await database.close();
  }
});

test('importing oauth2-kit/sql loads no database driver', async (t) => {
  // A resolve hook that fails on any driver: the entry point must only import their types.
  const dir = await mkdtemp(join(tmpdir(), 'oauth2-kit-sql-'));
  try {
    const hooks = join(dir, 'hooks.mjs');
    const register = join(dir, 'register.mjs');
    await writeFile(
      hooks,
      `const drivers = ['pg', 'mariadb', 'mysql2', '@electric-sql/pglite'];
       export async function resolve(specifier, context, next) {
         if (drivers.includes(specifier)) throw new Error('driver imported: ' + specifier);
         return next(specifier, context);
       }`,
    );
    await writeFile(register, `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`);
    const entry = pathToFileURL(fileURLToPath(new URL('../../src/providers/sql/index.ts', import.meta.url))).href;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--import', pathToFileURL(register).href, '--input-type=module', '-e',
        `const m = await import(${JSON.stringify(entry)}); console.log(Object.keys(m).sort().join(','))`],
      { cwd: fileURLToPath(new URL('../../', import.meta.url)) },
    );
    t.is(stdout.trim(), 'OAuthSqlProvider,applyMysqlSchema,mariadbPoolAdapter,mysqlSchemaPath,pgPoolAdapter,pgliteAdapter,postgresInvalidationChannel');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
