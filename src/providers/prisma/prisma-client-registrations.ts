/**
 * Client registrations over Prisma: `oauth_client_registrations`, beside the clients that
 * registered themselves (RFC 7591) or are known by their Client ID Metadata Document.
 */
import type { ClientRegistrationKind, ClientRegistrationRecord } from '../../core/index.js';
import type { OAuthPrismaClient, PrismaClientRegistrationRow, PrismaUnusedRegistrationFilter } from './prisma-client-shape.js';

function toClientRegistrationRecord(row: PrismaClientRegistrationRow): ClientRegistrationRecord {
  if (row.kind !== 'dynamic' && row.kind !== 'metadata_document') {
    throw new TypeError(`oauth_client_registrations.kind: unknown registration kind ${JSON.stringify(row.kind)}`);
  }
  return { ...row, kind: row.kind };
}

/** `findClientRegistration`: one SELECT by primary key. */
export async function findClientRegistration(prisma: OAuthPrismaClient, clientId: string): Promise<ClientRegistrationRecord | null> {
  const row = await prisma.oAuthClientRegistration.findUnique({ where: { clientId } });
  return row === null ? null : toClientRegistrationRecord(row);
}

/**
 * `saveClientRegistration`: Prisma turns an `upsert` on the primary key into one `INSERT … ON
 * CONFLICT DO UPDATE`; `createdAt` is only ever inserted. `lastUsedAt` is inserted but never
 * replaced there, since an update cannot take the later of two values: a non-null one is then set
 * by the compare-and-set of {@link touchClientRegistration}, which only moves it forward.
 */
export async function saveClientRegistration(prisma: OAuthPrismaClient, registration: ClientRegistrationRecord): Promise<void> {
  const { clientId, createdAt, lastUsedAt, ...fields } = registration;
  await prisma.oAuthClientRegistration.upsert({
    where: { clientId },
    create: { clientId, ...fields, lastUsedAt, createdAt },
    update: fields,
    select: { clientId: true },
  });
  if (lastUsedAt !== null) await touchClientRegistration(prisma, clientId, lastUsedAt, lastUsedAt);
}

/** `touchClientRegistration`: one conditional UPDATE, so that a client used all day costs one write. */
export async function touchClientRegistration(prisma: OAuthPrismaClient, clientId: string, now: Date, before: Date): Promise<boolean> {
  const { count } = await prisma.oAuthClientRegistration.updateMany({
    where: { clientId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: before } }] },
    data: { lastUsedAt: now },
  });
  return count === 1;
}

/**
 * `purgeUnusedClients`. Prisma's `deleteMany` takes no `take`: at most `limit` unused
 * registrations are selected, then their clients deleted (the registration, tokens and codes go
 * with them, ON DELETE CASCADE). The DELETE checks the registration again, so that a client
 * issued a token between the two statements is kept.
 */
export async function purgeUnusedClients(
  prisma: OAuthPrismaClient,
  kind: ClientRegistrationKind,
  before: Date,
  limit: number,
): Promise<number> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`purge limit must be a positive integer, got ${limit}`);
  const unused: PrismaUnusedRegistrationFilter = {
    kind,
    OR: [{ lastUsedAt: { lt: before } }, { lastUsedAt: null, createdAt: { lt: before } }],
  };
  const batch = await prisma.oAuthClientRegistration.findMany({ where: unused, select: { clientId: true }, take: limit });
  if (batch.length === 0) return 0;
  const { count } = await prisma.oAuthClient.deleteMany({
    where: { id: { in: batch.map((row) => row.clientId) }, registration: { is: unused } },
  });
  return count;
}
