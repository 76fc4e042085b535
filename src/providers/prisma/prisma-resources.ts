/**
 * Protected resources (RFC 8707) over Prisma: `oauth_resources`.
 */
import type { ResourceRecord } from '../../core/index.js';
import type { OAuthPrismaClient, PrismaResourceRow } from './prisma-client-shape.js';

function toResourceRecord(row: PrismaResourceRow): ResourceRecord {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scope === null ? [] : row.scope.split(' ').filter((scope) => scope !== ''),
    accessTokenLifetime: row.accessTokenLifetime,
    tokenFormat: row.tokenFormat === 'jwt' ? 'jwt' : 'opaque',
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** `findResources`: one SELECT for every id (`IN`); unknown ids are absent. */
export async function findResources(prisma: OAuthPrismaClient, ids: readonly string[]): Promise<ResourceRecord[]> {
  if (ids.length === 0) return [];
  const rows = await prisma.oAuthResource.findMany({ where: { id: { in: [...new Set(ids)] } } });
  // Exact comparison: MySQL's PAD SPACE collations also match an id with trailing spaces.
  const wanted = new Set(ids);
  return rows.filter((row) => wanted.has(row.id)).map(toResourceRecord);
}

/**
 * `saveResource`: Prisma turns an `upsert` on the primary key into one `INSERT … ON CONFLICT DO
 * UPDATE`, so concurrent definitions of one id cannot collide; `createdAt` is only ever inserted.
 */
export async function saveResource(prisma: OAuthPrismaClient, resource: ResourceRecord): Promise<void> {
  const scope = resource.scopes.length === 0 ? null : resource.scopes.join(' ');
  const fields = { name: resource.name, scope, accessTokenLifetime: resource.accessTokenLifetime, tokenFormat: resource.tokenFormat, updatedAt: resource.updatedAt };
  await prisma.oAuthResource.upsert({
    where: { id: resource.id },
    create: { id: resource.id, ...fields, createdAt: resource.createdAt },
    update: fields,
    select: { id: true },
  });
}

/** `deleteResource`: one DELETE; tokens already issued for it keep their audience. */
export async function deleteResource(prisma: OAuthPrismaClient, id: string): Promise<boolean> {
  const { count } = await prisma.oAuthResource.deleteMany({ where: { id } });
  return count === 1;
}

/** `listResources`: ordered by id. */
export async function listResources(prisma: OAuthPrismaClient): Promise<ResourceRecord[]> {
  return (await prisma.oAuthResource.findMany({ orderBy: { id: 'asc' } })).map(toResourceRecord);
}
