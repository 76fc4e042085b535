import test from 'ava';
import { PrismaStorage } from '../../src/providers/prisma/prisma-storage.js';
import { runStorageSuite } from '../../src/testing/storage-suite.js';
import { prismaOverPostgres } from './support/prisma-databases.js';

// Zones far from UTC, in the test process (+12:45/+13:45) and in the database session (−3:30/−2:30):
// any local-time conversion on either side would show.
process.env.TZ = 'Pacific/Chatham';

const db = await prismaOverPostgres({ timeZone: 'America/St_Johns' });

if ('skip' in db) {
  console.warn(`[prisma/postgres] storage suite skipped: ${db.skip}`);
  test.skip('prisma/postgres: storage suite (no PostgreSQL server)', () => {});
} else {
  runStorageSuite(test, {
    name: 'prisma/postgres',
    async setup() {
      return {
        storage: new PrismaStorage(db.prisma),
        countQueries: () => db.statements.statements.length,
        close: db.close,
      };
    },
  });
}
