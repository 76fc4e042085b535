import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SQLInterface } from './sql-interface.js';

// The DDL ships in `src/`; compiled code in `dist/providers/sql/` finds it through the package root.
const candidates = ['./schema/mysql.sql', '../../../src/providers/sql/schema/mysql.sql'].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);

/**
 * Absolute path of the MySQL/MariaDB DDL (`CREATE TABLE IF NOT EXISTS` for every table the
 * provider uses), for migration tools that take a file. PostgreSQL users apply the Prisma
 * migrations in `prisma/migrations` instead.
 */
export const mysqlSchemaPath: string = candidates.find((path) => existsSync(path)) ?? candidates[0]!;

/** The DDL as single statements: whole-line comments dropped, split at semicolons. */
export async function mysqlSchemaStatements(): Promise<string[]> {
  const text = await readFile(mysqlSchemaPath, 'utf8');
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

/**
 * Creates the provider's tables on a MySQL/MariaDB database, skipping those that exist (it never
 * alters or drops anything, so it is safe at every start-up).
 */
export async function applyMysqlSchema(sql: SQLInterface): Promise<void> {
  if (sql.dialect !== 'mysql') {
    throw new TypeError(`applyMysqlSchema needs a mysql SQLInterface, got ${sql.dialect}: use the Prisma migrations`);
  }
  for (const statement of await mysqlSchemaStatements()) await sql.query(statement, []);
}
