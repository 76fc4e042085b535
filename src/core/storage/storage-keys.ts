/**
 * Checks a storage implementation runs on the keys a lookup or keyed write is given, which may come
 * straight from a request (client_id, username, a presented token's digest). A key no row can hold
 * is answered "not found" without asking the database: PostgreSQL rejects NUL characters in text
 * with an error (a bad request would become a server error), and Prisma batches concurrent
 * `findUnique` calls into one statement, so one such key would fail unrelated lookups.
 */

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** Whether `value` is a hex SHA-256 digest, the only thing hash columns hold. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/** Whether `value` is a string a text column could hold. */
export function isStorableKey(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('\u0000');
}
