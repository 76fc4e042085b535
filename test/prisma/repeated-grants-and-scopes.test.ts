/**
 * Grants and scopes are sets: a list naming one twice is stored once, not refused as a duplicate
 * client (the child tables' primary keys would otherwise collide).
 */
import test from 'ava';
import { PrismaStorage } from '../../src/providers/prisma/prisma-storage.js';
import { openPrismaTargets } from './support/prisma-targets.js';
import { aClient, T0 } from './support/records.js';

for (const { name, db } of await openPrismaTargets(test)) {
  const storage = new PrismaStorage(db.prisma);
  test.before(() => storage.upsertScopes([{ name: 'email', description: null }], T0));

  test(`${name}: registering a client that repeats a grant or scope stores each once`, async (t) => {
    const client = aClient({ grants: ['password', 'password'], scopes: ['email', 'email'] });
    await storage.insertClient(client);

    const stored = await storage.findClient(client.id);
    t.deepEqual(stored?.grants, ['password']);
    t.deepEqual(stored?.scopes, ['email']);
  });

  test(`${name}: updating a client with a repeated grant or scope stores each once`, async (t) => {
    const client = aClient();
    await storage.insertClient(client);

    const updated = await storage.updateClient(
      client.id,
      { grants: ['client_credentials', 'client_credentials'], scopes: ['email', 'email'] },
      T0,
    );

    t.deepEqual(updated?.grants, ['client_credentials']);
    t.deepEqual(updated?.scopes, ['email']);
  });
}
