import type { TokenLookup } from '../storage/records.js';
import type { Credentials } from './credentials.js';
import { isAccessTokenActive } from './credentials.js';
import { MAX_ACCESS_TOKEN_LENGTH } from './input-limits.js';
import { digestCredential } from './opaque-credentials.js';

/**
 * The guard's look at the validated-token cache that needs no waiting: the kept issuance of
 * `token` when the cache holds a fresh entry for it (the shared, frozen row: copy what you hand
 * on), null when that issuance is no longer active (expiry is checked on every use), and undefined
 * when storage must answer — no cache, no fresh entry — through `findActiveAccessToken`, which
 * also refreshes entries past half their age. A hit then costs a digest and a map lookup, and no
 * promise of its own.
 */
export function keptActiveAccessToken(credentials: Credentials, token: string): TokenLookup | null | undefined {
  const cache = credentials.settings.caches.tokens;
  if (cache === null || token.length > MAX_ACCESS_TOKEN_LENGTH) return undefined;
  const now = credentials.now();
  const kept = cache.peek(digestCredential(token), now.getTime());
  if (kept === undefined) return undefined;
  return isAccessTokenActive(kept, now) ? kept : null;
}
