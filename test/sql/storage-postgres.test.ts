import test from 'ava';
import pg from 'pg';
import { pgPoolAdapter } from '../../src/providers/sql/adapters/pg-pool-adapter.js';
import { SqlStorage } from '../../src/providers/sql/sql-storage.js';
import { countingSqlInterface } from '../../src/testing/counting-sql-interface.js';
import { runStorageSuite } from '../../src/testing/storage-suite.js';
import { provisionPostgres } from '../support/databases.js';

// A zone far from UTC (+12:45/+13:45) in the test process: any local-time conversion would show.
process.env.TZ = 'Pacific/Chatham';

const database = await provisionPostgres();

if ('skip' in database) {
  console.warn(`[sql/postgres] storage suite skipped: ${database.skip}`);
  test.skip('sql/postgres: storage suite (no PostgreSQL server)', () => {});
} else {
  runStorageSuite(test, {
    name: 'sql/postgres',
    async setup() {
      // The session in another zone too: timestamptz output then carries a non-zero offset.
      const pool = new pg.Pool({ connectionString: database.url, max: 8, options: '-c TimeZone=America/St_Johns' });
      // Teardown drops the database WITH (FORCE) while ended clients may still be closing their
      // sockets: the server's goodbye to those must not count as a failure of this file.
      pool.on('error', () => {}).on('connect', (client) => client.on('error', () => {}));
      const counting = countingSqlInterface(pgPoolAdapter(pool));
      return {
        storage: new SqlStorage(counting.sql),
        countQueries: counting.queries,
        async close() {
          await pool.end();
          await database.close();
        },
      };
    },
  });
}
