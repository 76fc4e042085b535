/**
 * Applies the storage schema to a test database: the committed Prisma migrations for PostgreSQL and
 * PGlite (the same SQL `prisma migrate deploy` runs; the migration tooling itself has its own tests),
 * and the SQL provider's shipped DDL for MySQL/MariaDB.
 */
import { readdir, readFile } from 'node:fs/promises';

const migrationsDir = new URL('../../prisma/migrations/', import.meta.url);

let postgresScripts: Promise<string[]> | undefined;

/** Every committed migration's SQL, in order (cached per process). */
export function postgresMigrationScripts(): Promise<string[]> {
  postgresScripts ??= (async () => {
    const entries = await readdir(migrationsDir, { withFileTypes: true });
    const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
    if (folders.length === 0) throw new Error('no migrations under prisma/migrations');
    return Promise.all(folders.map((f) => readFile(new URL(`${f}/migration.sql`, migrationsDir), 'utf8')));
  })();
  return postgresScripts;
}

/** Runs every migration script through `exec` (one multi-statement script per migration). */
export async function applyPostgresMigrations(exec: (sql: string) => Promise<unknown>): Promise<void> {
  for (const script of await postgresMigrationScripts()) await exec(script);
}

/** The MySQL DDL as single statements (the mariadb driver runs one statement per query). */
export { mysqlSchemaStatements as mysqlDdlStatements } from '../../src/providers/sql/mysql-schema.js';
