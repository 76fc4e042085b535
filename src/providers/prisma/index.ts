/**
 * `oauth2-kit/prisma`: the OAuth provider on the application's own Prisma 7 client.
 *
 * Nothing here imports a generated client or a driver adapter: the application generates its client
 * from a schema that includes {@link oauthSchemaPath} and passes it in.
 */
export { OAuthPrismaProvider } from './oauth-prisma-provider.js';
export type { OAuthPrismaClient, OAuthPrismaDelegates, PrismaTransactionOptions } from './prisma-client-shape.js';
export { oauthSchemaPath } from './oauth-schema-path.js';
export {
  OAuthPrismaConfigError,
  withOAuthModels,
  type OAuthPrismaConfigOptions,
  type PrismaConfigWithSchema,
  type PrismaSchemaEngineChoice,
} from './oauth-prisma-config.js';
export { preparedStatementName } from './prepared-statements.js';
export {
  FOREIGN_HISTORY,
  migrate,
  MigrationError,
  type MigrateOptions,
  type MigrateResult,
  type MigrationLogEvent,
  type MigrationTarget,
} from './migrate.js';
export type { OAuthProviderOptions } from '../../core/index.js';
export { postgresInvalidationChannel, type PostgresInvalidationChannelOptions } from '../postgres-invalidation-channel.js';
