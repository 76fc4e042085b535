/**
 * The header and claims of a JWT access token (RFC 9068 §2).
 */

/** The `typ` of a JWT access token (RFC 9068 §2.1): the `application/` prefix is left out (RFC 7515 §4.1.9). */
export const JWT_ACCESS_TOKEN_TYPE = 'at+jwt';

/** What one JWT access token says. */
export interface JwtAccessTokenFacts {
  /** The provider's issuer identifier. */
  issuer: string;
  /** The issuance's id: `jti`, and the id introspection and revocation find the token by. */
  issuanceId: string;
  clientId: string;
  /** The resource owner; null for a token the client obtained on its own behalf (client_credentials). */
  userId: string | null;
  scope: readonly string[];
  /** The resources the token is for (RFC 8707), at least one. */
  audience: readonly string[];
  /** Seconds since the epoch. */
  issuedAt: number;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** The JOSE header (RFC 9068 §2.1): an asymmetric `alg`, the key's `kid`, and `typ: at+jwt`. */
export function jwtAccessTokenHeader(alg: string, kid: string): Record<string, string> {
  return { alg, kid, typ: JWT_ACCESS_TOKEN_TYPE };
}

/**
 * The claims (RFC 9068 §2.2): `iss`, `exp`, `aud` (a string for one resource, an array for
 * several, RFC 7519 §4.1.3), `sub`, `client_id`, `iat`, `jti`, and `scope` when any was granted
 * (§2.2.3, space-delimited). `sub` is the user; for a token without one (client_credentials) it is
 * the client id (§2.2: "an identifier the authorization server uses to indicate the client
 * application"), so `sub` equal to `client_id` marks a client's own token. The issuer never lets
 * a user's token carry a `sub` equal to its `client_id` (RFC 9700 §4.15; see the model's saveToken).
 */
export function jwtAccessTokenClaims(facts: JwtAccessTokenFacts): Record<string, unknown> {
  return {
    iss: facts.issuer,
    sub: facts.userId ?? facts.clientId,
    aud: facts.audience.length === 1 ? facts.audience[0] : [...facts.audience],
    exp: facts.expiresAt,
    iat: facts.issuedAt,
    jti: facts.issuanceId,
    client_id: facts.clientId,
    ...(facts.scope.length > 0 ? { scope: facts.scope.join(' ') } : {}),
  };
}
