/**
 * The keys JWT access tokens (RFC 9068) are signed with, over Prisma: `oauth_signing_keys`. Each
 * call is one statement.
 */
import { DuplicateError } from '../../core/index.js';
import type { SigningKeyRecord } from '../../core/index.js';
import type { OAuthPrismaClient, PrismaSigningKeyRow } from './prisma-client-shape.js';
import { UNIQUE_VIOLATION, isPrismaError } from './prisma-errors.js';

function toSigningKeyRecord(row: PrismaSigningKeyRow): SigningKeyRecord {
  return {
    id: row.id,
    alg: row.alg,
    publicJwk: row.publicJwk,
    privateKeyEncrypted: row.privateKeyEncrypted,
    activatesAt: row.activatesAt,
    retiresAt: row.retiresAt,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
  };
}

/** `listSigningKeys`: the keys still published at `now`, in the order they sign. */
export async function listSigningKeys(prisma: OAuthPrismaClient, now: Date): Promise<SigningKeyRecord[]> {
  const rows = await prisma.oAuthSigningKey.findMany({
    where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: [{ activatesAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map(toSigningKeyRecord);
}

/** `insertSigningKey`: one INSERT; a taken id becomes {@link DuplicateError}. */
export async function insertSigningKey(prisma: OAuthPrismaClient, key: SigningKeyRecord): Promise<void> {
  try {
    await prisma.oAuthSigningKey.create({ data: toSigningKeyRecord(key), select: { id: true } });
  } catch (error) {
    if (isPrismaError(error, UNIQUE_VIOLATION)) throw new DuplicateError('signing key');
    throw error;
  }
}

/** `retireSigningKeys`: one UPDATE of every key activated before `activatesBefore` and not retired yet. */
export async function retireSigningKeys(prisma: OAuthPrismaClient, activatesBefore: Date, retiresAt: Date, expiresAt: Date): Promise<number> {
  const { count } = await prisma.oAuthSigningKey.updateMany({
    where: { activatesAt: { lt: activatesBefore }, retiresAt: null },
    data: { retiresAt, expiresAt },
  });
  return count;
}

/** `retireSigningKeyById`: one UPDATE of the key `id`, if not retired yet. */
export async function retireSigningKeyById(prisma: OAuthPrismaClient, id: string, retiresAt: Date, expiresAt: Date): Promise<boolean> {
  const { count } = await prisma.oAuthSigningKey.updateMany({ where: { id, retiresAt: null }, data: { retiresAt, expiresAt } });
  return count === 1;
}

/** `purgeSigningKeys`: one DELETE of the keys that left the JWKS before `now`. */
export async function purgeSigningKeys(prisma: OAuthPrismaClient, now: Date): Promise<number> {
  const { count } = await prisma.oAuthSigningKey.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
