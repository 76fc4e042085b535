import test from 'ava';
import { PrismaStorage } from '../../src/providers/prisma/prisma-storage.js';
import { runStorageSuite } from '../../src/testing/storage-suite.js';
import { prismaOverPGlite } from './support/prisma-databases.js';

// Zones far from UTC, in the test process (+12:45/+13:45) and in the database session (−3:30/−2:30):
// any local-time conversion on either side would show.
process.env.TZ = 'Pacific/Chatham';

runStorageSuite(test, {
  name: 'prisma/pglite',
  async setup() {
    const db = await prismaOverPGlite({ timeZone: 'America/St_Johns' });
    return {
      storage: new PrismaStorage(db.prisma),
      countQueries: () => db.statements.statements.length,
      close: db.close,
    };
  },
});
