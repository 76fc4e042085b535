import { preparedStatementName as nameOf } from '../prepared-statement-names.js';

/**
 * A `statementNameGenerator` for `@prisma/adapter-pg`: names each statement after its text, so
 * that node-postgres prepares it once per connection and PostgreSQL parses and plans it once
 * instead of on every call. Without it the adapter sends every statement unnamed, and the token
 * lookup of each guarded request is planned anew (the larger part of its database CPU,
 * docs/benchmarks.md).
 *
 * It names every statement of the client, the application's own included, up to 512 distinct
 * texts per process; beyond that it returns `''`, the unnamed statement. Leave it out behind a
 * pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
 *
 * @example
 * ```ts
 * import { PrismaPg } from '@prisma/adapter-pg';
 * import { preparedStatementName } from 'oauth2-kit/prisma';
 * const adapter = new PrismaPg({ connectionString }, { statementNameGenerator: preparedStatementName });
 * ```
 */
export function preparedStatementName(query: { readonly sql: string }): string {
  return nameOf(query.sql) ?? '';
}
