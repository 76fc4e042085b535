import { ValidationError } from '../errors.js';
import type { OAuthAttemptCounterStorage } from '../storage/attempt-counter-port.js';
import type { OAuthClientRegistrationStorage } from '../storage/client-registration-port.js';
import type { OAuthManagementStorage } from '../storage/management-port.js';
import type { ClientRegistrationKind } from '../storage/records.js';
import type { OAuthSessionStorage } from '../storage/session-port.js';
import type { OAuthSigningKeyStorage } from '../storage/signing-key-port.js';

/** Options of `provider.purgeExpired()`. */
export interface PurgeOptions {
  /** Rows per statement, 1–100000. Default 1000: short statements, no long locks. */
  batchSize?: number;
  /** Rows that expired before this instant go. Default: the provider's clock. */
  now?: Date;
  /**
   * Also delete the self-registered clients — those that registered themselves (RFC 7591 dynamic
   * registration) and those known by their Client ID Metadata Document — that were issued no token
   * for this many days (counted from when they were stored, when they never were), with their
   * tokens and codes. 1–36 500. Default: none is deleted. Last use is recorded at most once a day,
   * so a client goes between this many days and one day more after its last token, never sooner.
   * An operator's client never goes. A metadata-document client that went simply comes back when
   * its URL is next used: it is stored anew from its document (fetched again, unless this process
   * still caches it), as on its first use, with none of its former tokens.
   */
  unusedClientsAfterDays?: number;
}

/** How many rows a purge deleted. */
export interface PurgeResult {
  tokens: number;
  codes: number;
  /** Failed-attempt counters whose window had ended; 0 for a storage without the attempt-counter port. */
  attemptCounters: number;
  /**
   * Signing keys (RFC 9068) that had left the JWKS: retired, and past the last instant a token they
   * signed can expire. 0 for a storage without the signing-key port.
   */
  signingKeys: number;
  /** Sign-in sessions (OpenID Connect) past their expiry; 0 for a storage without the session port. */
  sessions: number;
  /**
   * Self-registered clients (dynamically registered or known by their metadata document) deleted
   * for want of use; present only when `unusedClientsAfterDays` was given.
   */
  unusedClients?: number;
}

/** The ports a purge goes through (the provider's storage stack). */
export interface PurgeStorage {
  management: OAuthManagementStorage;
  attemptCounters: OAuthAttemptCounterStorage | null;
  registrations: OAuthClientRegistrationStorage | null;
  signingKeys: OAuthSigningKeyStorage | null;
  sessions: OAuthSessionStorage | null;
}

const MAX_BATCH_SIZE = 100_000;
const MAX_UNUSED_DAYS = 36_500;
const DAY_MS = 86_400_000;
/** Every kind of registration: a client with one registered itself, one way or the other. */
const SELF_REGISTERED_KINDS: readonly ClientRegistrationKind[] = ['dynamic', 'metadata_document'];

/**
 * Deletes expired tokens and codes, then expired attempt counters, batch by batch until a batch
 * comes back short, then the signing keys that left the JWKS (few: one statement), then the
 * expired sign-in sessions (one statement), then (when
 * asked) unused self-registered clients, batch by batch.
 */
export async function purgeExpired(storage: PurgeStorage, now: Date, batchSize: number, unusedClientsAfterDays?: number): Promise<PurgeResult> {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new ValidationError('batchSize', `must be a whole number between 1 and ${MAX_BATCH_SIZE}`);
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new ValidationError('now', 'must be a valid Date');
  if (unusedClientsAfterDays !== undefined && (!Number.isInteger(unusedClientsAfterDays) || unusedClientsAfterDays < 1 || unusedClientsAfterDays > MAX_UNUSED_DAYS)) {
    throw new ValidationError('unusedClientsAfterDays', `must be a whole number of days between 1 and ${MAX_UNUSED_DAYS}`);
  }
  const total: PurgeResult = { tokens: 0, codes: 0, attemptCounters: 0, signingKeys: 0, sessions: 0 };
  await purgeExpiredRows(storage, now, batchSize, total);
  if (storage.signingKeys !== null) total.signingKeys = await storage.signingKeys.purgeSigningKeys(now);
  if (storage.sessions !== null) total.sessions = await storage.sessions.purgeSessions(now);
  if (unusedClientsAfterDays === undefined) return total;
  total.unusedClients = 0;
  const registrations = storage.registrations;
  if (registrations === null) return total;
  // Last use is recorded at most once a day (provider/client-use.ts): a recorded instant may be up
  // to a day older than the last use, so a day more is allowed, and no client goes too soon.
  const before = new Date(now.getTime() - (unusedClientsAfterDays + 1) * DAY_MS);
  for (const kind of SELF_REGISTERED_KINDS) {
    for (;;) {
      const purged = await registrations.purgeUnusedClients(kind, before, batchSize);
      total.unusedClients += purged;
      if (purged < batchSize) break;
    }
  }
  return total;
}

/** Expired tokens and codes, then expired attempt counters, added to `total`. */
async function purgeExpiredRows(storage: PurgeStorage, now: Date, batchSize: number, total: PurgeResult): Promise<void> {
  for (;;) {
    const batch = await storage.management.purgeExpiredBatch(now, batchSize);
    total.tokens += batch.tokens;
    total.codes += batch.codes;
    if (batch.tokens < batchSize && batch.codes < batchSize) break;
  }
  const counters = storage.attemptCounters;
  if (counters === null) return;
  for (;;) {
    const purged = await counters.purgeAttemptCounters(now, batchSize);
    total.attemptCounters += purged;
    if (purged < batchSize) return;
  }
}
