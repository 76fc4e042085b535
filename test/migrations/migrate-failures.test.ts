/**
 * A migration that fails is reported as failed, leaves none of its statements behind, and is not
 * recorded as applied; a database that cannot be migrated safely is refused.
 */
import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import test from 'ava';
import { FOREIGN_HISTORY, migrate, MigrationError } from '../../src/providers/prisma/migrate.js';
import { migrationsDir } from './support/migrations-on-disk.js';
import { postgresTest, query, withEmptyDatabase } from './support/postgres.js';

const BROKEN = '29991231000000_broken';

/** The committed migrations plus one whose second statement fails. */
async function withBrokenMigrations<T>(body: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(path.join(tmpdir(), 'oauth2kit-migrations-'));
  try {
    await cp(migrationsDir, directory, { recursive: true });
    await mkdir(path.join(directory, BROKEN));
    await writeFile(
      path.join(directory, BROKEN, 'migration.sql'),
      'CREATE TABLE "half_done" ("id" INTEGER);\nINSERT INTO "no_such_table" VALUES (1);\n',
    );
    return await body(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

test.serial('on PGlite a failing migration throws, leaves nothing behind and is not recorded as applied', async (t) => {
  const pglite = await PGlite.create();
  try {
    await withBrokenMigrations(async (migrationsDir) => {
      const error = await t.throwsAsync(migrate({ pglite }, { migrationsDir }), { instanceOf: MigrationError });
      t.is(error?.migrationName, BROKEN);

      const half = await pglite.query<{ exists: string | null }>("SELECT to_regclass('half_done')::text AS exists");
      t.is(half.rows[0]?.exists, null, 'the statement before the failure must be rolled back');
      const record = await pglite.query<{ finished: boolean }>(
        'SELECT finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE migration_name = $1',
        [BROKEN],
      );
      t.deepEqual(record.rows, [{ finished: false }]);
    });
  } finally {
    await pglite.close();
  }
});

postgresTest.serial('on PostgreSQL a failing migration throws, leaves nothing behind and is not recorded as applied', async (t) => {
  await withEmptyDatabase(async (url) => {
    await withBrokenMigrations(async (migrationsDir) => {
      const error = await t.throwsAsync(migrate({ connectionString: url }, { migrationsDir }), { instanceOf: MigrationError });
      t.is(error?.migrationName, BROKEN);

      t.deepEqual(await query(url, "SELECT to_regclass('half_done')::text AS exists"), [{ exists: null }]);
      t.deepEqual(
        await query(url, 'SELECT finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE migration_name = $1', [BROKEN]),
        [{ finished: false }],
      );
    });
  });
});

test.serial('after a failed migration, migrate() refuses to go on until it is resolved (P3009)', async (t) => {
  const pglite = await PGlite.create();
  try {
    await withBrokenMigrations(async (migrationsDir) => {
      await t.throwsAsync(migrate({ pglite }, { migrationsDir }), { instanceOf: MigrationError });
      const again = await t.throwsAsync(migrate({ pglite }, { migrationsDir }), { instanceOf: MigrationError });
      t.is(again?.code, 'P3009');
    });
  } finally {
    await pglite.close();
  }
});

test.serial('migrate() refuses a non-empty database that has no migration history (P3005)', async (t) => {
  const pglite = await PGlite.create();
  try {
    await pglite.exec('CREATE TABLE "someone_elses" ("id" INTEGER)');
    const error = await t.throwsAsync(migrate({ pglite }), { instanceOf: MigrationError });
    t.is(error?.code, 'P3005');
    const tables = await pglite.query("SELECT 1 FROM pg_tables WHERE tablename = 'oauth_clients'");
    t.is(tables.rows.length, 0);
  } finally {
    await pglite.close();
  }
});

test.serial('migrate() reports a missing migrations directory instead of applying nothing', async (t) => {
  const pglite = await PGlite.create();
  try {
    const error = await t.throwsAsync(migrate({ pglite }, { migrationsDir: path.join(tmpdir(), 'oauth2kit-no-such-dir') }), {
      instanceOf: MigrationError,
    });
    t.regex(error?.message ?? '', /Migrations directory not found/);
  } finally {
    await pglite.close();
  }
});

test.serial('migrate() refuses a database whose Prisma history is the application\'s, naming a foreign migration and changing nothing', async (t) => {
  const pglite = await PGlite.create();
  try {
    // An application that migrated the OAuth models (and its own) with its own history.
    await pglite.exec(`
      CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0);
      INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "applied_steps_count")
        VALUES ('1', 'x', now(), '20260101000000_app_with_oauth_models', 1);
      CREATE TABLE "oauth_clients" ("id" VARCHAR(128) PRIMARY KEY);
    `);
    const error = await t.throwsAsync(migrate({ pglite }), { instanceOf: MigrationError });
    t.is(error?.code, FOREIGN_HISTORY);
    t.regex(error!.message, /belongs to your application.*"20260101000000_app_with_oauth_models".*npx prisma migrate dev/s);
    const history = await pglite.query<{ migration_name: string; finished: boolean }>('SELECT migration_name, finished_at IS NOT NULL AS finished FROM "_prisma_migrations"');
    t.deepEqual(history.rows, [{ migration_name: '20260101000000_app_with_oauth_models', finished: true }], 'no failed migration recorded (no P3009)');
  } finally {
    await pglite.close();
  }
});

test.serial('migrate() goes on over a history of its own migrations only', async (t) => {
  const pglite = await PGlite.create();
  try {
    t.true((await migrate({ pglite })).applied.length >= 2);
    t.deepEqual((await migrate({ pglite })).applied, []);
  } finally {
    await pglite.close();
  }
});
