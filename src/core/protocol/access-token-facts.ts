import type { OAuthGuardResult } from './interactors.js';

/**
 * What a guard that does not read the database knows of a valid access token, whether it verified
 * the token's signature (RFC 9068) or asked the introspection endpoint (RFC 7662): kept in the
 * guard's caches, and turned into a fresh {@link OAuthGuardResult} for every request.
 */
export interface AccessTokenFacts {
  /** `jti`; for an introspected token without one, the hex SHA-256 of the token. */
  readonly id: string;
  /** `exp`, seconds since the epoch. */
  readonly expiresAt: number;
  /** `nbf`, seconds since the epoch, when the token has one. */
  readonly notBefore: number | undefined;
  readonly clientId: string;
  /** The resource owner (`sub`); null for a token the client obtained on its own behalf. */
  readonly userId: string | null;
  readonly username: string | undefined;
  readonly scope: readonly string[];
  readonly audience: readonly string[];
}

/**
 * Whether the token is valid at `nowMs`, its `exp` and `nbf` judged with `toleranceSeconds` of
 * leeway, exactly as jose judges them on verification (RFC 7519 §4.1.4, §4.1.5), so that a cached
 * verification expires when a fresh one would fail.
 */
export function isCurrent(facts: AccessTokenFacts, nowMs: number, toleranceSeconds: number): boolean {
  const now = Math.floor(nowMs / 1000);
  return facts.expiresAt > now - toleranceSeconds && (facts.notBefore === undefined || facts.notBefore <= now + toleranceSeconds);
}

/**
 * The user a JWT access token speaks for: its subject, unless the subject is the client itself,
 * which is how a token obtained with client_credentials names its subject (RFC 9068 §2.2: "the
 * value of sub SHOULD correspond to an identifier the authorization server uses to indicate the
 * client application"). That reading is sound only when no user can have a client's id as subject:
 * the issuer must keep the two apart (RFC 9068 §5, RFC 9700 §4.15). Not for introspection answers,
 * which leave `sub` out for a client's own token: there a `sub` is always a user.
 */
export function userOfSubject(subject: string | undefined, clientId: string): string | null {
  return subject === undefined || subject === clientId ? null : subject;
}

/** A fresh guard result: callers may change it without touching the cached facts. */
export function guardResultOf(facts: AccessTokenFacts): OAuthGuardResult {
  return {
    token: { id: facts.id, accessTokenExpiresAt: new Date(facts.expiresAt * 1000) },
    // A token names no client name; the id stands in for it.
    client: { id: facts.clientId, name: facts.clientId },
    user: facts.userId === null ? null : facts.username === undefined ? { id: facts.userId } : { id: facts.userId, username: facts.username },
    scope: [...facts.scope],
    audience: [...facts.audience],
  };
}

/** A space-delimited `scope` value (RFC 6749 §3.3) as a list; undefined when it is not a string. */
export function scopeList(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (typeof value !== 'string') return undefined;
  return value.split(' ').filter((name) => name !== '');
}

/** An `aud` value (RFC 7519 §4.1.3: a string or an array of strings) as a list; undefined when malformed. */
export function audienceList(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [...(value as string[])];
  return undefined;
}
