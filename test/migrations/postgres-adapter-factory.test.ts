/**
 * The PostgreSQL adapter factory behind the stand-in and migrate(): a real separate shadow database
 * that does not outlive its use, and migration scripts sent whole.
 */
import { createPostgresAdapterFactory } from '../../src/providers/prisma/engine/postgres-adapter-factory.mjs';
import { databasesNamed, postgresTest, query, withEmptyDatabase } from './support/postgres.js';

type Adapter = Awaited<ReturnType<Awaited<ReturnType<typeof createPostgresAdapterFactory>>['connect']>>;

/** The database an adapter's pool connects to. */
function databaseOf(adapter: Adapter): string {
  const pool = (adapter as unknown as { underlyingDriver(): { options: { connectionString: string } } }).underlyingDriver();
  return decodeURIComponent(new URL(pool.options.connectionString).pathname.slice(1));
}

postgresTest('the shadow database is a separate database, dropped when the engine releases it', async (t) => {
  await withEmptyDatabase(async (url) => {
    const factory = await createPostgresAdapterFactory({ url });
    try {
      const shadow = await factory.connectToShadowDb();
      const name = databaseOf(shadow);
      t.not(name, factory.database);
      t.deepEqual(await databasesNamed(name), [name]);

      await shadow.dispose();
      t.deepEqual(await databasesNamed(name), []);
    } finally {
      await factory.close();
    }
  });
});

postgresTest('closing the factory drops shadow databases that were never released', async (t) => {
  await withEmptyDatabase(async (url) => {
    const factory = await createPostgresAdapterFactory({ url });
    const name = databaseOf(await factory.connectToShadowDb());
    await factory.close();
    t.deepEqual(await databasesNamed(name), []);
  });
});

postgresTest('a migration script runs whole: a ";" inside a string literal is not a statement boundary', async (t) => {
  await withEmptyDatabase(async (url) => {
    const factory = await createPostgresAdapterFactory({ url });
    try {
      const adapter = await factory.connect();
      await adapter.executeScript(`CREATE TABLE "notes" ("body" TEXT);\nINSERT INTO "notes" VALUES ('a; b');`);
      await adapter.dispose();
      t.deepEqual(await query(url, 'SELECT body FROM notes'), [{ body: 'a; b' }]);
    } finally {
      await factory.close();
    }
  });
});

postgresTest('a failing migration script leaves none of its statements behind', async (t) => {
  await withEmptyDatabase(async (url) => {
    const factory = await createPostgresAdapterFactory({ url });
    try {
      const adapter = await factory.connect();
      await t.throwsAsync(adapter.executeScript('CREATE TABLE "first" ("id" INTEGER);\nSELECT * FROM "missing";'));
      await adapter.dispose();
      t.deepEqual(await query(url, "SELECT to_regclass('first')::text AS exists"), [{ exists: null }]);
    } finally {
      await factory.close();
    }
  });
});
