import test from 'ava';
import mariadb from 'mariadb';
import { mariadbPoolAdapter } from '../../src/providers/sql/adapters/mariadb-pool-adapter.js';
import { SqlStorage } from '../../src/providers/sql/sql-storage.js';
import { countingSqlInterface } from '../../src/testing/counting-sql-interface.js';
import { runStorageSuite } from '../../src/testing/storage-suite.js';
import { connectionOptions, provisionMariaDb } from '../support/databases.js';

// A zone far from UTC (+12:45/+13:45) in the test process: any local-time conversion would show.
process.env.TZ = 'Pacific/Chatham';

const database = await provisionMariaDb();

if ('skip' in database) {
  console.warn(`[sql/mariadb] storage suite skipped: ${database.skip}`);
  test.skip('sql/mariadb: storage suite (no MariaDB/MySQL server)', () => {});
} else {
  runStorageSuite(test, {
    name: 'sql/mariadb',
    async setup() {
      // Driver and session in other zones too: the adapter must not depend on either.
      const pool = mariadb.createPool({
        ...connectionOptions(database.url),
        connectionLimit: 8,
        timezone: '-03:30',
        initSql: "SET time_zone = '+05:45'",
      });
      const counting = countingSqlInterface(mariadbPoolAdapter(pool));
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
