import type { SqlDialectName } from '../sql-interface.js';
import { mysqlDialect } from './mysql-dialect.js';
import { postgresDialect } from './postgres-dialect.js';
import type { SqlDialect } from './sql-dialect.js';

/** The dialect an adapter declares; throws on a name this package does not speak. */
export function dialectFor(name: SqlDialectName): SqlDialect {
  switch (name) {
    case 'postgres':
      return postgresDialect;
    case 'mysql':
      return mysqlDialect;
    default:
      throw new TypeError(`unsupported SQL dialect ${JSON.stringify(name)}: expected 'postgres' or 'mysql'`);
  }
}
