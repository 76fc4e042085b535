/**
 * The header and claims of an ID token (OIDC Core §2), as the token endpoint of the
 * authorization-code flow issues it (OIDC Core §3.1.3.3) and again on refresh (§12.2).
 */

/** The `typ` of an ID token's header: `JWT` (RFC 7519 §5.1), which OIDC Core §2 leaves to the issuer. */
export const ID_TOKEN_TYPE = 'JWT';

/** What one ID token says. */
export interface IdTokenFacts {
  /** The provider's issuer identifier (`iss`). */
  issuer: string;
  /** The subject the client is told (`sub`, OIDC Core §8): public or pairwise. */
  subject: string;
  /** The client the token is for (`aud`). */
  clientId: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** When the user authenticated; null when not known. */
  authTime: Date | null;
  /** The authorization request's `nonce`; null when it sent none, and always on refresh (§12.2). */
  nonce: string | null;
  acr: string | null;
  /** Space-delimited authentication method references (RFC 8176); null: none known. */
  amr: string | null;
  /** The `at_hash` of the access token issued with it (OIDC Core §3.1.3.6). */
  accessTokenHash: string;
}

/** The JOSE header: the signing key's `alg` (never `none`) and `kid`, and `typ: JWT`. */
export function idTokenHeader(alg: string, kid: string): Record<string, string> {
  return { alg, kid, typ: ID_TOKEN_TYPE };
}

/**
 * The claims (OIDC Core §2): `iss`, `sub`, `aud`, `exp`, `iat`; `auth_time`, `nonce`, `acr` and
 * `amr` when known; `at_hash` (§3.1.3.6). `aud` is the client_id alone, as a string (RFC 7519
 * §4.1.3 allows one audience as a string). `azp` is left out: OIDC Core §2 needs it only when
 * `aud` holds another party besides the client, which an ID token of this issuer never does.
 * No claim about the user besides `sub`: in the code flow an access token is issued, so the
 * claims of the `profile`, `email`, `address` and `phone` scopes are the userinfo endpoint's
 * (OIDC Core §5.4).
 */
export function idTokenClaims(facts: IdTokenFacts): Record<string, unknown> {
  const methods = facts.amr === null ? [] : facts.amr.split(' ').filter((method) => method !== '');
  return {
    iss: facts.issuer,
    sub: facts.subject,
    aud: facts.clientId,
    exp: facts.expiresAt,
    iat: facts.issuedAt,
    ...(facts.authTime !== null ? { auth_time: Math.floor(facts.authTime.getTime() / 1000) } : {}),
    ...(facts.nonce !== null ? { nonce: facts.nonce } : {}),
    ...(facts.acr !== null ? { acr: facts.acr } : {}),
    // OIDC Core §2: amr is a JSON array of strings.
    ...(methods.length > 0 ? { amr: methods } : {}),
    at_hash: facts.accessTokenHash,
  };
}
