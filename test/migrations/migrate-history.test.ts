/**
 * `migrate()` and `prisma migrate deploy` keep one history (`_prisma_migrations`, same names and
 * checksums), so either can follow the other.
 */
import { migrate } from '../../src/providers/prisma/migrate.js';
import { committedMigrations } from './support/migrations-on-disk.js';
import { postgresTest, query, withEmptyDatabase } from './support/postgres.js';
import { runPrisma } from './support/prisma-cli.js';

postgresTest('a database migrated by migrate() is reported up to date by `prisma migrate status`', async (t) => {
  await withEmptyDatabase(async (url) => {
    await migrate({ connectionString: url });
    const status = await runPrisma(['migrate', 'status'], { databaseUrl: url });
    t.is(status.code, 0, status.output);
    t.regex(status.output, /Database schema is up to date!/);
    t.log('migrate() → PostgreSQL, then npx prisma migrate status: "Database schema is up to date!"');
  });
});

postgresTest('migrate() records the checksums `prisma migrate deploy` records', async (t) => {
  await withEmptyDatabase(async (url) => {
    await migrate({ connectionString: url });
    const recorded = await query<{ migration_name: string; checksum: string }>(
      url,
      'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    t.deepEqual(
      recorded.map((row) => ({ name: row.migration_name, checksum: row.checksum })),
      await committedMigrations(),
    );
  });
});

postgresTest('migrate() after `prisma migrate deploy` applies nothing', async (t) => {
  await withEmptyDatabase(async (url) => {
    const deploy = await runPrisma(['migrate', 'deploy'], { databaseUrl: url });
    t.is(deploy.code, 0, deploy.output);
    t.deepEqual(await migrate({ connectionString: url }), { applied: [] });
  });
});
