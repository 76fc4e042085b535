import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ASYMMETRIC_ALGORITHMS } from '../provider/signing/key-pair.js';
import { audienceList, scopeList, userOfSubject, type AccessTokenFacts } from './access-token-facts.js';

/**
 * Verification of a JWT access token as RFC 9068 §4 asks of a resource server: the `typ` header,
 * the signature with one of the issuer's keys under an algorithm the resource server accepts, the
 * issuer, the expiry, and the claims §2.2 makes required. The audience is checked by the guard,
 * which may protect another resource on each check.
 */

/** The algorithms a guard accepts unless told otherwise. */
export const DEFAULT_JWT_ALGORITHMS: readonly string[] = Object.freeze(['ES256', 'EdDSA']);

/** Signature algorithms with a public key (RFC 7518 §3.1; EdDSA and Ed25519 for Edwards curves, RFC 8037 §3.1). */

/** RFC 9068 §2.2: the claims every JWT access token carries. */
const REQUIRED_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'];

/**
 * The algorithms option, checked: a non-empty list of public-key signature algorithms. `none` is
 * refused (RFC 9068 §4: the resource server "MUST reject any JWT in which the value of alg is
 * none"), and so are the HMAC algorithms: a resource server verifying with a shared secret holds
 * what it takes to mint tokens, and a verifier that accepts HS256 can be handed a token "signed"
 * with the issuer's public key as the secret (RFC 8725 §2.1, §3.1).
 */
export function checkAlgorithms(algorithms: unknown): string[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new TypeError('algorithms must be a non-empty list of JWS algorithms, e.g. ["ES256", "EdDSA"]');
  }
  for (const alg of algorithms as unknown[]) {
    if (alg === 'none') throw new TypeError('algorithms must not include "none": an unsigned token proves nothing (RFC 9068 §4)');
    if (typeof alg === 'string' && /^HS\d+$/.test(alg)) {
      throw new TypeError(`algorithms must not include ${alg}: only public-key signatures are verified, never a shared secret (RFC 8725 §3.1)`);
    }
    if (typeof alg !== 'string' || !ASYMMETRIC_ALGORITHMS.has(alg)) {
      throw new TypeError(`algorithms: ${JSON.stringify(alg)} is not a supported signature algorithm (${[...ASYMMETRIC_ALGORITHMS].join(', ')})`);
    }
  }
  return [...new Set(algorithms as string[])];
}

/**
 * Whether a token is a JWS in compact serialization (three parts separated by dots), which the
 * guard verifies as a JWT; anything else is opaque to it. A token of three parts that fails
 * verification is refused as it is: it is never sent to introspection.
 */
export function isCompactJws(token: string): boolean {
  const first = token.indexOf('.');
  if (first < 0) return false;
  const second = token.indexOf('.', first + 1);
  return second > 0 && token.indexOf('.', second + 1) < 0;
}

/** How tokens are verified. */
export interface JwtVerificationSettings {
  issuer: string;
  algorithms: string[];
  /** Leeway on `exp` and `nbf`, in seconds. */
  clockTolerance: number;
}

/**
 * The facts of a valid JWT access token; `null` for a token that is not one (bad signature, type,
 * issuer, algorithm, expired, a required claim missing or of the wrong type); `unknown_key` when
 * it names a key the set does not hold, which the caller may fetch the set again for.
 */
export async function verifyJwtAccessToken(
  token: string,
  keys: JWTVerifyGetKey,
  settings: JwtVerificationSettings,
  now: Date,
): Promise<AccessTokenFacts | null | 'unknown_key'> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: settings.issuer,
      algorithms: settings.algorithms,
      // RFC 9068 §4: "at+jwt" or "application/at+jwt"; jose compares media types, so both pass.
      typ: 'at+jwt',
      requiredClaims: REQUIRED_CLAIMS,
      clockTolerance: settings.clockTolerance,
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) return 'unknown_key';
    // Whatever else fails (the token, or a published key the token names) makes it unverifiable.
    return null;
  }
  return factsOfClaims(payload);
}

/** The claims' facts, or null when one has the wrong type (RFC 9068 §2.2, RFC 7519 §4.1). */
function factsOfClaims(claims: JWTPayload): AccessTokenFacts | null {
  const { jti, sub, exp, nbf } = claims;
  const clientId = claims['client_id'];
  const audience = audienceList(claims.aud);
  const scope = scopeList(claims['scope']);
  if (!nonEmpty(jti) || !nonEmpty(sub) || !nonEmpty(clientId) || typeof exp !== 'number') return null;
  if (audience === undefined || scope === undefined) return null;
  return {
    id: jti,
    expiresAt: exp,
    notBefore: typeof nbf === 'number' ? nbf : undefined,
    clientId,
    userId: userOfSubject(sub, clientId),
    username: undefined,
    scope,
    audience,
  };
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
