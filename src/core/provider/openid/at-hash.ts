import { createHash } from 'node:crypto';

/**
 * The hash each signing algorithm's `at_hash` is made with (OIDC Core §3.1.3.6: "the hash
 * algorithm used in the alg Header Parameter of the ID Token's JOSE Header"): SHA-256 for ES256
 * and RS256; for EdDSA, whose name carries no hash, SHA-512, the hash of Ed25519 (RFC 8032 §5.1),
 * as OpenID Foundation implementations do. Keyed by name so that an algorithm without a rule is
 * refused rather than hashed with a guess.
 */
const AT_HASH_ALGORITHMS: Readonly<Record<string, 'sha256' | 'sha512'>> = Object.freeze({
  ES256: 'sha256',
  RS256: 'sha256',
  EdDSA: 'sha512',
});

/**
 * The `at_hash` of an access token (OIDC Core §3.1.3.6): the left-most half of the hash of its
 * ASCII octets, base64url without padding. A client compares it with the access token the same
 * response carried, so that a token swapped in transit is noticed.
 */
export function atHash(accessToken: string, alg: string): string {
  const hash = Object.hasOwn(AT_HASH_ALGORITHMS, alg) ? AT_HASH_ALGORITHMS[alg] : undefined;
  if (hash === undefined) throw new TypeError(`no at_hash rule for the algorithm ${JSON.stringify(alg)}`);
  const digest = createHash(hash).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
