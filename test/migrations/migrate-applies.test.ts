/** `migrate()` applies the committed migrations in-process, on PGlite and on PostgreSQL. */
import { PGlite } from '@electric-sql/pglite';
import test from 'ava';
import pg from 'pg';
import { migrate } from '../../src/providers/prisma/migrate.js';
import { loadWasmSchemaEngine } from '../../src/providers/prisma/engine/wasm-schema-engine.mjs';
import { committedMigrations } from './support/migrations-on-disk.js';
import { postgresTest, query, withEmptyDatabase } from './support/postgres.js';

const OAUTH_TABLES = [
  'oauth_attempt_counters',
  'oauth_authorization_codes',
  'oauth_client_grants',
  'oauth_client_redirect_uris',
  'oauth_client_registrations',
  'oauth_client_scopes',
  'oauth_clients',
  'oauth_consent_grants',
  'oauth_resources',
  'oauth_scopes',
  'oauth_sessions',
  'oauth_signing_keys',
  'oauth_tokens',
  'oauth_users',
];
const TABLES_SQL = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'oauth\\_%' ORDER BY tablename";

test.before('load the WASM schema engine once (timed for the record)', async (t) => {
  const started = performance.now();
  const { wasmCommit } = await loadWasmSchemaEngine();
  t.log(`WASM schema engine ${wasmCommit.slice(0, 8)} loaded in ${Math.round(performance.now() - started)} ms`);
});

test.serial('migrate() applies every committed migration to a fresh PGlite', async (t) => {
  const pglite = await PGlite.create();
  try {
    const started = performance.now();
    const { applied } = await migrate({ pglite });
    const elapsed = Math.round(performance.now() - started);

    t.deepEqual(applied, (await committedMigrations()).map((migration) => migration.name));
    const tables = await pglite.query<{ tablename: string }>(TABLES_SQL);
    t.deepEqual(tables.rows.map((row) => row.tablename), OAUTH_TABLES);
    t.log(`migrate() → PGlite: applied ${applied.join(', ')} in ${elapsed} ms`);
  } finally {
    await pglite.close();
  }
});

test.serial('migrate() run a second time on PGlite applies nothing', async (t) => {
  const pglite = await PGlite.create();
  try {
    t.true((await migrate({ pglite })).applied.length > 0);
    const started = performance.now();
    t.deepEqual(await migrate({ pglite }), { applied: [] });
    t.log(`migrate() rerun on PGlite: nothing to apply (${Math.round(performance.now() - started)} ms)`);
  } finally {
    await pglite.close();
  }
});

postgresTest.serial('migrate() applies every committed migration to a fresh PostgreSQL database', async (t) => {
  await withEmptyDatabase(async (url) => {
    const started = performance.now();
    const { applied } = await migrate({ connectionString: url });
    const elapsed = Math.round(performance.now() - started);

    t.deepEqual(applied, (await committedMigrations()).map((migration) => migration.name));
    const tables = await query<{ tablename: string }>(url, TABLES_SQL);
    t.deepEqual(tables.map((row) => row.tablename), OAUTH_TABLES);
    t.log(`migrate() → PostgreSQL: applied ${applied.join(', ')} in ${elapsed} ms`);
  });
});

postgresTest.serial('migrate() run a second time on PostgreSQL applies nothing', async (t) => {
  await withEmptyDatabase(async (url) => {
    t.true((await migrate({ connectionString: url })).applied.length > 0);
    t.deepEqual(await migrate({ connectionString: url }), { applied: [] });
  });
});

postgresTest.serial('migrate() given a pg Pool migrates its database and leaves the pool open', async (t) => {
  await withEmptyDatabase(async (url) => {
    const pool = new pg.Pool({ connectionString: url });
    try {
      t.true((await migrate({ pool })).applied.length > 0);
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM oauth_clients');
      t.is(rows[0]?.n, '0');
    } finally {
      await pool.end();
    }
  });
});

postgresTest.serial('migrate() honours Prisma\'s ?schema= parameter', async (t) => {
  await withEmptyDatabase(async (url) => {
    const inSchema = new URL(url);
    inSchema.searchParams.set('schema', 'auth');
    t.true((await migrate({ connectionString: inSchema.toString() })).applied.length > 0);
    const rows = await query<{ schemaname: string }>(url, "SELECT DISTINCT schemaname FROM pg_tables WHERE tablename = 'oauth_clients'");
    t.deepEqual(rows.map((row) => row.schemaname), ['auth']);
  });
});
