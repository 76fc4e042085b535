import type { SigningKeyRecord } from '../../storage/records.js';

/**
 * When signing keys are published, sign, retire and leave the JWKS, and how long a JWT access
 * token may live: the numbers that make a rotation invisible to resource servers.
 *
 * A verifier (a resource server) caches the JWKS for at most {@link JWKS_MAX_AGE_SECONDS} (its
 * `Cache-Control`), and every server process re-reads the keys at least every
 * {@link KEY_RING_MAX_AGE_SECONDS}. So a new key is published {@link DEFAULT_PUBLISH_AHEAD_SECONDS}
 * (the sum) before it signs: by then every process serves it and every verifier has seen it. A
 * retired key stays published {@link RETIRED_KEY_PUBLICATION_SECONDS} after it stopped signing:
 * the longest a JWT access token can live, plus the time another process may take to learn of the
 * rotation and stop signing with it.
 */

/** `Cache-Control: max-age` of the JWKS endpoint, in seconds. */
export const JWKS_MAX_AGE_SECONDS = 600;
/** How long a process trusts its copy of the keys before reading them again, in seconds. */
export const KEY_RING_MAX_AGE_SECONDS = 60;
/** The default time between a rotation and the new key's first signature, in seconds (11 minutes). */
export const DEFAULT_PUBLISH_AHEAD_SECONDS = JWKS_MAX_AGE_SECONDS + KEY_RING_MAX_AGE_SECONDS;
/** The longest publication ahead `rotate()` accepts, in seconds (7 days). */
export const MAX_PUBLISH_AHEAD_SECONDS = 7 * 24 * 60 * 60;
/** The default lifetime of JWT access tokens (`jwtAccessTokenLifetime`), in seconds. */
export const DEFAULT_JWT_ACCESS_TOKEN_LIFETIME = 300;
/**
 * The longest lifetime of a JWT access token (`jwtAccessTokenLifetime` at most), in seconds: a
 * resource server that verifies it locally accepts it until it expires, revoked or not.
 */
export const MAX_JWT_ACCESS_TOKEN_LIFETIME = 60 * 60;
/** How long a retired key stays in the JWKS after it stopped signing, in seconds (61 minutes). */
export const RETIRED_KEY_PUBLICATION_SECONDS = MAX_JWT_ACCESS_TOKEN_LIFETIME + KEY_RING_MAX_AGE_SECONDS;

/** What a key does at an instant, within the schedule of its algorithm. */
export type SigningKeyStatus =
  /** Published, not signing yet: verifiers are learning it. */
  | 'pending'
  /** The key tokens are signed with now. */
  | 'signing'
  /** Signs no more (a newer key took over), or never will; published until its last token has expired. */
  | 'retired';

/**
 * The key that signs at `now`: of the keys activated by then and not retired by then, the one
 * activated last (ties: the greatest id, the same choice in every process); null when there is none.
 */
export function signingKeyAt<K extends { record: Pick<SigningKeyRecord, 'id' | 'activatesAt' | 'retiresAt'> }>(keys: readonly K[], now: Date): K | null {
  let chosen: K | null = null;
  for (const key of keys) {
    const { activatesAt, retiresAt, id } = key.record;
    if (activatesAt > now || (retiresAt !== null && retiresAt <= now)) continue;
    const best = chosen?.record;
    if (best === undefined || activatesAt > best.activatesAt || (activatesAt.getTime() === best.activatesAt.getTime() && id > best.id)) chosen = key;
  }
  return chosen;
}

/**
 * The key that signs at `now` for each algorithm (RFC 7515 §4.1.1 `alg`): the keys of one
 * algorithm form a schedule of their own ({@link signingKeyAt}), so that rotating one algorithm's
 * key neither retires nor replaces another's.
 */
export function signingKeysAt<K extends { record: Pick<SigningKeyRecord, 'id' | 'alg' | 'activatesAt' | 'retiresAt'> }>(
  keys: readonly K[],
  now: Date,
): Map<string, K> {
  const byAlgorithm = new Map<string, K[]>();
  for (const key of keys) {
    const group = byAlgorithm.get(key.record.alg);
    if (group === undefined) byAlgorithm.set(key.record.alg, [key]);
    else group.push(key);
  }
  const signing = new Map<string, K>();
  for (const [alg, group] of byAlgorithm) {
    const key = signingKeyAt(group, now);
    if (key !== null) signing.set(alg, key);
  }
  return signing;
}

/**
 * What `key` does at `now`, `signing` being the key {@link signingKeyAt} chose. A key retired
 * before its activation (a later rotation overtook it) is retired already: it will never sign.
 */
export function statusAt(
  key: Pick<SigningKeyRecord, 'id' | 'activatesAt' | 'retiresAt'>,
  signing: Pick<SigningKeyRecord, 'id'> | null,
  now: Date,
): SigningKeyStatus {
  if (key.id === signing?.id) return 'signing';
  const cancelled = key.retiresAt !== null && key.retiresAt <= key.activatesAt;
  return key.activatesAt > now && !cancelled ? 'pending' : 'retired';
}

/** Whether a key is still published at `now`. */
export function isPublishedAt(key: Pick<SigningKeyRecord, 'expiresAt'>, now: Date): boolean {
  return key.expiresAt === null || key.expiresAt > now;
}
