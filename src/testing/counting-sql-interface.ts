import type { SQLInterface } from '../providers/sql/sql-interface.js';

/** An {@link SQLInterface} that counts the statements sent through it. */
export interface CountingSqlInterface {
  /** Pass this to the provider. */
  readonly sql: SQLInterface;
  /** Statements sent so far, inside transactions included (BEGIN/COMMIT are not statements of the provider). */
  queries(): number;
}

/**
 * Wraps `inner` so that a test can check how many round trips a storage method costs (the storage
 * suite's `countQueries`).
 */
export function countingSqlInterface(inner: SQLInterface): CountingSqlInterface {
  let count = 0;
  const wrap = (target: SQLInterface): SQLInterface => ({
    dialect: target.dialect,
    query(sql, params) {
      count += 1;
      return target.query(sql, params);
    },
    transaction: (fn) => target.transaction((tx) => fn(wrap(tx))),
  });
  return { sql: wrap(inner), queries: () => count };
}
