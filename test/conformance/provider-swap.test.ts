/**
 * Swapping providers is a one-line change with no data migration: on one database, what one provider
 * issued the other validates, refreshes and revokes, in both directions.
 */
import test from 'ava';
import type { OAuthProvider } from '../../src/core/index.js';
import { OAuthPrismaProvider } from '../../src/providers/prisma/index.js';
import { OAuthSqlProvider } from '../../src/providers/sql/index.js';
import { createTestClock, Harness, pkcePair, type TokenBody } from '../../src/testing/conformance/harness.js';
import { clientOver } from '../prisma/support/prisma-databases.js';
import { openDatabase, type DatabaseKind } from './support/targets.js';

// Every database is opened before the first test is declared: ava wants declarations synchronous.
const kinds = ['pglite', 'postgres'] as const satisfies readonly DatabaseKind[];
const databases = await Promise.all(kinds.map((kind) => openDatabase(kind)));

for (const [index, kind] of kinds.entries()) {
  const db = databases[index]!;
  if ('skip' in db) {
    console.warn(`[conformance] provider swap on ${kind}: SKIPPED — ${db.skip}`);
    test.skip(`provider swap on ${kind} SKIPPED — ${db.skip}`, () => {});
    continue;
  }
  const { prisma } = clientOver(db.prismaAdapter!());
  test.after.always(async () => {
    await prisma.$disconnect();
    await db.close();
  });

  const clock = createTestClock();
  const harnessOf = (provider: (options: ReturnType<typeof Harness.providerOptions>) => OAuthProvider) =>
    new Harness({ provider: provider(Harness.providerOptions(clock)), close: async () => {} }, clock);
  const sides = {
    sql: harnessOf((options) => new OAuthSqlProvider(db.raw, options)),
    prisma: harnessOf((options) => new OAuthPrismaProvider(prisma, options)),
  };

  for (const [from, to] of [
    ['sql', 'prisma'],
    ['prisma', 'sql'],
  ] as const) {
    const issuer = sides[from];
    const other = sides[to];

    test.serial(`${kind}: a token issued through ${from} validates and refreshes through ${to}`, async (t) => {
      const client = await issuer.registerClient({ scopes: ['read'] });
      const user = await issuer.createUser();
      const issued = await issuer.passwordGrant(client, user, 'read');

      const seen = await other.bearer(issued.access_token, ['read']);
      t.true(seen.ok);
      if (seen.ok) {
        t.is(seen.oauth.client.id, client.id);
        t.is(seen.oauth.user?.id, user.id);
        t.deepEqual(seen.oauth.scope, ['read']);
      }

      const refreshed = await other.refresh(client, issued.refresh_token!);
      t.is(refreshed.status, 200);
      const next = refreshed.body as TokenBody;
      t.true(await issuer.authenticates(next.access_token));
      t.false(await issuer.authenticates(issued.access_token), 'rotation ended the old access token');
    });

    test.serial(`${kind}: RFC 9700 §4.14.2 — a refresh token rotated through ${from} and replayed through ${to} revokes the family`, async (t) => {
      const client = await issuer.registerClient({ scopes: ['read'] });
      const user = await issuer.createUser();
      const first = await issuer.passwordGrant(client, user, 'read');
      const second = (await issuer.refresh(client, first.refresh_token!)).body as TokenBody;

      const replay = await other.refresh(client, first.refresh_token!);
      t.is(replay.status, 400);
      t.false(await issuer.authenticates(second.access_token));
      t.false(await other.authenticates(second.access_token));
    });

    test.serial(`${kind}: RFC 6749 §4.1.2 — a code issued through ${from} is exchanged once through ${to}`, async (t) => {
      const client = await issuer.registerClient({ confidential: false, grants: ['authorization_code', 'refresh_token'] });
      const user = await issuer.createUser();
      const pkce = pkcePair();
      const { code } = await issuer.authorize(client, user, { code_challenge: pkce.challenge, code_challenge_method: 'S256' });

      const exchanged = await other.exchangeCode(client, code, { code_verifier: pkce.verifier });
      t.is(exchanged.status, 200);
      const tokens = exchanged.body as TokenBody;
      t.true(await issuer.authenticates(tokens.access_token));

      const replayed = await issuer.exchangeCode(client, code, { code_verifier: pkce.verifier });
      t.is(replayed.status, 400);
      t.false(await other.authenticates(tokens.access_token), 'a replayed code revokes what it issued');
    });

    test.serial(`${kind}: a client registered through ${from} is managed through ${to}`, async (t) => {
      const client = await issuer.registerClient({ grants: ['client_credentials'] });
      const token = await issuer.clientCredentials(client);
      const rotated = await other.provider.clients.rotateSecret(client.id);
      t.truthy(rotated);
      const refused = await issuer.token({ grant_type: 'client_credentials' }, client);
      t.is(refused.status, 401, 'the old secret stopped working');
      t.true(await other.provider.clients.delete(client.id));
      t.false(await issuer.authenticates(token.access_token));
    });
  }
}
