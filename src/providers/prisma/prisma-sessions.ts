/**
 * Browsers' sign-in sessions (OIDC Core §3.1.2.3) over Prisma: `oauth_sessions`. Each call is one
 * statement. A session is found by the digest of its cookie's secret, never by the secret.
 */
import { DuplicateError } from '../../core/index.js';
import type { SessionRecord } from '../../core/index.js';
import type { OAuthPrismaClient, PrismaSessionRow } from './prisma-client-shape.js';
import { UNIQUE_VIOLATION, isPrismaError } from './prisma-errors.js';

function toSessionRecord(row: PrismaSessionRow): SessionRecord {
  return {
    id: row.id,
    secretHash: row.secretHash,
    userId: row.userId,
    authTime: row.authTime,
    acr: row.acr,
    amr: row.amr,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
  };
}

/** `insertSession`: one INSERT; a taken id or digest becomes {@link DuplicateError}. */
export async function insertSession(prisma: OAuthPrismaClient, session: SessionRecord): Promise<void> {
  try {
    await prisma.oAuthSession.create({ data: toSessionRecord(session), select: { id: true } });
  } catch (error) {
    if (isPrismaError(error, UNIQUE_VIOLATION)) throw new DuplicateError('session');
    throw error;
  }
}

/** `findSession`: one SELECT by the unique digest; expired sessions included (the core decides). */
export async function findSession(prisma: OAuthPrismaClient, secretHash: string): Promise<SessionRecord | null> {
  const row = await prisma.oAuthSession.findUnique({ where: { secretHash } });
  return row === null ? null : toSessionRecord(row);
}

/** `deleteSession`: one DELETE by id. */
export async function deleteSession(prisma: OAuthPrismaClient, id: string): Promise<boolean> {
  const { count } = await prisma.oAuthSession.deleteMany({ where: { id } });
  return count === 1;
}

/** `deleteUserSessions`: one DELETE of every session of the user. */
export async function deleteUserSessions(prisma: OAuthPrismaClient, userId: string): Promise<number> {
  const { count } = await prisma.oAuthSession.deleteMany({ where: { userId } });
  return count;
}

/** `purgeSessions`: one DELETE of the sessions expired before `now`, off the `expires_at` index. */
export async function purgeSessions(prisma: OAuthPrismaClient, now: Date): Promise<number> {
  const { count } = await prisma.oAuthSession.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
