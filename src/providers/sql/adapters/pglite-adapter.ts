import type { PGliteInterface, Results, Transaction } from '@electric-sql/pglite';
import type { SQLInterface, SqlQueryResult } from '../sql-interface.js';
import { pgliteParsers, postgresParam } from './postgres-values.js';

type Queryable = Pick<PGliteInterface | Transaction, 'query'>;

async function run<T>(target: Queryable, sql: string, params: readonly unknown[]): Promise<SqlQueryResult<T>> {
  const result: Results<T> = await target.query<T>(sql, params.map(postgresParam), { parsers: pgliteParsers });
  // PGlite reports 0 affected rows for a SELECT, and no count at all for some statements.
  return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
}

/**
 * Adapts an embedded PGlite database to {@link SQLInterface} (`postgres` dialect).
 *
 * PGlite is a single connection: statements run one at a time, and a transaction (PGlite's own
 * `transaction`) holds the database exclusively until it commits or rolls back.
 */
export function pgliteAdapter(db: PGliteInterface): SQLInterface {
  return {
    dialect: 'postgres',
    query: (sql, params) => run(db, sql, params),
    // One process holds a PGlite database: no other can revoke behind its caches.
    cacheInvalidationChannel: () => null,
    transaction: (fn) =>
      db.transaction((transaction) => {
        const tx: SQLInterface = {
          dialect: 'postgres',
          query: (sql, params) => run(transaction, sql, params),
          transaction: (inner) => inner(tx),
        };
        return fn(tx);
      }),
  };
}
