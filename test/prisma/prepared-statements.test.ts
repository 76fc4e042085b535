import test from 'ava';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/prisma/client.js';
import { OAuthPrismaProvider, preparedStatementName } from '../../src/providers/prisma/index.js';
import { provisionPostgres } from '../support/databases.js';

const database = await provisionPostgres();

if ('skip' in database) {
  console.warn(`[prisma/prepared-statements] skipped: ${database.skip}`);
  test.skip('prepared statements over Prisma (no PostgreSQL server)', () => {});
} else {
  const url = database.url;
  const clients: PrismaClient[] = [];
  /** A client on one connection, so that what it prepared is visible to its next query. */
  function clientWith(options: ConstructorParameters<typeof PrismaPg>[1]): PrismaClient {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 1 }, options) });
    clients.push(prisma);
    return prisma;
  }
  async function preparedLookups(prisma: PrismaClient): Promise<number> {
    const rows = await prisma.$queryRawUnsafe<Array<{ name: string }>>(
      "SELECT name FROM pg_prepared_statements WHERE statement LIKE '%FROM oauth_tokens%access_token_hash = ANY(%' AND statement NOT LIKE '%pg_prepared_statements%'",
    );
    return rows.length;
  }
  test.after.always(async () => {
    await Promise.all(clients.map((prisma) => prisma.$disconnect()));
    await database.close();
  });

  test('with preparedStatementName the token lookup is prepared once per connection and reused', async (t) => {
    const prisma = clientWith({ statementNameGenerator: preparedStatementName });
    const model = new OAuthPrismaProvider(prisma).clientModel();
    for (let i = 0; i < 3; i++) t.falsy(await model.getAccessToken(`no-such-token-${i}`));
    t.is(await preparedLookups(prisma), 1);
  });

  test('PostgreSQL plans the token lookup once and reuses the plan, also for batches of one digest', async (t) => {
    const prisma = clientWith({ statementNameGenerator: preparedStatementName });
    const provider = new OAuthPrismaProvider(prisma);
    // A table with history: on a near-empty one the planner prefers the prepared plan anyway.
    await provider.clients.create({ id: 'plan-client', name: 'Plan client', grants: ['client_credentials'] });
    await prisma.$executeRawUnsafe(
      `INSERT INTO oauth_tokens (id, access_token_hash, access_token_expires_at, client_id, family_id, expires_at)
       SELECT 'plan-' || n, encode(sha256(convert_to('plan-' || n, 'UTF8')), 'hex'), now(), 'plan-client', 'plan-' || n, now()
       FROM generate_series(1, 20000) AS n`,
    );
    await prisma.$executeRawUnsafe('ANALYZE oauth_tokens');
    const model = provider.clientModel();
    // One at a time: each lookup is a batch of one, as on a lightly loaded server.
    for (let i = 0; i < 12; i++) t.falsy(await model.getAccessToken(`no-such-token-${i}`));
    const rows = await prisma.$queryRawUnsafe<Array<{ generic_plans: bigint; custom_plans: bigint }>>(
      "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%FROM oauth_tokens%access_token_hash = ANY(%' AND statement NOT LIKE '%pg_prepared_statements%'",
    );
    t.is(rows.length, 1);
    // PostgreSQL plans the first five executions for their parameters, then compares (plancache.c).
    t.deepEqual({ generic: Number(rows[0]!.generic_plans), custom: Number(rows[0]!.custom_plans) }, { generic: 7, custom: 5 });
  });

  test('without it the adapter sends the lookup unnamed', async (t) => {
    const prisma = clientWith({});
    const model = new OAuthPrismaProvider(prisma).clientModel();
    t.falsy(await model.getAccessToken('no-such-token'));
    t.is(await preparedLookups(prisma), 0);
  });
}
