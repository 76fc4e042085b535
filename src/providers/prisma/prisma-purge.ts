/**
 * Housekeeping over Prisma: removing expired tokens and authorization codes in bounded batches.
 */
import type { OAuthPrismaClient } from './prisma-client-shape.js';

/**
 * `purgeExpiredBatch`. Prisma's `deleteMany` takes no `take`, so each table is purged by selecting at
 * most `limit` expired ids (oldest first, off the `expires_at` index) and deleting exactly those: two
 * short statements per table, none holding locks beyond its own rows. Outside any transaction on
 * purpose: rows never un-expire, so a row selected here is still purgeable when deleted, and a
 * concurrent purge deleting it first only lowers the count.
 */
export async function purgeExpiredBatch(
  prisma: OAuthPrismaClient,
  now: Date,
  limit: number,
): Promise<{ tokens: number; codes: number }> {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError('purge limit must be a non-negative integer');
  if (limit === 0) return { tokens: 0, codes: 0 };
  const batch = { where: { expiresAt: { lt: now } }, select: { id: true }, orderBy: { expiresAt: 'asc' }, take: limit } as const;

  const expiredTokens = await prisma.oAuthToken.findMany(batch);
  const tokens =
    expiredTokens.length === 0
      ? 0
      : (await prisma.oAuthToken.deleteMany({ where: { id: { in: expiredTokens.map((t) => t.id) } } })).count;

  const expiredCodes = await prisma.oAuthAuthorizationCode.findMany(batch);
  const codes =
    expiredCodes.length === 0
      ? 0
      : (await prisma.oAuthAuthorizationCode.deleteMany({ where: { id: { in: expiredCodes.map((c) => c.id) } } })).count;

  return { tokens, codes };
}
