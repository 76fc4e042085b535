/**
 * The port through which server processes sharing one database tell each other what their
 * in-process read caches must forget (docs/adr/0011-cache-invalidation-channel.md). It carries
 * short text messages to every other subscriber, at most once and best effort: a process that
 * misses messages falls back to the caches' `maxAgeMs` bound, which is why a channel must say when
 * its subscription is lost and when it is back.
 */
export interface CacheInvalidationChannel {
  /**
   * Sends `message` (a few hundred bytes of JSON at most) to every subscriber, this process's own
   * included. Resolves once handed to the transport; rejects when it cannot be, naming why.
   */
  publish(message: string): Promise<void>;

  /**
   * Starts delivering every message published from now on to `onMessage`, until the returned
   * function is called (which also releases the connection the subscription holds).
   *
   * Resolves once the first attempt to subscribe has settled — succeeded, or failed and reported
   * through `events.onLost` — and never rejects for a connection failure: the channel keeps trying
   * on its own (with backoff) and reports through `events` instead.
   */
  subscribe(onMessage: (message: string) => void, events: CacheInvalidationChannelEvents): Promise<() => Promise<void>>;
}

/** What a {@link CacheInvalidationChannel} tells its subscriber about the subscription itself. */
export interface CacheInvalidationChannelEvents {
  /**
   * The subscription is not (or no longer) receiving: messages published from now on are missed
   * until {@link onRestored}. Called once per outage, with the error that names its cause.
   */
  onLost(error: Error): void;
  /** Receiving again after {@link onLost}: messages published meanwhile were missed. */
  onRestored(): void;
}

/** Why a storage offers no channel, in words fit for the log line that says so. */
export interface CacheInvalidationUnavailable {
  /** e.g. "no notification channel on MySQL/MariaDB". */
  readonly unavailable: string;
}

/**
 * Optional part of a storage: the channel of its own database (PostgreSQL LISTEN/NOTIFY), which a
 * provider with an in-process cache uses unless told otherwise (`cacheInvalidation` option).
 */
export interface OAuthCacheInvalidationSource {
  /**
   * A new channel on the storage's database, or why there is none; null when no other process can
   * write to the database (an embedded one), so there is nothing to hear. Called once per provider,
   * and only when a cache is on; the channel connects on `subscribe`, not before.
   */
  cacheInvalidationChannel(): CacheInvalidationChannel | CacheInvalidationUnavailable | null;
}
