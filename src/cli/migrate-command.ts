import { CommandError } from './cli-error.js';
import type { Command } from './command.js';
import { expectPositionals } from './command-line.js';
import { describeLocation } from './database-location.js';

/**
 * `oauth2-kit migrate`: brings the database schema up to date, offline and in-process.
 *
 * PostgreSQL and PGlite get the committed Prisma migrations through `migrate()` (the WebAssembly
 * schema engine: same history table and checksums as `prisma migrate deploy`, so either can take
 * over). MySQL/MariaDB get the shipped DDL, which only creates missing tables.
 */
export const migrateCommand: Command = {
  usage: 'migrate',
  summary: 'apply pending migrations (creates the embedded database when needed)',
  details: [
    '',
    "For a database whose migrations are oauth2-kit's alone: the SQL provider's, or the Prisma",
    "provider's on oauth2-kit's tables only. When your application's Prisma schema includes",
    "oauth2-kit's models, your history owns the tables: run `npx prisma migrate deploy` instead.",
    'On such a database this command refuses and changes nothing. PostgreSQL and PGlite need',
    '@prisma/adapter-pg, @prisma/driver-adapter-utils and @prisma/schema-engine-wasm (see doctor).',
  ],
  options: {},
  packages: 'migrate',
  async run(context) {
    expectPositionals(context.positionals, [], 'migrate');
    const connection = await context.open({ createEmbedded: true });
    const where = describeLocation(connection.location);

    if (connection.location.kind === 'mysql') {
      const { applyMysqlSchema } = await import('../providers/sql/index.js');
      const tables = async () =>
        (
          await connection.sql.query<{ name: string }>(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'oauth\\_%'",
            [],
          )
        ).rows.map((row) => row.name);
      const before = new Set(await tables());
      await applyMysqlSchema(connection.sql);
      const created = (await tables()).filter((name) => !before.has(name)).sort();
      return {
        human: created.length === 0 ? `${where}: every table exists already.` : `${where}: created ${created.join(', ')}.`,
        json: { database: 'mysql', createdTables: created },
      };
    }

    const { migrate, MigrationError } = await import('../providers/prisma/index.js');
    let applied: string[];
    try {
      const target =
        connection.location.kind === 'postgres' ? { connectionString: connection.location.url } : { pglite: connection.pglite! };
      ({ applied } = await migrate(target));
    } catch (error) {
      // Its message names the failing migration and Prisma's reason (and code, e.g. P3005); nothing secret.
      if (error instanceof MigrationError) {
        throw new CommandError(`${error.message.split('\n')[0]!}${error.code ? ` (${error.code})` : ''}`);
      }
      throw error;
    }
    return {
      human:
        applied.length === 0
          ? `${where}: up to date, no pending migration.`
          : `${where}: applied ${applied.length} migration(s): ${applied.join(', ')}.`,
      json: { database: connection.location.kind, appliedMigrations: applied },
    };
  },
};
