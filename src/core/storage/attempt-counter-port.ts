/**
 * The optional attempt-counter port: the `oauth_attempt_counters` table, where every server process
 * on one database counts failed authentications together (RFC 6749 §10.10, RFC 6819 §5.1.4.2.3).
 * The core drives it through rate-limiter-flexible (runtime/storage-rate-limiter.ts); with a storage
 * without it, each process counts in its own memory (docs/contract.md), unless the application
 * passes a store of its own (`throttle.store`).
 */

/** One counter: how many points it holds until when. */
export interface AttemptCounter {
  points: number;
  /** The end of the counter's window; at or after it the counter is as good as absent. */
  expiresAt: Date;
}

/** The attempt-counter port. */
export interface OAuthAttemptCounterStorage {
  /**
   * Adds `points` (negative to take some back) to the counter `key`, atomically, in the database:
   * - absent, expired (`expiresAt <= now`) or `restart` true: the counter becomes
   *   `{ points, expiresAt }`;
   * - otherwise its points grow by `points` and its `expiresAt` stays.
   * Returns the counter as it is after the change. One statement (or one transaction): two
   * processes adding to one key at once must both be counted.
   *
   * Called by: the failed-attempt limiters, on each failed client or password authentication and
   * on each attempt a throttled caller makes.
   */
  addToAttemptCounter(key: string, points: number, expiresAt: Date, restart: boolean, now: Date): Promise<AttemptCounter>;

  /**
   * The counter `key` when it exists and has not expired (`expiresAt > now`), or null.
   *
   * Called by: the failed-attempt limiters, before an authentication is checked.
   */
  findAttemptCounter(key: string, now: Date): Promise<AttemptCounter | null>;

  /**
   * Deletes the counter `key`; false when there was none.
   *
   * Called by: the failed-attempt limiters, after a successful authentication from a source.
   */
  deleteAttemptCounter(key: string): Promise<boolean>;

  /**
   * Deletes up to `limit` counters that expired before `now`; returns how many went.
   *
   * Called by: `purgeExpired()`, in a loop until a batch comes back short.
   */
  purgeAttemptCounters(now: Date, limit: number): Promise<number>;
}

/** The attempt-counter port's methods, in the order they are documented. */
export const ATTEMPT_COUNTER_METHODS = [
  'addToAttemptCounter',
  'findAttemptCounter',
  'deleteAttemptCounter',
  'purgeAttemptCounters',
] as const satisfies ReadonlyArray<keyof OAuthAttemptCounterStorage>;
