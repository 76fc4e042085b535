/**
 * What each user approved for each client (OIDC Core §3.1.2.4) over Prisma: `oauth_consent_grants`,
 * and the codes issued under it spent when it is withdrawn. Each call is one statement. Rows go
 * with their client (foreign key, cascade).
 */
import { isStorableKey } from '../../core/index.js';
import type { ConsentGrantRecord, ConsentGrantSelector } from '../../core/index.js';
import type { OAuthPrismaClient, PrismaConsentGrantFilter, PrismaConsentGrantRow } from './prisma-client-shape.js';

function toConsentGrantRecord(row: PrismaConsentGrantRow): ConsentGrantRecord {
  return {
    userId: row.userId,
    clientId: row.clientId,
    scope: row.scope,
    audience: row.audience,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The filter of a listing: only the keys given, so `{}` names every grant. */
function listingFilter(selector: Partial<{ userId: string; clientId: string }>): PrismaConsentGrantFilter {
  const filter: PrismaConsentGrantFilter = {};
  if (selector.userId !== undefined) filter.userId = selector.userId;
  if (selector.clientId !== undefined) filter.clientId = selector.clientId;
  return filter;
}

/**
 * The filter of a deletion, which must name a user, a client or both: a selector naming neither
 * would leave the `WHERE` empty and delete every grant, so it fails loudly instead.
 */
function deletionFilter(selector: ConsentGrantSelector): PrismaConsentGrantFilter {
  const filter = listingFilter(selector);
  const values = Object.values(filter);
  if (values.length === 0) throw new TypeError('consent grant selector must name a userId or a clientId');
  for (const value of values) {
    if (typeof value !== 'string' || value === '' || !isStorableKey(value)) throw new TypeError('consent grant selector keys must be non-empty strings');
  }
  return filter;
}

/** `findConsentGrant`: one SELECT by the primary key. */
export async function findConsentGrant(prisma: OAuthPrismaClient, userId: string, clientId: string): Promise<ConsentGrantRecord | null> {
  const row = await prisma.oAuthConsentGrant.findUnique({ where: { userId_clientId: { userId, clientId } } });
  return row === null ? null : toConsentGrantRecord(row);
}

/**
 * `saveConsentGrant`: Prisma turns an `upsert` on the primary key into one `INSERT … ON CONFLICT DO
 * UPDATE`, so concurrent approvals cannot collide; `createdAt` is only ever inserted.
 */
export async function saveConsentGrant(prisma: OAuthPrismaClient, grant: ConsentGrantRecord): Promise<void> {
  await prisma.oAuthConsentGrant.upsert({
    where: { userId_clientId: { userId: grant.userId, clientId: grant.clientId } },
    create: toConsentGrantRecord(grant),
    update: { scope: grant.scope, audience: grant.audience, updatedAt: grant.updatedAt },
    select: { userId: true },
  });
}

/** `deleteConsentGrants`: one DELETE of the grants the selector names. */
export async function deleteConsentGrants(prisma: OAuthPrismaClient, selector: ConsentGrantSelector): Promise<number> {
  const { count } = await prisma.oAuthConsentGrant.deleteMany({ where: deletionFilter(selector) });
  return count;
}

/** `listConsentGrants`: ordered by user, then client. */
export async function listConsentGrants(
  prisma: OAuthPrismaClient,
  selector: Partial<{ userId: string; clientId: string }>,
): Promise<ConsentGrantRecord[]> {
  const rows = await prisma.oAuthConsentGrant.findMany({ where: listingFilter(selector), orderBy: [{ userId: 'asc' }, { clientId: 'asc' }] });
  return rows.map(toConsentGrantRecord);
}

/**
 * `consumeAuthorizationCodes`: one UPDATE spending the user's codes (at the client, when given)
 * that are neither consumed nor expired. The ids must be strings: Prisma drops an undefined key
 * from `where`, and a missing `userId` would spend every user's codes.
 */
export async function consumeAuthorizationCodes(prisma: OAuthPrismaClient, userId: string, clientId: string | undefined, now: Date): Promise<number> {
  if (typeof userId !== 'string' || userId === '' || !isStorableKey(userId)) throw new TypeError('consumeAuthorizationCodes needs a userId');
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === '' || !isStorableKey(clientId))) {
    throw new TypeError('consumeAuthorizationCodes: clientId must be a non-empty string when given');
  }
  const { count } = await prisma.oAuthAuthorizationCode.updateMany({
    where: { userId, ...(clientId === undefined ? {} : { clientId }), consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  return count;
}
