/**
 * Drift check: replaying the committed migrations on a real, separate shadow database yields exactly
 * the schema in prisma/ — nobody changed a model without generating its migration (or the reverse).
 */
import { postgresTest, withEmptyDatabase } from './support/postgres.js';
import { runPrisma } from './support/prisma-cli.js';

postgresTest('committed migrations produce exactly prisma/schema (no drift)', async (t) => {
  await withEmptyDatabase(async (url) => {
    // --exit-code: 0 when the diff is empty, 2 when it is not.
    const diff = await runPrisma(['migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma', '--script', '--exit-code'], {
      databaseUrl: url,
    });
    t.is(diff.code, 0, `the migrations and the schema differ; generate a migration:\n${diff.output}`);
    t.regex(diff.stdout, /This is an empty migration/);
    t.log('drift check: npx prisma migrate diff --from-migrations prisma/migrations --to-schema prisma → empty');
  });
});

postgresTest('the drift check sees a model the migrations lack', async (t) => {
  // Guards the check above against passing vacuously: diffing the migrations against the empty
  // schema must report everything they create.
  await withEmptyDatabase(async (url) => {
    const diff = await runPrisma(['migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-empty', '--script', '--exit-code'], {
      databaseUrl: url,
    });
    t.is(diff.code, 2, diff.output);
    t.regex(diff.stdout, /DROP TABLE "public"\."oauth_clients"/);
  });
});
