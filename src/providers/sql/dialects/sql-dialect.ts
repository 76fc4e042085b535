import type { SqlDialectName } from '../sql-interface.js';

/** A statement ready for the driver: placeholders in the dialect's syntax, parameters in their order. */
export interface BoundStatement {
  sql: string;
  params: unknown[];
}

/**
 * Everything in which the provider's SQL differs between PostgreSQL and MySQL/MariaDB. Every other
 * statement is portable SQL, written once with `$1…$n` placeholders.
 */
export interface SqlDialect {
  readonly name: SqlDialectName;

  /** Rewrites a statement's `$n` placeholders (never inside string literals) for the driver. */
  bind(sql: string, params: readonly unknown[]): BoundStatement;

  /**
   * Inserts `rows` scopes, parameters `(name, description, created_at)` per row, and for a name
   * that exists already replaces only its description (its creation time stays).
   */
  upsertScopes(rows: number): string;

  /**
   * Inserts the resource `($1 id, $2 name, $3 scope, $4 access_token_lifetime, $5 created_at,
   * $6 updated_at)`, or, for an id that exists already, replaces every column but `created_at`.
   * One statement, so that concurrent definitions of one id cannot collide.
   */
  readonly upsertResource: string;

  /**
   * Inserts the client registration `($1 client_id, $2 kind, $3 access_token_hash, $4 metadata,
   * $5 last_used_at, $6 created_at, $7 updated_at)`, or, for a client that has one already,
   * replaces every column but `created_at`, and `last_used_at` only with a later instant (a null
   * or earlier one keeps the stored one). One statement.
   */
  readonly upsertClientRegistration: string;

  /**
   * Inserts the consent grant `($1 user_id, $2 client_id, $3 scope, $4 audience, $5 created_at,
   * $6 updated_at)`, or, for a (user, client) that has one already, replaces its scope, audience
   * and `updated_at` (its `created_at` stays). One statement.
   */
  readonly upsertConsentGrant: string;

  /**
   * Deletes at most `$3` clients whose registration is of kind `$1` and unused since `$2`
   * (`UNUSED_REGISTRATION`), in one statement; their registrations, tokens and codes go with
   * them (ON DELETE CASCADE).
   */
  readonly purgeUnusedClients: string;

  /**
   * A condition true when `column` equals one of `values`, placeholders numbered from `$1`, with
   * the parameters that bind it: one array parameter on PostgreSQL (a single statement text, so
   * one prepared statement, whatever the count), one parameter per value on MySQL. `type` is how
   * PostgreSQL compares the column (`anyOfBoundArray`).
   */
  equalsAny(column: string, type: 'text' | 'bpchar', values: readonly string[]): { condition: string; params: unknown[] };

  /**
   * One INSERT of many rows: on PostgreSQL one array parameter per column, unnested (one statement
   * text whatever the number of rows, so one prepared statement); on MySQL a multi-row VALUES.
   * `columns` pairs each column with the PostgreSQL type of its values.
   */
  insertRows(table: string, columns: ReadonlyArray<readonly [name: string, type: string]>, rows: readonly unknown[][]): BoundStatement;

  /**
   * Whether a statement may hold a data-modifying `WITH` (PostgreSQL: an UPDATE whose result the
   * rest of the statement uses). Refresh-token rotation is then one statement, and token revocation
   * also counts what its snapshot saw, so that it can repeat (docs/adr/0003); MySQL has none, so
   * rotation there inserts, then claims.
   */
  readonly dataModifyingWith: boolean;

  /** Deletes at most `$2` tokens whose `expires_at` is before `$1`, in one statement. */
  readonly purgeExpiredTokens: string;

  /** Deletes at most `$2` authorization codes whose `expires_at` is before `$1`, in one statement. */
  readonly purgeExpiredCodes: string;

  /**
   * Adds to the attempt counter `$1` in one statement, atomically (the rules of
   * `OAuthAttemptCounterStorage.addToAttemptCounter`): `$2` the points, `$3` the end of a new
   * window, `$4` now, `$5` whether to restart. With `returnsCounter` the statement returns the
   * counter's `points, expires_at`; without, it is read back in the same transaction.
   */
  readonly addToAttemptCounter: { sql: string; returnsCounter: boolean };

  /** Deletes at most `$2` attempt counters whose `expires_at` is before `$1`, in one statement. */
  readonly purgeExpiredAttemptCounters: string;

  /** The name of the unique key a duplicate-key error reports, or null when `error` is not one. */
  duplicateKey(error: unknown): string | null;

  /** Whether `error` is a foreign-key violation (a reference to a row that does not exist). */
  isForeignKeyViolation(error: unknown): boolean;

  /**
   * Whether `error` is the database ending a statement it chose as a deadlock's victim: nothing of
   * it was applied, and the same statement may simply be sent again.
   */
  isDeadlock(error: unknown): boolean;
}

/** Reads a property of a driver error without trusting its shape. */
export function errorField(error: unknown, field: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[field] : undefined;
}
