/**
 * What a key handed to the storage port looks like. The core checks every key with these before a
 * storage call (storage/key-checks.ts), so a storage implementation receives only keys a row could
 * hold; they are public so that a storage or a tool of its own can apply the same rule.
 */

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** Whether `value` is a hex SHA-256 digest, the only thing hash columns hold. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/** Whether `value` is a string a text column could hold (PostgreSQL refuses NUL in text). */
export function isStorableKey(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('\u0000');
}
