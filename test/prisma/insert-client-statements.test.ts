/**
 * Registering a client is one transaction (the port: it exists whole or not at all) holding one
 * INSERT per table that gets rows, counted at the driver adapter.
 */
import test from 'ava';
import { PrismaStorage } from '../../src/providers/prisma/prisma-storage.js';
import { openPrismaTargets } from './support/prisma-targets.js';
import { aClient, T0 } from './support/records.js';

const kind = (sql: string) => sql.trimStart().split(/\s/, 1)[0]!.toUpperCase();

for (const { name, db } of await openPrismaTargets(test)) {
  const storage = new PrismaStorage(db.prisma);
  test.before(() => storage.upsertScopes([{ name: 'profile', description: null }], T0));

  // Serial: the statement log is shared by everything on this client.
  test.serial(`${name}: insertClient sends BEGIN, one INSERT per non-empty table, COMMIT`, async (t) => {
    const client = aClient({ grants: ['password', 'refresh_token'], redirectUris: ['https://a.example/cb', 'https://b.example/cb'], scopes: ['profile'] });
    db.statements.clear();
    await storage.insertClient(client);
    t.deepEqual(db.statements.statements.map(kind), ['BEGIN', 'INSERT', 'INSERT', 'INSERT', 'INSERT', 'COMMIT']);
  });

  test.serial(`${name}: insertClient without grants, redirect URIs or scopes inserts only the client row`, async (t) => {
    const client = aClient({ grants: [], redirectUris: [], scopes: [] });
    db.statements.clear();
    await storage.insertClient(client);
    t.deepEqual(db.statements.statements.map(kind), ['BEGIN', 'INSERT', 'COMMIT']);
  });
}
