/**
 * The scope catalogue over Prisma: `oauth_scopes`.
 */
import type { ScopeRecord } from '../../core/index.js';
import type { OAuthPrismaClient } from './prisma-client-shape.js';

/**
 * `upsertScopes`: every scope in one transaction. Prisma turns each `upsert` on a unique key into a
 * single `INSERT … ON CONFLICT DO UPDATE`, so concurrent upserts of one name cannot collide.
 */
export async function upsertScopes(
  prisma: OAuthPrismaClient,
  scopes: Array<{ name: string; description: string | null }>,
  now: Date,
): Promise<void> {
  // One row per name, the last description winning, as if the list were applied in order.
  const byName = new Map(scopes.map((s) => [s.name, s.description] as const));
  if (byName.size === 0) return;
  // Rows are locked in name order so that two overlapping calls cannot deadlock on each other.
  const names = [...byName.keys()].sort();
  await prisma.$transaction(async (tx) => {
    for (const name of names) {
      const description = byName.get(name) ?? null;
      await tx.oAuthScope.upsert({
        where: { name },
        create: { name, description, createdAt: now },
        update: { description },
        select: { name: true },
      });
    }
  });
}

/** `listScopes`: ordered by name. */
export async function listScopes(prisma: OAuthPrismaClient): Promise<ScopeRecord[]> {
  const rows = await prisma.oAuthScope.findMany({ orderBy: { name: 'asc' } });
  return rows.map((row) => ({ name: row.name, description: row.description, createdAt: row.createdAt }));
}

/** `deleteScope`: one DELETE; `ON DELETE CASCADE` removes the scope from every client with it. */
export async function deleteScope(prisma: OAuthPrismaClient, name: string): Promise<boolean> {
  const { count } = await prisma.oAuthScope.deleteMany({ where: { name } });
  return count === 1;
}
