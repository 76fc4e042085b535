import type { OAuthPrismaClient, OAuthPrismaDelegates } from './prisma-client-shape.js';

/** Every model delegate the storage calls, one per model of `prisma/oauth.prisma`. */
const DELEGATES = [
  'oAuthClient',
  'oAuthClientGrant',
  'oAuthClientRedirectUri',
  'oAuthClientScope',
  'oAuthScope',
  'oAuthToken',
  'oAuthAuthorizationCode',
  'oAuthUser',
  'oAuthAttemptCounter',
  'oAuthResource',
  'oAuthClientRegistration',
  'oAuthSigningKey',
  'oAuthSession',
  'oAuthConsentGrant',
] as const satisfies ReadonlyArray<keyof OAuthPrismaDelegates>;

// A delegate added to the shape but not to the list above fails to typecheck here.
type Unlisted = Exclude<keyof OAuthPrismaDelegates, (typeof DELEGATES)[number]>;
const everyDelegateListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyDelegateListed;

/** The client methods the storage calls besides the delegates. */
const CLIENT_METHODS = ['$transaction', '$queryRaw', '$executeRaw'] as const;

/**
 * Throws a `TypeError` naming what `prisma` lacks of {@link OAuthPrismaClient}, and what to do, so
 * that a client generated from a schema without oauth2-kit's models fails when the provider is
 * built — not on the first request, as a "Cannot read properties of undefined" deep in a query.
 * TypeScript catches this at compile time; a cast, `any` or plain JavaScript does not.
 */
export function assertOAuthPrismaClient(prisma: unknown): asserts prisma is OAuthPrismaClient {
  if (typeof prisma !== 'object' || prisma === null) {
    throw new TypeError('OAuthPrismaProvider needs a Prisma client (new PrismaClient({ adapter }) from your generated client)');
  }
  const client = prisma as Record<string, unknown>;
  const missingMethods = CLIENT_METHODS.filter((method) => typeof client[method] !== 'function');
  if (missingMethods.length > 0) {
    throw new TypeError(
      `OAuthPrismaProvider needs a Prisma 7 client; this object has no ${missingMethods.join(', ')}. ` +
        'Pass the PrismaClient generated from your schema (new PrismaClient({ adapter })).',
    );
  }
  const missing = DELEGATES.filter((name) => typeof client[name] !== 'object' || client[name] === null);
  if (missing.length > 0) {
    throw new TypeError(
      `the Prisma client passed to OAuthPrismaProvider has no ${missing.join(', ')}: the schema it was generated from ` +
        "lacks oauth2-kit's models (or has an older copy of them). " +
        "Add oauth2-kit's models to your schema (copy node_modules/oauth2-kit/prisma/oauth.prisma into your schema folder) " +
        'and run `npx prisma generate`.',
    );
  }
}
