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

/** A column as the DDL declares it. */
interface DeclaredColumn {
  table: string;
  name: string;
  /** The column's line in CREATE TABLE, without the trailing comma: what ADD COLUMN takes. */
  definition: string;
  /** The column declared before it, or null for the first. */
  after: string | null;
}

const CREATE_TABLE = /^CREATE TABLE IF NOT EXISTS (\w+) \(/;
// A column line: a name (backticked when reserved) and its type; not a key, index or constraint.
const COLUMN_LINE = /^\s+(?!(?:CONSTRAINT|PRIMARY|UNIQUE|INDEX|KEY|FOREIGN|REFERENCES)\b)(`?)(\w+)\1 \S/;

/** Every column of every table in the DDL, in declaration order. */
function declaredColumns(statements: readonly string[]): DeclaredColumn[] {
  const columns: DeclaredColumn[] = [];
  for (const statement of statements) {
    const table = CREATE_TABLE.exec(statement)?.[1];
    if (table === undefined) continue;
    let after: string | null = null;
    for (const line of statement.split('\n').slice(1)) {
      const name = COLUMN_LINE.exec(line)?.[2];
      if (name === undefined) continue;
      columns.push({ table, name, definition: line.trim().replace(/,$/, ''), after });
      after = name;
    }
  }
  return columns;
}

/** MySQL/MariaDB: the column exists already (another process added it a moment ago). */
const ER_DUP_FIELDNAME = 1060;

/**
 * Creates the provider's tables on a MySQL/MariaDB database, skipping those that exist, and adds
 * to existing tables the columns the schema gained since they were created (MySQL 8 has no
 * `ADD COLUMN IF NOT EXISTS`: the columns present are read from `information_schema`). It never
 * drops or changes anything, so it is safe at every start-up, also of several processes at once.
 * A column added later must be nullable or have a default, so that existing rows get a value.
 */
export async function applyMysqlSchema(sql: SQLInterface): Promise<void> {
  if (sql.dialect !== 'mysql') {
    throw new TypeError(`applyMysqlSchema needs a mysql SQLInterface, got ${sql.dialect}: use the Prisma migrations`);
  }
  const statements = await mysqlSchemaStatements();
  for (const statement of statements) await sql.query(statement, []);
  const { rows } = await sql.query<{ table_name: string; column_name: string }>(
    'SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()',
    [],
  );
  // Identifiers compare case-insensitively in MySQL.
  const present = new Set(rows.map((row) => `${row.table_name}.${row.column_name}`.toLowerCase()));
  for (const column of declaredColumns(statements)) {
    if (present.has(`${column.table}.${column.name}`.toLowerCase())) continue;
    const position = column.after === null ? 'FIRST' : `AFTER \`${column.after}\``;
    try {
      await sql.query(`ALTER TABLE ${column.table} ADD COLUMN ${column.definition} ${position}`, []);
    } catch (error) {
      if ((error as { errno?: unknown } | null)?.errno !== ER_DUP_FIELDNAME) throw error;
    }
  }
}
