import { OAuthProvider, type OAuthProviderOptions } from '../../core/index.js';
import { assertOAuthPrismaClient } from './prisma-client-check.js';
import type { OAuthPrismaClient } from './prisma-client-shape.js';
import { PrismaStorage } from './prisma-storage.js';

/**
 * The OAuth 2.0 authorization server on your Prisma 7 client.
 *
 * Your Prisma schema folder must include the shipped `oauth.prisma` fragment (its path is
 * `oauthSchemaPath`); pass the client you generate from it as it is. Prisma 7 reaches the database
 * through a driver adapter of your choice:
 *
 * @example PostgreSQL, through `@prisma/adapter-pg`
 * ```ts
 * import { PrismaPg } from '@prisma/adapter-pg';
 * import { PrismaClient } from './generated/prisma/client.js';
 * import { OAuthPrismaProvider, migrate } from 'oauth2-kit/prisma';
 *
 * await migrate({ connectionString: process.env.DATABASE_URL! });
 * const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });
 * const provider = new OAuthPrismaProvider(prisma);
 * ```
 *
 * @example Embedded PGlite (no server: in memory, or on disk with a data directory), through `pglite-prisma-adapter`
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { PrismaPGlite } from 'pglite-prisma-adapter';
 * import { PrismaClient } from './generated/prisma/client.js';
 * import { OAuthPrismaProvider, migrate } from 'oauth2-kit/prisma';
 *
 * const pglite = await PGlite.create('./.data/oauth');
 * await migrate({ pglite });
 * const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
 * const provider = new OAuthPrismaProvider(prisma);
 * ```
 *
 * Three things about the client you pass:
 * - The `relationJoins` preview feature in its generator (`previewFeatures = ["relationJoins"]`)
 *   makes listing clients one statement instead of one per relation (four). Token requests do not
 *   depend on it: the client read they make is one raw SQL statement.
 * - The client read, the token lookups and the token inserts are raw SQL over the
 *   fragment's table names, unqualified (PostgreSQL, as the fragment is): keep the tables on the
 *   connection's `search_path` (the default `public` schema is; for another schema, set it, e.g.
 *   `options: '-c search_path=auth'` in the `PrismaPg` pool configuration).
 * - Multi-table writes (client registration and updates, scope upserts) are interactive
 *   transactions and obey the client's `transactionOptions` (Prisma's defaults: 2 s to get a
 *   connection, 5 s to finish); raise them if your pool is often exhausted.
 */
export class OAuthPrismaProvider extends OAuthProvider {
  /**
   * @throws TypeError naming the missing delegates (`oAuthClient`, …) when the client was generated
   *   from a schema without oauth2-kit's models, and what to do about it.
   */
  constructor(prisma: OAuthPrismaClient, options?: OAuthProviderOptions) {
    assertOAuthPrismaClient(prisma);
    super(new PrismaStorage(prisma), options);
  }
}
