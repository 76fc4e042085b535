import { createHash } from 'node:crypto';

/**
 * Stable names for the providers' statements on PostgreSQL, so that node-postgres prepares each once per
 * connection and PostgreSQL parses and plans it once, not on every call: for the token lookup on
 * every guarded request that is most of the database's CPU (≈ 115 µs against ≈ 30 µs per lookup,
 * docs/benchmarks.md).
 *
 * A name is derived from the statement's text, so two texts never share a name (node-postgres
 * refuses a name reused with another text) and every process derives the same one. The provider's
 * statements are a fixed, small set; the memo is bounded anyway, and a text beyond it simply runs
 * unnamed.
 */
const MAX_NAMED = 512;
const names = new Map<string, string>();

/** The prepared-statement name of `sql`, or undefined when it should run unnamed. */
export function preparedStatementName(sql: string): string | undefined {
  let name = names.get(sql);
  if (name === undefined) {
    if (names.size >= MAX_NAMED) return undefined;
    // 120 bits of SHA-256: collisions among a few hundred texts are not a concern. PostgreSQL
    // truncates identifiers at 63 bytes; this stays well below.
    name = `oauth2kit_${createHash('sha256').update(sql).digest('base64url').slice(0, 20)}`;
    names.set(sql, name);
  }
  return name;
}
