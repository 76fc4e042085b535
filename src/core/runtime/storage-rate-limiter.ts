import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import type { AttemptCounter, OAuthAttemptCounterStorage } from '../storage/attempt-counter-port.js';

/**
 * A rate-limiter-flexible limiter whose counters live in the storage's `oauth_attempt_counters`
 * table, so that every server process on one database counts together (RFC 6749 §10.10).
 *
 * Built on the library's own abstract store, the base of its PostgreSQL, MySQL and Prisma stores:
 * the library keeps the limiter semantics (fixed windows, blocks, the insurance limiter that takes
 * over while the database fails) and this class only says how a counter is read and written —
 * through the storage port, so that the SQL and Prisma providers share one table and one row format
 * (the library's own stores each want a different table shape). The store class is not among the
 * package's named exports, hence the `require` of its module, which the pinned major keeps stable
 * (test/throttling/shared-limits.test.ts runs it against every database).
 */

const StoreAbstract = createRequire(import.meta.url)('rate-limiter-flexible/lib/RateLimiterStoreAbstract.js') as typeof RateLimiterStoreAbstract;

/** The options of the limiter, besides the store. */
export interface StorageRateLimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration?: number;
  insuranceLimiter?: import('rate-limiter-flexible').RateLimiterAbstract;
}

/**
 * "Never" for a counter with no window (the library's `duration: 0`): the latest instant every
 * database the providers support can store (a MySQL DATETIME ends in year 9999).
 */
const NEVER = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The counter key as stored: a SHA-256 of the library's key, so no address or name is kept in clear. */
function storedKey(rlKey: string): string {
  return createHash('sha256').update(rlKey).digest('hex');
}

export class StorageRateLimiter extends StoreAbstract {
  readonly #counters: OAuthAttemptCounterStorage;

  constructor(counters: OAuthAttemptCounterStorage, options: StorageRateLimiterOptions) {
    super({ ...options, storeClient: counters });
    this.#counters = counters;
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, counter: AttemptCounter): RateLimiterRes {
    const consumed = counter.points;
    return new RateLimiterRes(
      Math.max(this.points - consumed, 0),
      Math.max(counter.expiresAt.getTime() - Date.now(), 0),
      consumed,
      changedPoints === consumed,
    );
  }

  _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<AttemptCounter> {
    const now = Date.now();
    return this.#counters.addToAttemptCounter(storedKey(rlKey), points, new Date(msDuration > 0 ? now + msDuration : NEVER), forceExpire, new Date(now));
  }

  _get(rlKey: string): Promise<AttemptCounter | null> {
    return this.#counters.findAttemptCounter(storedKey(rlKey), new Date());
  }

  _delete(rlKey: string): Promise<boolean> {
    return this.#counters.deleteAttemptCounter(storedKey(rlKey));
  }
}
