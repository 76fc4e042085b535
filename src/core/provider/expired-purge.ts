import { ValidationError } from '../errors.js';
import type { OAuthAttemptCounterStorage } from '../storage/attempt-counter-port.js';
import type { OAuthManagementStorage } from '../storage/management-port.js';

/** Options of `provider.purgeExpired()`. */
export interface PurgeOptions {
  /** Rows per statement, 1–100000. Default 1000: short statements, no long locks. */
  batchSize?: number;
  /** Rows that expired before this instant go. Default: the provider's clock. */
  now?: Date;
}

/** How many rows a purge deleted. */
export interface PurgeResult {
  tokens: number;
  codes: number;
  /** Failed-attempt counters whose window had ended; 0 for a storage without the attempt-counter port. */
  attemptCounters: number;
}

/** The ports a purge goes through (the provider's storage stack). */
export interface PurgeStorage {
  management: OAuthManagementStorage;
  attemptCounters: OAuthAttemptCounterStorage | null;
}

const MAX_BATCH_SIZE = 100_000;

/**
 * Deletes expired tokens and codes, then expired attempt counters, batch by batch until a batch
 * comes back short.
 */
export async function purgeExpired(storage: PurgeStorage, now: Date, batchSize: number): Promise<PurgeResult> {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new ValidationError('batchSize', `must be a whole number between 1 and ${MAX_BATCH_SIZE}`);
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new ValidationError('now', 'must be a valid Date');
  const total: PurgeResult = { tokens: 0, codes: 0, attemptCounters: 0 };
  for (;;) {
    const batch = await storage.management.purgeExpiredBatch(now, batchSize);
    total.tokens += batch.tokens;
    total.codes += batch.codes;
    if (batch.tokens < batchSize && batch.codes < batchSize) break;
  }
  const counters = storage.attemptCounters;
  if (counters === null) return total;
  for (;;) {
    const purged = await counters.purgeAttemptCounters(now, batchSize);
    total.attemptCounters += purged;
    if (purged < batchSize) return total;
  }
}
