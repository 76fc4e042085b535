/**
 * Checks on lookup keys that may come straight from a request (client_id, username, a presented
 * token's digest). A key that cannot exist in the tables is answered "not found" without asking the
 * database, which would otherwise reject some of them with an error (PostgreSQL refuses NUL
 * characters in text) and turn a bad request into a server error.
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
