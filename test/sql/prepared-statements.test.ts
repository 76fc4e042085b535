import test from 'ava';
import pg from 'pg';
import { pgPoolAdapter } from '../../src/providers/sql/adapters/pg-pool-adapter.js';
import { OAuthSqlProvider } from '../../src/providers/sql/oauth-sql-provider.js';
import { SqlStorage } from '../../src/providers/sql/sql-storage.js';
import { aToken } from '../prisma/support/records.js';
import { provisionPostgres } from '../support/databases.js';

const database = await provisionPostgres();

/** The names of the statements prepared on the pool's only connection, as PostgreSQL sees them. */
async function preparedOn(pool: pg.Pool): Promise<Array<{ name: string; statement: string }>> {
  const { rows } = await pool.query<{ name: string; statement: string }>(
    "SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'oauth2kit\\_%' ORDER BY prepare_time",
  );
  return rows;
}

if ('skip' in database) {
  console.warn(`[sql/prepared-statements] skipped: ${database.skip}`);
  test.skip('prepared statements (no PostgreSQL server)', () => {});
} else {
  const url = database.url;
  const pools: pg.Pool[] = [];
  /** One connection, so that what the provider prepared is visible to the next query. */
  function onePool(): pg.Pool {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => {}).on('connect', (client) => client.on('error', () => {}));
    pools.push(pool);
    return pool;
  }
  /**
   * 20 000 rows of `clientId` (ids prefixed with it), analysed: a table with history, on which the
   * planner prefers a plan made for each call's values when it can see them.
   */
  async function seedHistory(pool: pg.Pool, clientId: string): Promise<void> {
    await pool.query(
      `INSERT INTO oauth_tokens (id, access_token_hash, access_token_expires_at, client_id, family_id, expires_at)
       SELECT $1 || n, encode(sha256(convert_to($1 || n, 'UTF8')), 'hex'), now(), $1, $1 || n, now()
       FROM generate_series(1, 20000) AS n`,
      [clientId],
    );
    await pool.query('ANALYZE oauth_tokens');
  }
  test.after.always(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database.close();
  });

  test('the provider prepares its token lookup once per connection and reuses it', async (t) => {
    const pool = onePool();
    const provider = new OAuthSqlProvider(pgPoolAdapter(pool));
    const model = provider.clientModel();
    for (let i = 0; i < 3; i++) t.falsy(await model.getAccessToken(`no-such-token-${i}`));
    // The guard's lookups go through the batch statement, whatever the batch's size.
    const prepared = (await preparedOn(pool)).filter((row) => row.statement.includes('access_token_hash = ANY('));
    t.is(prepared.length, 1);
  });

  test('PostgreSQL plans the token lookup once and reuses the plan, also for batches of one digest', async (t) => {
    const pool = onePool();
    const provider = new OAuthSqlProvider(pgPoolAdapter(pool));
    // A table with history: on a near-empty one the planner prefers the prepared plan anyway.
    await provider.clients.create({ id: 'plan-client', name: 'Plan client', grants: ['client_credentials'] });
    await seedHistory(pool, 'plan-client');
    const model = provider.clientModel();
    // One at a time: each lookup is a batch of one, as on a lightly loaded server.
    for (let i = 0; i < 12; i++) t.falsy(await model.getAccessToken(`no-such-token-${i}`));
    const { rows } = await pool.query<{ generic_plans: string; custom_plans: string }>(
      "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%access_token_hash = ANY(%' AND name LIKE 'oauth2kit\\_%'",
    );
    t.is(rows.length, 1);
    // PostgreSQL plans the first five executions for their parameters, then compares (plancache.c).
    t.deepEqual({ generic: Number(rows[0]!.generic_plans), custom: Number(rows[0]!.custom_plans) }, { generic: 7, custom: 5 });
  });

  test('PostgreSQL plans the refresh-token rotation once and reuses the plan, also for one rotation at a time', async (t) => {
    const pool = onePool();
    const provider = new OAuthSqlProvider(pgPoolAdapter(pool));
    // A table with history: on a near-empty one the planner prefers the prepared plan anyway.
    await provider.clients.create({ id: 'rotation-client', name: 'Rotation client', grants: ['refresh_token'] });
    await seedHistory(pool, 'rotation-client');
    const storage = new SqlStorage(pgPoolAdapter(pool));
    // One at a time, as on a lightly loaded server: each rotation is a batch of one.
    for (let i = 0; i < 12; i++) {
      const old = aToken('rotation-client');
      await storage.insertTokens([old]);
      t.deepEqual(await storage.rotateTokens!([{ rotates: old.id, token: aToken('rotation-client', { familyId: old.familyId }), now: new Date() }]), [true]);
    }
    const { rows } = await pool.query<{ generic_plans: string; custom_plans: string }>(
      "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE 'WITH input AS%claimed AS%' AND name LIKE 'oauth2kit\\_%'",
    );
    t.is(rows.length, 1);
    // PostgreSQL plans the first five executions for their parameters, then compares (plancache.c).
    t.deepEqual({ generic: Number(rows[0]!.generic_plans), custom: Number(rows[0]!.custom_plans) }, { generic: 7, custom: 5 });
  });

  test('a statement keeps its name across connections and processes: it is derived from the text', async (t) => {
    const [first, second] = [onePool(), onePool()];
    for (const pool of [first, second]) await pgPoolAdapter(pool).query('SELECT $1::int AS n', [1]);
    const [a, b] = [await preparedOn(first), await preparedOn(second)];
    t.is(a.length, 1);
    t.deepEqual(a, b);
  });

  test('statements inside a transaction are prepared too', async (t) => {
    const pool = onePool();
    const sql = pgPoolAdapter(pool);
    await sql.transaction(async (tx) => {
      await tx.query('SELECT $1::text AS inside', ['x']);
    });
    t.true((await preparedOn(pool)).some((row) => row.statement.includes('AS inside')));
  });

  test('preparedStatements: false sends every statement unnamed, for poolers that cannot keep them', async (t) => {
    const pool = onePool();
    const sql = pgPoolAdapter(pool, { preparedStatements: false });
    const model = new OAuthSqlProvider(sql).clientModel();
    t.falsy(await model.getAccessToken('no-such-token'));
    await sql.transaction((tx) => tx.query('SELECT $1::text AS inside', ['x']));
    t.deepEqual(await preparedOn(pool), []);
  });
}
