/**
 * Authorization codes over Prisma: `oauth_authorization_codes`.
 */
import type { AuthorizationCodeRecord } from '../../core/index.js';
import type { OAuthPrismaClient, PrismaAuthorizationCodeRow } from './prisma-client-shape.js';

/**
 * The stored PKCE method, checked: RFC 7636 §4.3 knows only `S256` and `plain`. Any other value can
 * only come from a damaged row, and reading it as "no method" would let the code through without its
 * challenge, so the lookup fails instead.
 */
function challengeMethod(row: PrismaAuthorizationCodeRow): AuthorizationCodeRecord['codeChallengeMethod'] {
  const method = row.codeChallengeMethod;
  if (method === null || method === 'S256' || method === 'plain') return method;
  throw new Error(`authorization code ${row.id} has an unknown code_challenge_method`);
}

function toAuthorizationCodeRecord(row: PrismaAuthorizationCodeRow): AuthorizationCodeRecord {
  return {
    id: row.id,
    codeHash: row.codeHash,
    clientId: row.clientId,
    userId: row.userId,
    redirectUri: row.redirectUri,
    scope: row.scope,
    audience: row.audience,
    codeChallenge: row.codeChallenge,
    codeChallengeMethod: challengeMethod(row),
    nonce: row.nonce,
    authTime: row.authTime,
    acr: row.acr,
    amr: row.amr,
    expiresAt: row.expiresAt,
    consumedAt: row.consumedAt,
    createdAt: row.createdAt,
  };
}

/** `insertAuthorizationCode`: one INSERT. */
export async function insertAuthorizationCode(prisma: OAuthPrismaClient, code: AuthorizationCodeRecord): Promise<void> {
  await prisma.oAuthAuthorizationCode.create({
    data: {
      id: code.id,
      codeHash: code.codeHash,
      clientId: code.clientId,
      userId: code.userId,
      redirectUri: code.redirectUri,
      scope: code.scope,
      audience: code.audience,
      codeChallenge: code.codeChallenge,
      codeChallengeMethod: code.codeChallengeMethod,
      nonce: code.nonce,
      authTime: code.authTime,
      acr: code.acr,
      amr: code.amr,
      expiresAt: code.expiresAt,
      consumedAt: code.consumedAt,
      createdAt: code.createdAt,
    },
    select: { id: true },
  });
}

/** `findAuthorizationCode`: one SELECT by the unique hash; consumed and expired codes included. */
export async function findAuthorizationCode(
  prisma: OAuthPrismaClient,
  codeHash: string,
): Promise<AuthorizationCodeRecord | null> {
  const row = await prisma.oAuthAuthorizationCode.findUnique({ where: { codeHash } });
  return row === null ? null : toAuthorizationCodeRecord(row);
}

/**
 * `consumeAuthorizationCode`: one conditional UPDATE (compare-and-set on `consumed_at IS NULL`), so
 * a code is exchanged once however many requests race (RFC 6749 §4.1.2).
 */
export async function consumeAuthorizationCode(prisma: OAuthPrismaClient, id: string, now: Date): Promise<boolean> {
  const { count } = await prisma.oAuthAuthorizationCode.updateMany({
    where: { id, consumedAt: null },
    data: { consumedAt: now },
  });
  return count === 1;
}
