import test from 'ava';
import mariadb from 'mariadb';
import { mariadbPoolAdapter } from '../../src/providers/sql/adapters/mariadb-pool-adapter.js';
import { pgliteAdapter } from '../../src/providers/sql/adapters/pglite-adapter.js';
import { applyMysqlSchema } from '../../src/providers/sql/mysql-schema.js';
import type { SQLInterface } from '../../src/providers/sql/sql-interface.js';
import { connectionOptions, provisionMariaDb, provisionPGlite } from '../support/databases.js';

const database = await provisionMariaDb({ migrate: false });

/** Every column as `table.column type-family nullability`, from information_schema. */
async function columns(sql: SQLInterface, schemaFilter: string): Promise<string[]> {
  const { rows } = await sql.query<{ table_name: string; column_name: string; is_nullable: string }>(
    `SELECT table_name AS table_name, column_name AS column_name, is_nullable AS is_nullable
       FROM information_schema.columns WHERE table_schema = ${schemaFilter} AND table_name LIKE 'oauth%'`,
    [],
  );
  return rows.map((r) => `${r.table_name}.${r.column_name} ${r.is_nullable}`).sort();
}

/** Every index and foreign key name (primary keys excepted: MySQL names them all PRIMARY). */
async function constraintNames(sql: SQLInterface): Promise<string[]> {
  const indexQuery =
    sql.dialect === 'mysql'
      ? "SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY'"
      : "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'";
  const foreignKeyQuery =
    "SELECT constraint_name AS name FROM information_schema.referential_constraints WHERE delete_rule = 'CASCADE' AND " +
    (sql.dialect === 'mysql' ? 'constraint_schema = DATABASE()' : "constraint_schema = 'public'");
  const names = [...(await sql.query<{ name: string }>(indexQuery, [])).rows, ...(await sql.query<{ name: string }>(foreignKeyQuery, [])).rows];
  // MySQL also indexes each foreign key's column; those indexes carry the constraint's name.
  return [...new Set(names.map((r) => r.name))].sort();
}

if ('skip' in database) {
  console.warn(`[sql/mysql-schema] skipped: ${database.skip}`);
  test.skip('applyMysqlSchema (no MariaDB/MySQL server)', () => {});
} else {
  const pool = mariadb.createPool({ ...connectionOptions(database.url), connectionLimit: 2 });
  const mysql = mariadbPoolAdapter(pool);
  test.after.always(async () => {
    await pool.end();
    await database.close();
  });

  test.serial('applyMysqlSchema creates the tables, and running it again changes nothing', async (t) => {
    await applyMysqlSchema(mysql);
    const first = await columns(mysql, 'DATABASE()');
    await applyMysqlSchema(mysql);
    t.deepEqual(await columns(mysql, 'DATABASE()'), first);
    t.is(new Set(first.map((c) => c.split('.')[0])).size, 8);
  });

  test.serial('the MySQL schema has the columns, nullability, indexes and cascading keys of the PostgreSQL migration', async (t) => {
    const pg = await provisionPGlite();
    try {
      const postgres = pgliteAdapter(pg.pglite);
      t.deepEqual(await columns(mysql, 'DATABASE()'), await columns(postgres, "'public'"));
      const mysqlNames = await constraintNames(mysql);
      const postgresNames = await constraintNames(postgres);
      t.deepEqual(postgresNames.filter((name) => !mysqlNames.includes(name)), []);
      t.true(postgresNames.length > 10);
    } finally {
      await pg.close();
    }
  });
}

test('applyMysqlSchema refuses a PostgreSQL connection', async (t) => {
  const pg = await provisionPGlite();
  try {
    await t.throwsAsync(applyMysqlSchema(pgliteAdapter(pg.pglite)), { instanceOf: TypeError });
  } finally {
    await pg.close();
  }
});
