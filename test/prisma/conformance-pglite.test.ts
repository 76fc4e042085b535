/**
 * The provider conformance suite (`oauth2-kit/testing`) on `OAuthPrismaProvider` over PGlite: the
 * OAuth behaviour every provider must show, and its storage round-trip budget.
 */
import test from 'ava';
import { OAuthPrismaProvider } from '../../src/providers/prisma/index.js';
import { runConformanceSuite } from '../../src/testing/index.js';
import { prismaOverPGlite } from './support/prisma-databases.js';

// One database for the run, emptied before each test (a PGlite per test would dominate the run time).
const db = await prismaOverPGlite();
test.after.always(() => db.close());

const TABLE_NAMES = [
  'oauth_clients',
  'oauth_client_grants',
  'oauth_client_redirect_uris',
  'oauth_scopes',
  'oauth_client_scopes',
  'oauth_users',
  'oauth_tokens',
  'oauth_authorization_codes',
];
const TABLES = TABLE_NAMES.join(', ');

/** Every value of every row, for the suite's "no usable credential at rest" check. */
async function dumpAllRows(): Promise<string[]> {
  const values: string[] = [];
  for (const table of TABLE_NAMES) {
    const rows = await db.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(`SELECT * FROM ${table}`);
    for (const row of rows) for (const value of Object.values(row)) if (value !== null) values.push(String(value));
  }
  return values;
}

runConformanceSuite(test.serial, {
  name: 'prisma/pglite',
  async setup(options) {
    await db.prisma.$executeRawUnsafe(`TRUNCATE ${TABLES}`);
    db.statements.clear();
    return {
      provider: new OAuthPrismaProvider(db.prisma, options),
      close: async () => {},
      countQueries: () => db.statements.statements.length,
      resetQueryCount: () => db.statements.clear(),
      dumpAllRows,
    };
  },
});
