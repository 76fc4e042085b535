import type { CacheInvalidationChannel } from '../../core/index.js';

/**
 * The whole of what `OAuthSqlProvider` needs from a database driver. The package ships adapters for
 * `pg`, `mariadb` and PGlite; any other driver takes a few lines (see the built-in adapters).
 */

/** The SQL family the statements are written for. */
export type SqlDialectName = 'postgres' | 'mysql';

/** What one statement returned. */
export interface SqlQueryResult<T> {
  /** Rows of a SELECT (or of a statement with RETURNING); empty for other statements. */
  rows: T[];
  /**
   * Rows inserted, updated or deleted by an INSERT/UPDATE/DELETE; rows returned by a SELECT.
   * For an UPDATE this must count the rows its WHERE clause matched: the provider writes its
   * conditions so that matched and changed rows are the same.
   */
  rowCount: number;
}

/**
 * A database connection (or pool) the SQL provider runs its statements on.
 *
 * Values an adapter must hand back in rows, whatever its driver's defaults:
 * - timestamp columns (`TIMESTAMPTZ`, or `DATETIME` holding UTC on MySQL) as `Date` instances of
 *   the stored instant;
 * - integer columns as `number`;
 * - boolean columns as `boolean`, or `0`/`1` (MySQL has no boolean type);
 * - text columns as `string`, and SQL NULL as `null`.
 *
 * Parameters it receives are `string`, `number`, `boolean`, `null` or `Date`; a `Date` must be
 * stored as its exact UTC instant to the millisecond.
 */
export interface SQLInterface {
  /**
   * Which SQL the provider must speak: `postgres` statements use `$1, $2, …` placeholders,
   * `mysql` statements use `?`.
   */
  readonly dialect: SqlDialectName;

  /**
   * Runs one statement with bound parameters (never interpolated into the SQL text).
   * Rejects with the driver's error, unchanged, so that the provider can recognise constraint
   * violations (PostgreSQL SQLSTATE in `code`, MySQL error number in `errno`).
   */
  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<SqlQueryResult<T>>;

  /**
   * Runs `fn` in one transaction on one connection: commits when the promise it returns resolves,
   * rolls back and rethrows when it rejects. `fn` must send every statement through the `tx` it
   * receives. Calling `transaction` on `tx` runs the inner function in the same transaction.
   */
  transaction<T>(fn: (tx: SQLInterface) => Promise<T>): Promise<T>;

  /**
   * Optional: opens one connection of its own (outside any pool), enters the database and closes
   * it; rejects with the driver's error, unchanged, when it cannot. `provider.check()` calls it
   * first, so that a pool which retries a failing connection until its own timeout and then names
   * no cause cannot hide the cause. `mariadbPoolAdapter` has it when given `connectionConfig`.
   */
  checkConnection?(): Promise<void>;

  /**
   * Optional: a new channel on this database through which processes sharing it tell each other
   * what their in-process caches must forget (PostgreSQL LISTEN/NOTIFY for `pgPoolAdapter`), or
   * null when no other process can reach the database (PGlite). The provider calls it once, and
   * only with a cache on; without it, a `postgres` adapter's caches rely on their `maxAgeMs` bound.
   */
  cacheInvalidationChannel?(): CacheInvalidationChannel | null;
}
