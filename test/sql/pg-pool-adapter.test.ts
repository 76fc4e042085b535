import test from 'ava';
import pg from 'pg';
import { pgPoolAdapter } from '../../src/providers/sql/adapters/pg-pool-adapter.js';
import { provisionPostgres } from '../support/databases.js';

const database = await provisionPostgres({ migrate: false });

if ('skip' in database) {
  console.warn(`[sql/pg-pool-adapter] skipped: ${database.skip}`);
  test.skip('pgPoolAdapter (no PostgreSQL server)', () => {});
} else {
  // The session in a zone with a non-whole-hour offset: timestamptz text then carries `-02:30`/`-03:30`.
  const pool = new pg.Pool({ connectionString: database.url, max: 4, options: '-c TimeZone=America/St_Johns' });
  // Teardown drops the database WITH (FORCE) while ended clients may still be closing their
  // sockets: the server's goodbye to those must not count as a failure of this file.
  pool.on('error', () => {}).on('connect', (client) => client.on('error', () => {}));
  const sql = pgPoolAdapter(pool);

  test.before(async () => {
    await sql.query('CREATE TABLE moments (id int PRIMARY KEY, at timestamptz(3), flag boolean)', []);
  });
  test.after.always(async () => {
    await pool.end();
    await database.close();
  });

  test.serial('timestamptz reads as a Date of the stored instant even when the application parses it as text', async (t) => {
    // Applications commonly keep timestamps as strings; the adapter must not inherit that.
    pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (text: string) => text);
    try {
      const { rows } = await sql.query<{ at: unknown }>("SELECT '2024-02-29 23:59:59.999+00'::timestamptz AS at", []);
      t.true(rows[0]?.at instanceof Date);
      t.is((rows[0]?.at as Date).toISOString(), '2024-02-29T23:59:59.999Z');
    } finally {
      pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ));
    }
  });

  test('a Date parameter is stored as its exact instant', async (t) => {
    const at = new Date('2030-03-31T01:00:00.123Z');
    await sql.query('INSERT INTO moments (id, at) VALUES ($1, $2)', [1, at]);
    const { rows } = await sql.query<{ utc: string }>(
      `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS utc FROM moments WHERE id = $1`,
      [1],
    );
    t.is(rows[0]?.utc, '2030-03-31 01:00:00.123');
  });

  test('booleans and integers read as JS values', async (t) => {
    const { rows } = await sql.query('SELECT true AS yes, 42::int4 AS small, 9007199254740991::int8 AS big', []);
    t.deepEqual(rows[0], { yes: true, small: 42, big: 9007199254740991 });
  });

  test('rowCount of an UPDATE counts the rows it matched', async (t) => {
    await sql.query('INSERT INTO moments (id, flag) VALUES ($1, true), ($2, true), ($3, false)', [10, 11, 12]);
    const { rowCount } = await sql.query('UPDATE moments SET flag = true WHERE id IN ($1, $2, $3)', [10, 11, 12]);
    t.is(rowCount, 3);
  });

  test('a transaction commits when its function resolves', async (t) => {
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO moments (id) VALUES ($1)', [20]);
    });
    t.is((await sql.query('SELECT id FROM moments WHERE id = $1', [20])).rowCount, 1);
  });

  test('a transaction rolls back and rethrows when its function rejects', async (t) => {
    const failure = new Error('boom');
    const error = await t.throwsAsync(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO moments (id) VALUES ($1)', [21]);
        throw failure;
      }),
    );
    t.is(error, failure);
    t.is((await sql.query('SELECT id FROM moments WHERE id = $1', [21])).rowCount, 0);
  });

  test('a transaction runs every statement on one connection', async (t) => {
    const pids = await sql.transaction(async (tx) => {
      const pid = async () => (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', [])).rows[0]?.pid;
      return Promise.all([pid(), pid(), pid()]);
    });
    t.is(new Set(pids).size, 1);
  });

  test('the pool is usable after a transaction whose function rejected', async (t) => {
    for (let i = 0; i < 6; i++) {
      await t.throwsAsync(sql.transaction(async () => Promise.reject(new Error('boom'))));
    }
    t.is((await sql.query<{ one: number }>('SELECT 1 AS one', [])).rows[0]?.one, 1);
  });
}
