import { ValidationError } from '../../errors.js';
import { isSigningAlgorithm, type SigningAlgorithm } from '../signing/key-pair.js';

/**
 * What the application tells the provider about a user for OpenID Connect (OIDC Core §5.1
 * standard claims), asked at the UserInfo endpoint. The provider releases only the standard claims
 * the granted scopes allow (OIDC Core §5.4) and always sets `sub` itself. ID tokens of the code
 * flow carry no user claims (§5.4: they are the UserInfo endpoint's), so today `use` is always
 * `userinfo`.
 */
export interface UserClaimsRequest {
  /** The user's id in the application (the local `sub`, before any pairwise derivation). */
  userId: string;
  /** The client the claims are for. */
  clientId: string;
  /** The scopes granted (`openid`, `profile`, `email`, `address`, `phone`, others). */
  scope: readonly string[];
  /** Where the claims go: into an ID token, or the userinfo response. */
  use: 'id_token' | 'userinfo';
}

/** Claims of a user, as OIDC Core §5.1 names them (`name`, `email`, `email_verified`, `address`…). */
export type UserClaims = Record<string, unknown>;

/** The `openid` provider option: OpenID Connect Core 1.0 on the authorization-code flow. */
export interface OpenIdOptions {
  /**
   * The application's claims about a user (OIDC Core §5.1), for the UserInfo endpoint. Default:
   * `preferred_username` from the default user store (for the `profile` scope), nothing else.
   * Return null or {} for a user the application does not know.
   */
  claims?: (request: UserClaimsRequest) => UserClaims | null | Promise<UserClaims | null>;
  /** How long an ID token is valid, in seconds. Default 3600; at most 86 400. */
  idTokenLifetime?: number;
  /**
   * The algorithm of ID tokens for clients that registered none (OIDC Core §3.1.3.7): `ES256`
   * (default), `RS256` or `EdDSA`. The provider keeps a key for RS256 too, which every relying
   * party supports (OIDC Core §15.1), for clients that register `id_token_signed_response_alg: RS256`.
   */
  idTokenSigningAlgorithm?: SigningAlgorithm;
  /**
   * The secret pairwise subject identifiers are derived with (OIDC Core §8.1): at least 32 random
   * bytes, base64url, the same in every process, never changed (changing it changes every
   * pairwise `sub`). Required when any client has `subjectType: 'pairwise'`.
   */
  pairwiseSecret?: string;
  /**
   * How long a sign-in session lasts, in seconds (the cookie that lets a later authorization skip
   * the password, and `prompt=none` succeed). Default 86 400 (a day); 0 turns sessions off.
   * Needs a storage with the session port.
   */
  sessionLifetime?: number;
}

/** {@link OpenIdOptions}, checked, with defaults. */
export interface OpenIdSettings {
  claims: OpenIdOptions['claims'] | null;
  idTokenLifetime: number;
  idTokenSigningAlgorithm: SigningAlgorithm;
  /** The decoded pairwise secret; null: pairwise subjects are not available. */
  pairwiseSecret: Buffer | null;
  sessionLifetime: number;
}

export const DEFAULT_ID_TOKEN_LIFETIME = 3600;
export const MAX_ID_TOKEN_LIFETIME = 86_400;
export const DEFAULT_SESSION_LIFETIME = 86_400;
const MAX_SESSION_LIFETIME = 400 * 86_400;

/** Checks the `openid` option; null when absent (OpenID Connect off). Throws {@link ValidationError}. */
export function resolveOpenIdSettings(options: OpenIdOptions | undefined): OpenIdSettings | null {
  if (options === undefined) return null;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError('openid', 'must be an object: { claims?, idTokenLifetime?, idTokenSigningAlgorithm?, pairwiseSecret?, sessionLifetime? }');
  }
  const known = ['claims', 'idTokenLifetime', 'idTokenSigningAlgorithm', 'pairwiseSecret', 'sessionLifetime'];
  for (const field of Object.keys(options)) {
    if (!known.includes(field)) throw new ValidationError(`openid.${field}`, `is not an option of openid (${known.join(', ')})`);
  }
  if (options.claims !== undefined && typeof options.claims !== 'function') throw new ValidationError('openid.claims', 'must be a function');
  const idTokenLifetime = options.idTokenLifetime ?? DEFAULT_ID_TOKEN_LIFETIME;
  if (!Number.isInteger(idTokenLifetime) || idTokenLifetime < 1 || idTokenLifetime > MAX_ID_TOKEN_LIFETIME) {
    throw new ValidationError('openid.idTokenLifetime', `must be a whole number of seconds between 1 and ${MAX_ID_TOKEN_LIFETIME}`);
  }
  const algorithm = options.idTokenSigningAlgorithm ?? 'ES256';
  if (!isSigningAlgorithm(algorithm)) throw new ValidationError('openid.idTokenSigningAlgorithm', 'must be ES256, RS256 or EdDSA');
  const sessionLifetime = options.sessionLifetime ?? DEFAULT_SESSION_LIFETIME;
  if (!Number.isInteger(sessionLifetime) || sessionLifetime < 0 || sessionLifetime > MAX_SESSION_LIFETIME) {
    throw new ValidationError('openid.sessionLifetime', `must be a whole number of seconds between 0 and ${MAX_SESSION_LIFETIME}`);
  }
  let pairwiseSecret: Buffer | null = null;
  if (options.pairwiseSecret !== undefined) {
    const decoded = typeof options.pairwiseSecret === 'string' && /^[A-Za-z0-9_-]+$/.test(options.pairwiseSecret) ? Buffer.from(options.pairwiseSecret, 'base64url') : null;
    if (decoded === null || decoded.length < 32) throw new ValidationError('openid.pairwiseSecret', 'must be at least 32 random bytes, base64url');
    pairwiseSecret = decoded;
  }
  return { claims: options.claims ?? null, idTokenLifetime, idTokenSigningAlgorithm: algorithm, pairwiseSecret, sessionLifetime };
}
