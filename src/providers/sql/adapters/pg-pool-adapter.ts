import type { CustomTypesConfig, Pool, PoolClient, QueryResult } from 'pg';
import type { SQLInterface, SqlQueryResult } from '../sql-interface.js';
import { postgresParam, postgresTextParser } from './postgres-values.js';

// Per-query parsers, so that an application's global `pg.types.setTypeParser` cannot change what
// the provider reads. Columns of other types stay text.
const types = {
  getTypeParser: (oid: number, format?: string) => {
    if (format === 'binary') return (value: unknown) => value;
    return postgresTextParser(oid) ?? ((text: string) => text);
  },
} as unknown as CustomTypesConfig;

type Queryable = Pick<Pool | PoolClient, 'query'>;

async function run<T>(target: Queryable, sql: string, params: readonly unknown[]): Promise<SqlQueryResult<T>> {
  const result = (await target.query({ text: sql, values: params.map(postgresParam), types })) as QueryResult;
  return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
}

function clientInterface(client: PoolClient): SQLInterface {
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
 * whatever global type parsers the application installed.
 *
 * When the database goes away, `pg` reports the failure of each idle pooled connection as an
 * `error` event on the pool, and Node ends the process on an `error` event nobody listens to. The
 * adapter listens (the pool has already discarded that connection; the next statement opens a
 * fresh one or fails, and is answered 503), so that a database restart never takes the
 * authorization server down with it. Listeners of the application's own still see every event.
 */
export function pgPoolAdapter(pool: Pool): SQLInterface {
  if (!pool.listeners('error').includes(ignoreIdleConnectionFailure)) pool.on('error', ignoreIdleConnectionFailure);
  return {
    dialect: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(clientInterface(client));
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
