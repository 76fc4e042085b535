import type { ConnectionConfig, FieldInfo, Pool, PoolConnection, QueryOptions, TypeCastNextFunction, TypeCastResult } from 'mariadb';
import type { SQLInterface, SqlQueryResult } from '../sql-interface.js';
import { formatUtcDatetime, parseUtcDatetime } from './mysql-datetime.js';

function typeCast(field: FieldInfo, next: TypeCastNextFunction): TypeCastResult {
  if (field.type === 'DATETIME') {
    const text = field.string();
    return text === null ? null : parseUtcDatetime(text);
  }
  return next();
}

// Set on every statement so that the pool's own options (named placeholders, rows as arrays,
// BigInt results, time zone) cannot change what the provider sends or reads.
const statementOptions: Omit<QueryOptions, 'sql'> = {
  typeCast,
  namedPlaceholders: false,
  rowsAsArray: false,
  nestTables: false,
  metaAsArray: false,
  bigIntAsNumber: true,
  insertIdAsNumber: true,
  checkNumberRange: true,
};

function mysqlParam(value: unknown): unknown {
  return value instanceof Date ? formatUtcDatetime(value) : value;
}

type Queryable = Pick<Pool | PoolConnection, 'query'>;

async function run<T>(target: Queryable, sql: string, params: readonly unknown[]): Promise<SqlQueryResult<T>> {
  const result: unknown = await target.query({ ...statementOptions, sql }, params.map(mysqlParam));
  if (Array.isArray(result)) {
    const rows = [...result] as T[]; // drops the non-enumerable `meta`
    return { rows, rowCount: rows.length };
  }
  return { rows: [], rowCount: Number((result as { affectedRows?: number | bigint }).affectedRows ?? 0) };
}

function connectionInterface(connection: PoolConnection): SQLInterface {
  const tx: SQLInterface = {
    dialect: 'mysql',
    query: (sql, params) => run(connection, sql, params),
    transaction: (fn) => fn(tx),
  };
  return tx;
}

/** Options of {@link mariadbPoolAdapter}. */
export interface MariadbPoolAdapterOptions {
  /**
   * The options the pool was created with (host, port, user, password, database…), or its
   * `mariadb://` URL. With them, `provider.check()` first opens one connection of its own and
   * reports the server's reason at once — connection refused, unknown host, wrong password, unknown
   * database — where the pool retries until its `acquireTimeout` (10 s by default) and then says
   * only "pool failed to retrieve a connection from pool". Nothing but the check uses them.
   */
  connectionConfig?: ConnectionConfig | string;
}

/**
 * Adapts a `mariadb` connection pool (MariaDB Connector/Node.js 3) to {@link SQLInterface}, for
 * MariaDB and MySQL servers.
 *
 * - Timestamps: `Date` parameters are written as their UTC wall-clock time and `DATETIME` columns
 *   read back as UTC, on every statement, so a `Date` round-trips exactly to the millisecond
 *   whatever the pool's `timezone` option or the server's time zone.
 * - `rowCount` of an UPDATE is the connector's `affectedRows`, which counts matched rows as long as
 *   the pool keeps the connector's default `foundRows: true`: keep it.
 * - BIGINT results come back as `number` (and throw beyond 2^53 rather than lose precision).
 * - The server must run in strict mode (`STRICT_TRANS_TABLES`, the default since MariaDB 10.2.4
 *   and MySQL 5.7), so that an over-long value is an error and never a silently truncated row.
 *
 * A transaction checks out one connection for its whole length; a connection whose ROLLBACK
 * failed is destroyed rather than returned to the pool.
 *
 * Pass the pool's own options as `connectionConfig` so that `provider.check()` names why the
 * database cannot be reached within a second or two instead of after the pool's acquire timeout:
 *
 * ```ts
 * const config = { host: 'db', user: 'oauth', password, database: 'oauth' };
 * const provider = new OAuthSqlProvider(mariadbPoolAdapter(mariadb.createPool(config), { connectionConfig: config }));
 * await provider.check();
 * ```
 */
export function mariadbPoolAdapter(pool: Pool, options: MariadbPoolAdapterOptions = {}): SQLInterface {
  const { connectionConfig } = options;
  return {
    dialect: 'mysql',
    ...(connectionConfig === undefined ? {} : { checkConnection: () => checkConnection(connectionConfig) }),
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const connection = await pool.getConnection();
      let broken = false;
      try {
        await connection.beginTransaction();
        const result = await fn(connectionInterface(connection));
        await connection.commit();
        return result;
      } catch (error) {
        try {
          await connection.rollback();
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        if (broken) connection.destroy();
        else await connection.release();
      }
    },
  };
}

/** One connection outside the pool: it fails at once with the server's reason, where the pool retries. */
async function checkConnection(config: ConnectionConfig | string): Promise<void> {
  // Loaded here, not at the top: importing oauth2-kit/sql must not need the driver.
  const { createConnection } = await import('mariadb');
  const connection = await createConnection(config);
  await connection.end();
}
