import { ValidationError } from '../errors.js';
import { ExpiringCache } from './expiring-cache.js';
import type { ClientRecord, TokenLookup } from '../storage/records.js';

/**
 * Limits of an opt-in in-process cache. `maxAgeMs` is the staleness bound: a change made through
 * another process (another server node, the CLI, SQL by hand) is seen by this one at most
 * `maxAgeMs` after it was committed. Changes made through this provider are seen at once.
 */
export interface InProcessCacheOptions {
  /** Entries kept at most; the oldest goes first. Default 10 000 for tokens, 1 000 for clients. */
  maxEntries?: number;
  /** How long an entry is served after the read that produced it, in ms. Default 1000; at most 60 000. */
  maxAgeMs?: number;
}

/** Defaults and ceilings: a long bound would make revocation through another node too slow to trust. */
const DEFAULT_MAX_AGE_MS = 1000;
const MAX_MAX_AGE_MS = 60_000;
const MAX_MAX_ENTRIES = 1_000_000;

/** The caches a provider runs with; null when not enabled. */
export interface ReadCaches {
  /** Active access tokens by digest, as last read for a guard check. */
  tokens: ExpiringCache<TokenLookup> | null;
  /** Clients by id, as last read to authenticate them. */
  clients: ExpiringCache<ClientRecord> | null;
}

function cacheFrom<V>(
  field: string,
  options: InProcessCacheOptions | boolean | undefined,
  defaultEntries: number,
  secondaryKeyOf?: (value: V) => string,
): ExpiringCache<V> | null {
  if (options === undefined || options === false) return null;
  if (options !== true && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new ValidationError(field, 'must be true, false or { maxEntries?, maxAgeMs? }');
  }
  const { maxEntries = defaultEntries, maxAgeMs = DEFAULT_MAX_AGE_MS } = options === true ? {} : options;
  if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > MAX_MAX_ENTRIES) {
    throw new ValidationError(`${field}.maxEntries`, `must be a whole number from 1 to ${MAX_MAX_ENTRIES}`);
  }
  if (!Number.isInteger(maxAgeMs) || maxAgeMs < 1 || maxAgeMs > MAX_MAX_AGE_MS) {
    throw new ValidationError(`${field}.maxAgeMs`, `must be a whole number of milliseconds from 1 to ${MAX_MAX_AGE_MS}`);
  }
  return new ExpiringCache<V>(maxEntries, maxAgeMs, secondaryKeyOf);
}

/** Builds the caches the provider options ask for, validating their limits. */
export function readCachesFrom(options: {
  validatedTokenCache?: InProcessCacheOptions | boolean;
  clientCache?: InProcessCacheOptions | boolean;
}): ReadCaches {
  return {
    // Keyed by access-token digest; also findable by row id, which is what rotation revokes by.
    tokens: cacheFrom<TokenLookup>('validatedTokenCache', options.validatedTokenCache, 10_000, (token) => token.id),
    clients: cacheFrom<ClientRecord>('clientCache', options.clientCache, 1_000),
  };
}

/** A cached value must not change under its readers: callers get the same object many times. */
export function frozenClient(record: ClientRecord): ClientRecord {
  Object.freeze(record.grants);
  Object.freeze(record.redirectUris);
  Object.freeze(record.scopes);
  return Object.freeze(record);
}
