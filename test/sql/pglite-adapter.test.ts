import { PGlite } from '@electric-sql/pglite';
import test from 'ava';
import { pgliteAdapter } from '../../src/providers/sql/adapters/pglite-adapter.js';

const db = new PGlite();
const sql = pgliteAdapter(db);

test.before(async () => {
  await db.exec("SET TimeZone = 'America/St_Johns'");
  await sql.query('CREATE TABLE moments (id int PRIMARY KEY, at timestamptz(3))', []);
});
test.after.always(() => db.close());

test('a Date parameter round-trips as the same instant', async (t) => {
  const at = new Date('2030-03-31T01:00:00.123Z');
  await sql.query('INSERT INTO moments (id, at) VALUES ($1, $2)', [1, at]);
  const { rows } = await sql.query<{ at: Date; utc: string }>(
    `SELECT at, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS utc FROM moments WHERE id = $1`,
    [1],
  );
  t.deepEqual(rows[0], { at, utc: '2030-03-31 01:00:00.123' });
});

test('rowCount counts the rows a SELECT returned and the rows an UPDATE matched', async (t) => {
  await sql.query('INSERT INTO moments (id) VALUES ($1), ($2)', [10, 11]);
  t.is((await sql.query('SELECT id FROM moments WHERE id IN ($1, $2)', [10, 11])).rowCount, 2);
  t.is((await sql.query('UPDATE moments SET at = NULL WHERE id IN ($1, $2)', [10, 11])).rowCount, 2);
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
