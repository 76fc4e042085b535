/**
 * The default user store over Prisma: `oauth_users`.
 */
import { DuplicateError } from '../../core/index.js';
import type { UserRecord } from '../../core/index.js';
import type { OAuthPrismaClient, PrismaUserRow } from './prisma-client-shape.js';
import { UNIQUE_VIOLATION, isPrismaError, violatedConstraintNames } from './prisma-errors.js';

function toUserRecord(row: PrismaUserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.passwordHash,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** `insertUser`: one INSERT; a taken id or username becomes {@link DuplicateError}. */
export async function insertUser(prisma: OAuthPrismaClient, user: UserRecord): Promise<void> {
  try {
    await prisma.oAuthUser.create({ data: toUserRecord(user), select: { id: true } });
  } catch (error) {
    if (!isPrismaError(error, UNIQUE_VIOLATION)) throw error;
    // The constraint is reported as the column (`username`) or the index (`oauth_users_username_key`)
    // depending on the driver adapter; anything else is the primary key.
    const onUsername = violatedConstraintNames(error).some((name) => name.includes('username'));
    throw new DuplicateError(onUsername ? 'username' : 'user');
  }
}

/** `findUserByUsername`: exact, case-sensitive match on the unique column. */
export async function findUserByUsername(prisma: OAuthPrismaClient, username: string): Promise<UserRecord | null> {
  const row = await prisma.oAuthUser.findUnique({ where: { username } });
  return row === null ? null : toUserRecord(row);
}

/** `findUserById`. */
export async function findUserById(prisma: OAuthPrismaClient, id: string): Promise<UserRecord | null> {
  const row = await prisma.oAuthUser.findUnique({ where: { id } });
  return row === null ? null : toUserRecord(row);
}

/** `updateUserPassword`: one UPDATE, conditional on the stored hash when `replacing` is given. */
export async function updateUserPassword(
  prisma: OAuthPrismaClient,
  id: string,
  passwordHash: string,
  updatedAt: Date,
  replacing?: string,
): Promise<boolean> {
  const where = replacing === undefined ? { id } : { id, passwordHash: replacing };
  const { count } = await prisma.oAuthUser.updateMany({ where, data: { passwordHash, updatedAt } });
  return count === 1;
}

/** `deleteUser`: one DELETE. Tokens keep their `user_id` (not a foreign key); the core revoked them first. */
export async function deleteUser(prisma: OAuthPrismaClient, id: string): Promise<boolean> {
  const { count } = await prisma.oAuthUser.deleteMany({ where: { id } });
  return count === 1;
}

/** `listUsers`: ordered by username. */
export async function listUsers(prisma: OAuthPrismaClient): Promise<UserRecord[]> {
  const rows = await prisma.oAuthUser.findMany({ orderBy: { username: 'asc' } });
  return rows.map(toUserRecord);
}
