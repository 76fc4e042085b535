import { OAuthProvider, type OAuthProviderOptions } from '../../core/index.js';
import type { SQLInterface } from './sql-interface.js';
import { SqlStorage } from './sql-storage.js';

/**
 * The OAuth 2.0 authorization server on raw SQL: PostgreSQL (through `pg` or PGlite) or
 * MySQL/MariaDB (through `mariadb`), reached through a {@link SQLInterface} adapter.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { OAuthSqlProvider, pgPoolAdapter } from 'oauth2-kit/sql';
 * const provider = new OAuthSqlProvider(pgPoolAdapter(new pg.Pool({ connectionString })));
 * ```
 */
export class OAuthSqlProvider extends OAuthProvider {
  constructor(sql: SQLInterface, options?: OAuthProviderOptions) {
    super(new SqlStorage(sql), options);
  }
}
