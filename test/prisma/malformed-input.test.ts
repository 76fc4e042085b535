/**
 * Input or rows that cannot be right end in a clear error, never in a wider write or a weaker check.
 */
import test from 'ava';
import { randomUUID } from 'node:crypto';
import type { ConsentGrantSelector, TokenSelector } from '../../src/core/index.js';
import { PrismaStorage } from '../../src/providers/prisma/prisma-storage.js';
import { openPrismaTargets } from './support/prisma-targets.js';
import { aClient, aConsentGrant, aToken, randomDigest, T0 } from './support/records.js';

for (const { name, db } of await openPrismaTargets(test)) {
  const storage = new PrismaStorage(db.prisma);

  test(`${name}: a revocation selector that is neither one non-empty key nor a user and a client is refused and revokes nothing`, async (t) => {
    const client = aClient();
    await storage.insertClient(client);
    const token = aToken(client.id, { userId: 'u' });
    await storage.insertTokens([token]);
    const malformed = [
      {},
      { clientId: client.id, familyId: token.familyId },
      { clientId: client.id, userId: '' },
      { clientId: client.id, userId: 'u', familyId: token.familyId },
      { clientId: '' },
      { clientId: undefined },
      { scope: 'x' },
    ];

    for (const selector of malformed) {
      await t.throwsAsync(storage.revokeTokens(selector as unknown as TokenSelector, T0), { instanceOf: TypeError });
    }

    t.is((await storage.findAccessTokens([token.accessTokenHash]))[0]?.revokedAt, null);
  });

  test(`${name}: a consent-grant deletion naming neither a user nor a client is refused and deletes nothing`, async (t) => {
    const client = aClient();
    await storage.insertClient(client);
    const grant = aConsentGrant(client.id);
    await storage.saveConsentGrant(grant);
    const malformed = [{}, { userId: undefined }, { clientId: '' }, { userId: grant.userId, clientId: '' }];

    for (const selector of malformed) {
      await t.throwsAsync(storage.deleteConsentGrants(selector as unknown as ConsentGrantSelector), { instanceOf: TypeError });
    }

    t.deepEqual(await storage.findConsentGrant(grant.userId, client.id), grant);
  });

  test(`${name}: OIDC Core §8 — a client whose stored subject type is unknown is refused, not read as public`, async (t) => {
    const client = aClient();
    await storage.insertClient(client);
    t.teardown(() => storage.deleteClient(client.id));
    // Written behind the storage's back: the storage itself only ever writes public or pairwise.
    await db.prisma.oAuthClient.updateMany({ where: { id: client.id }, data: { subjectType: 'Pairwise' } });

    await t.throwsAsync(storage.findClient(client.id), { message: `client ${client.id} has an unknown subject_type` });
    await t.throwsAsync(storage.listClients(), { message: `client ${client.id} has an unknown subject_type` });
  });

  test(`${name}: an authorization code whose stored PKCE method is unknown is refused, not read as having none`, async (t) => {
    const client = aClient();
    await storage.insertClient(client);
    const codeHash = randomDigest();
    // Written behind the storage's back: the storage itself only ever writes S256, plain or null.
    await db.prisma.oAuthAuthorizationCode.create({
      data: {
        id: randomUUID(),
        codeHash,
        clientId: client.id,
        userId: 'someone',
        codeChallenge: 'abc',
        codeChallengeMethod: 'S512',
        expiresAt: T0,
      },
    });

    await t.throwsAsync(storage.findAuthorizationCode(codeHash), { message: /code_challenge_method/ });
  });

  test(`${name}: a purge limit that is not a non-negative integer is refused`, async (t) => {
    for (const limit of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await t.throwsAsync(storage.purgeExpiredBatch(T0, limit), { instanceOf: RangeError });
    }
  });
}
