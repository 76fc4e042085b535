import type { DatabaseLocation } from './database-location.js';

/**
 * Which optional peer packages each part of oauth2-kit loads, by database. The names only: the
 * versions are the `peerDependencies` of the installed package.json, read when checked.
 *
 * Kept in step with the imports it describes: the CLI's drivers in database-connection.ts; the
 * Prisma migrations (src/providers/prisma/migrate.ts and its engine/ modules) load `pg` and
 * `@prisma/adapter-pg` (postgres-adapter-factory.mjs, database-lifecycle.mjs) or
 * `pglite-prisma-adapter` and PGlite (pglite-adapter-factory.mjs), then
 * `@prisma/schema-engine-wasm` and `@prisma/driver-adapter-utils` (wasm-schema-engine.mjs). On
 * MySQL/MariaDB, `migrate` applies the shipped DDL through the CLI's own connection.
 */

/** A kind of database, as the CLI's URL names it. */
export type DatabaseKind = DatabaseLocation['kind'];

/** What the CLI is asked to do: one of its management commands, or `migrate`. */
export type CliTask = 'commands' | 'migrate';

const ENGINE = ['@prisma/driver-adapter-utils', '@prisma/schema-engine-wasm'];

/** The table: what each CLI task needs on each database. */
const CLI_PACKAGES: Readonly<Record<CliTask, Readonly<Record<DatabaseKind, readonly string[]>>>> = {
  commands: {
    postgres: ['pg'],
    mysql: ['mariadb'],
    pglite: ['@electric-sql/pglite'],
  },
  migrate: {
    postgres: ['pg', '@prisma/adapter-pg', ...ENGINE],
    mysql: ['mariadb'],
    pglite: ['@electric-sql/pglite', 'pglite-prisma-adapter', ...ENGINE],
  },
};

/** The packages `task` loads on a database of this kind, in the order they are reported. */
export function cliPackages(task: CliTask, database: DatabaseKind): readonly string[] {
  return CLI_PACKAGES[task][database];
}

/** An entry point the application's own code imports, and what it needs beside the package. */
export interface ApplicationEntryPoint {
  entryPoint: string;
  /** Peer packages it needs on this database. */
  packages: readonly string[];
  /** What the check cannot see, for the operator to know (e.g. the generated Prisma client). */
  note?: string;
}

/**
 * What the application's imports of oauth2-kit need, for information: the CLI never loads them.
 * `oauth2-kit/prisma`'s provider takes the application's generated client and the driver adapter
 * it was built with; only the packages behind them can be checked.
 */
export function applicationEntryPoints(database: DatabaseKind): ApplicationEntryPoint[] {
  const generated = 'needs your generated Prisma client too (npx prisma generate)';
  const prisma: Record<DatabaseKind, ApplicationEntryPoint> = {
    postgres: { entryPoint: 'oauth2-kit/prisma', packages: ['@prisma/client', '@prisma/adapter-pg', 'pg'], note: generated },
    pglite: {
      entryPoint: 'oauth2-kit/prisma',
      packages: ['@prisma/client', 'pglite-prisma-adapter', '@electric-sql/pglite'],
      note: generated,
    },
    mysql: { entryPoint: 'oauth2-kit/prisma', packages: ['@prisma/client'], note: 'needs your generated Prisma client and a Prisma driver adapter for MySQL/MariaDB too' },
  };
  return [
    { entryPoint: 'oauth2-kit/sql', packages: CLI_PACKAGES.commands[database] },
    prisma[database],
    { entryPoint: 'oauth2-kit/koa', packages: ['koa', '@koa/router'] },
  ];
}

/** How the CLI names a kind of database in its messages. */
export const DATABASE_NAMES: Readonly<Record<DatabaseKind, string>> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL/MariaDB',
  pglite: 'embedded PGlite',
};

/** How the CLI names a task in its messages. */
export const TASK_NAMES: Readonly<Record<CliTask, string>> = {
  commands: 'the CLI',
  migrate: 'migrate',
};
