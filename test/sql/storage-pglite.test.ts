import test from 'ava';
import { pgliteAdapter } from '../../src/providers/sql/adapters/pglite-adapter.js';
import { SqlStorage } from '../../src/providers/sql/sql-storage.js';
import { countingSqlInterface } from '../../src/testing/counting-sql-interface.js';
import { runStorageSuite } from '../../src/testing/storage-suite.js';
import { provisionPGlite } from '../support/databases.js';

// A zone far from UTC (+12:45/+13:45) in the test process: any local-time conversion would show.
process.env.TZ = 'Pacific/Chatham';

runStorageSuite(test, {
  name: 'sql/pglite',
  async setup() {
    const database = await provisionPGlite();
    const counting = countingSqlInterface(pgliteAdapter(database.pglite));
    return { storage: new SqlStorage(counting.sql), countQueries: counting.queries, close: database.close };
  },
});
