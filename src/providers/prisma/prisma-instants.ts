/**
 * Instants in raw statements that bypass Prisma's own conversion (the JSON rows of `findClient` and
 * `findAccessTokens`, the column arrays of `insertTokens`), written and read exactly as Prisma
 * writes and reads the same columns.
 *
 * Prisma's PostgreSQL driver adapters (`@prisma/adapter-pg`, `pglite-prisma-adapter`) bind a `Date`
 * as its UTC wall-clock time without an offset, and read a `timestamptz` by dropping its offset and
 * taking the wall-clock time as UTC. Both follow the session time zone, so they agree with each
 * other whatever it is (and with the SQL provider when it is UTC, the default). These statements
 * must agree with them too: they bind {@link wallClockOf} and cast it `::timestamptz`, and read an
 * instant `::timestamp` (the session's wall-clock time, no offset) and take it as UTC with
 * {@link instantOf}.
 */

/**
 * A `Date` as the adapters bind it: its UTC wall-clock time, no offset. Bound as a string, it does
 * not depend on how Prisma guesses the type of an array whose first elements are null.
 */
export function wallClockOf(instant: Date): string;
export function wallClockOf(instant: Date | null): string | null;
export function wallClockOf(instant: Date | null): string | null {
  return instant === null ? null : instant.toISOString().slice(0, -1);
}

/** A `timestamp` as PostgreSQL's JSON spells it (`2030-06-01T10:00:00.123`), taken as UTC. */
export function instantOf(wallClock: string): Date {
  return new Date(`${wallClock}Z`);
}

/** {@link instantOf}, with null for NULL. */
export function instantOrNull(wallClock: string | null): Date | null {
  return wallClock === null ? null : instantOf(wallClock);
}
