/**
 * The batch methods of the storage port are one statement each over Prisma, counted at the driver
 * adapter: that one round trip is what batching buys.
 */
import test from 'ava';
import { PrismaStorage } from '../../src/providers/prisma/prisma-storage.js';
import { openPrismaTargets } from './support/prisma-targets.js';
import { aClient, aToken } from './support/records.js';

const kind = (sql: string) => sql.trimStart().split(/\s/, 1)[0]!.toUpperCase();

for (const { name, db } of await openPrismaTargets(test)) {
  const storage = new PrismaStorage(db.prisma);
  const client = aClient({ grants: ['client_credentials'], redirectUris: [], scopes: [] });
  test.before(() => storage.insertClient(client));

  // Serial: the statement log is shared by everything on this client.
  test.serial(`${name}: insertTokens stores many tokens with one INSERT and no transaction around it`, async (t) => {
    const tokens = Array.from({ length: 10 }, () => aToken(client.id));
    db.statements.clear();
    await storage.insertTokens(tokens);
    t.deepEqual(db.statements.statements.map(kind), ['INSERT']);
  });

  test.serial(`${name}: findAccessTokens reads many tokens with one SELECT`, async (t) => {
    const tokens = Array.from({ length: 10 }, () => aToken(client.id));
    await storage.insertTokens(tokens);
    db.statements.clear();
    const found = await storage.findAccessTokens(tokens.map((token) => token.accessTokenHash));
    t.is(found.length, 10);
    t.deepEqual(db.statements.statements.map(kind), ['SELECT']);
  });
}
