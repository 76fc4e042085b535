/**
 * The unmodified Prisma CLI migrates PostgreSQL offline: prisma.config.ts points it at the WASM
 * schema-engine stand-in when no native engine is installed.
 */
import test from 'ava';
import { committedMigrations } from './support/migrations-on-disk.js';
import { postgresTest, query, withEmptyDatabase } from './support/postgres.js';
import { runPrisma } from './support/prisma-cli.js';

postgresTest('`prisma migrate deploy` applies the committed migrations to a fresh PostgreSQL database', async (t) => {
  await withEmptyDatabase(async (url) => {
    const started = performance.now();
    const deploy = await runPrisma(['migrate', 'deploy'], { databaseUrl: url });
    t.is(deploy.code, 0, deploy.output);

    const expected = await committedMigrations();
    const recorded = await query<{ migration_name: string; checksum: string; finished: boolean }>(
      url,
      'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
    );
    t.deepEqual(
      recorded.map((row) => ({ name: row.migration_name, checksum: row.checksum })),
      expected,
    );
    t.true(recorded.every((row) => row.finished));
    t.log(`npx prisma migrate deploy → PostgreSQL: applied ${recorded.map((row) => row.migration_name).join(', ')} in ${Math.round(performance.now() - started)} ms`);
  });
});

postgresTest('`prisma migrate status` reports a database deployed by the CLI as up to date', async (t) => {
  await withEmptyDatabase(async (url) => {
    const before = await runPrisma(['migrate', 'status'], { databaseUrl: url });
    t.not(before.code, 0, 'an unmigrated database must not be reported up to date');
    t.regex(before.output, /have not yet been applied/);

    t.is((await runPrisma(['migrate', 'deploy'], { databaseUrl: url })).code, 0);
    const after = await runPrisma(['migrate', 'status'], { databaseUrl: url });
    t.is(after.code, 0, after.output);
    t.regex(after.output, /Database schema is up to date!/);
    t.log('npx prisma migrate status → "Database schema is up to date!"');
  });
});

test('the CLI reports a missing database with Prisma\'s code P1003', async (t) => {
  const missing = `postgresql://postgres@127.0.0.1:5432/oauth2kit_missing_${Date.now().toString(36)}`;
  const status = await runPrisma(['migrate', 'status'], { databaseUrl: missing });
  t.not(status.code, 0);
  t.regex(status.output, /P1003|P1001/, status.output);
});
