import test from 'ava';
import mariadb from 'mariadb';
import { mariadbPoolAdapter } from '../../src/providers/sql/adapters/mariadb-pool-adapter.js';
import { connectionOptions, provisionMariaDb } from '../support/databases.js';

process.env.TZ = 'Pacific/Chatham';

const database = await provisionMariaDb({ migrate: false });

if ('skip' in database) {
  console.warn(`[sql/mariadb-pool-adapter] skipped: ${database.skip}`);
  test.skip('mariadbPoolAdapter (no MariaDB/MySQL server)', () => {});
} else {
  // Pool, session and process each in a different zone, none of them UTC.
  const pool = mariadb.createPool({
    ...connectionOptions(database.url),
    connectionLimit: 4,
    timezone: '-03:30',
    initSql: "SET time_zone = '+05:45'",
  });
  const sql = mariadbPoolAdapter(pool);

  test.before(async () => {
    await sql.query('CREATE TABLE moments (id INT PRIMARY KEY, at DATETIME(3) NULL, flag BOOLEAN NULL) ENGINE=InnoDB', []);
  });
  test.after.always(async () => {
    await pool.end();
    await database.close();
  });

  test('a Date parameter is stored as its UTC wall-clock time', async (t) => {
    await sql.query('INSERT INTO moments (id, at) VALUES (?, ?)', [1, new Date('2030-03-31T01:00:00.123Z')]);
    const { rows } = await sql.query<{ text: string }>('SELECT CAST(at AS CHAR) AS text FROM moments WHERE id = ?', [1]);
    t.is(rows[0]?.text, '2030-03-31 01:00:00.123');
  });

  test('a DATETIME reads as a Date of that wall-clock time in UTC', async (t) => {
    await sql.query("INSERT INTO moments (id, at) VALUES (?, '2024-02-29 23:59:59.999')", [2]);
    const { rows } = await sql.query<{ at: Date }>('SELECT at FROM moments WHERE id = ?', [2]);
    t.is(rows[0]?.at.toISOString(), '2024-02-29T23:59:59.999Z');
  });

  test('BIGINT results read as numbers', async (t) => {
    const { rows } = await sql.query<{ n: unknown }>('SELECT CAST(9007199254740991 AS SIGNED) AS n', []);
    t.is(rows[0]?.n, 9007199254740991);
  });

  test('rows carry no driver metadata', async (t) => {
    const { rows } = await sql.query('SELECT 1 AS one', []);
    t.deepEqual(rows, [{ one: 1 }]);
    t.false(Object.hasOwn(rows, 'meta'));
  });

  test('rowCount of an UPDATE counts the rows it matched, changed or not', async (t) => {
    await sql.query('INSERT INTO moments (id, flag) VALUES (?, TRUE), (?, TRUE), (?, FALSE)', [10, 11, 12]);
    const { rowCount } = await sql.query('UPDATE moments SET flag = TRUE WHERE id IN (?, ?, ?)', [10, 11, 12]);
    t.is(rowCount, 3);
  });

  test('a transaction commits when its function resolves', async (t) => {
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO moments (id) VALUES (?)', [20]);
    });
    t.is((await sql.query('SELECT id FROM moments WHERE id = ?', [20])).rowCount, 1);
  });

  test('a transaction rolls back and rethrows when its function rejects', async (t) => {
    const failure = new Error('boom');
    const error = await t.throwsAsync(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO moments (id) VALUES (?)', [21]);
        throw failure;
      }),
    );
    t.is(error, failure);
    t.is((await sql.query('SELECT id FROM moments WHERE id = ?', [21])).rowCount, 0);
  });

  test('a transaction runs every statement on one connection', async (t) => {
    const ids = await sql.transaction(async (tx) => {
      const id = async () => (await tx.query<{ id: number }>('SELECT CONNECTION_ID() AS id', [])).rows[0]?.id;
      return Promise.all([id(), id(), id()]);
    });
    t.is(new Set(ids).size, 1);
  });
}
