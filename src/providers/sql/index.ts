/**
 * `oauth2-kit/sql`: the OAuth provider on raw, parameterised SQL.
 *
 * Database drivers are optional peer dependencies: each adapter only needs the driver it adapts,
 * and this entry point imports none of them at run time.
 */
export { OAuthSqlProvider } from './oauth-sql-provider.js';
export type { SQLInterface, SqlDialectName, SqlQueryResult } from './sql-interface.js';
export { pgPoolAdapter, type PgPoolAdapterOptions } from './adapters/pg-pool-adapter.js';
export { mariadbPoolAdapter, type MariadbPoolAdapterOptions } from './adapters/mariadb-pool-adapter.js';
export { pgliteAdapter } from './adapters/pglite-adapter.js';
export { applyMysqlSchema, mysqlSchemaPath } from './mysql-schema.js';
export type { OAuthProviderOptions } from '../../core/index.js';
export { postgresInvalidationChannel, type PostgresInvalidationChannelOptions } from '../postgres-invalidation-channel.js';
