import type { CustomTypesConfig, Pool, PoolClient, QueryResult } from 'pg';
import type { SQLInterface, SqlQueryResult } from '../sql-interface.js';
import { postgresParam, postgresTextParser } from './postgres-values.js';
import { preparedStatementName } from '../../prepared-statement-names.js';
import { poolInvalidationChannel } from '../../postgres-invalidation-channel.js';

// Per-query parsers, so that an application's global `pg.types.setTypeParser` cannot change what
// the provider reads. Columns of other types stay text.
const types = {
  getTypeParser: (oid: number, format?: string) => {
    if (format === 'binary') return (value: unknown) => value;
    return postgresTextParser(oid) ?? ((text: string) => text);
  },
} as unknown as CustomTypesConfig;

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Options of {@link pgPoolAdapter}. */
export interface PgPoolAdapterOptions {
  /**
   * Send the provider's statements as named prepared statements, parsed and planned once per
   * connection instead of on every call. Default true.
   *
   * Set it to false behind a pooler that hands each statement to any server connection, where a
   * statement prepared on one may be missing on the next: PgBouncer in `transaction` or `statement`
   * mode before version 1.21 (or with `max_prepared_statements = 0`), and similar proxies.
   */
  preparedStatements?: boolean;
}

type Runner = <T>(target: Queryable, sql: string, params: readonly unknown[]) => Promise<SqlQueryResult<T>>;

function runner(prepared: boolean): Runner {
  return async <T>(target: Queryable, sql: string, params: readonly unknown[]) => {
    const name = prepared ? preparedStatementName(sql) : undefined;
    const values = params.map(postgresParam);
    const result = (await target.query(name === undefined ? { text: sql, values, types } : { name, text: sql, values, types })) as QueryResult;
    return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
  };
}

function clientInterface(client: PoolClient, run: Runner): SQLInterface {
  // A connection runs one statement at a time, and pg deprecates overlapping calls on one client:
  // statements a transaction issues concurrently are queued here instead.
  let tail: Promise<unknown> = Promise.resolve();
  const tx: SQLInterface = {
    dialect: 'postgres',
    query<T>(sql: string, params: readonly unknown[]) {
      const result = tail.then(() => run<T>(client, sql, params));
      tail = result.catch(() => undefined);
      return result;
    },
    transaction: (fn) => fn(tx),
  };
  return tx;
}

/**
 * Adapts a `pg` connection pool (node-postgres 8) to {@link SQLInterface}.
 *
 * Statements go to whichever pooled connection is free; a transaction checks out one connection
 * for its whole length and returns it afterwards (or discards it when ROLLBACK itself failed, as
 * its state is then unknown). Timestamps are read as `Date` and booleans, integers as JS values
 * whatever global type parsers the application installed. Statements are prepared once per
 * connection unless {@link PgPoolAdapterOptions.preparedStatements} is false.
 *
 * When the database goes away, `pg` reports the failure of each idle pooled connection as an
 * `error` event on the pool, and Node ends the process on an `error` event nobody listens to. The
 * adapter listens (the pool has already discarded that connection; the next statement opens a
 * fresh one or fails, and is answered 503), so that a database restart never takes the
 * authorization server down with it. Listeners of the application's own still see every event.
 */
export function pgPoolAdapter(pool: Pool, options: PgPoolAdapterOptions = {}): SQLInterface {
  if (!pool.listeners('error').includes(ignoreIdleConnectionFailure)) pool.on('error', ignoreIdleConnectionFailure);
  const run = runner(options.preparedStatements !== false);
  return {
    dialect: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    // LISTEN on a connection of its own, opened with the pool's options; NOTIFY through the pool.
    cacheInvalidationChannel: () => poolInvalidationChannel(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(clientInterface(client, run));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

/** See {@link pgPoolAdapter}: an idle connection's failure needs no action beyond pg-pool's own. */
function ignoreIdleConnectionFailure(): void {}
