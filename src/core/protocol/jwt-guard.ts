import { hash } from 'node:crypto';
import { MAX_ACCESS_TOKEN_LENGTH } from '../provider/input-limits.js';
import { digestCredential } from '../provider/opaque-credentials.js';
import { ExpiringCache } from '../runtime/expiring-cache.js';
import { guardResultOf, isCurrent, type AccessTokenFacts } from './access-token-facts.js';
import { classifyFailure, protocolFailure } from './error-responses.js';
import { audienceRefusal, checkOf, guardBase, guardInteractor, holdsScopes, keptTokenCandidate, refusal, startGuardCheck, type StartedCheck } from './guard-check.js';
import type { OAuthHttpRequest } from './http.js';
import type { GuardCheckOptions, OAuth2GuardInteractor, OAuthGuardOutcome } from './interactors.js';
import {
  DEFAULT_INTROSPECTION_CACHE,
  DEFAULT_INTROSPECTIONS_IN_FLIGHT,
  IntrospectionFallback,
  type IntrospectionCache,
  type IntrospectionFallbackOptions,
} from './introspection-fallback.js';
import { parseIssuerFacingUrl } from './issuer-fetch.js';
import { IssuerMetadata } from './issuer-metadata.js';
import { IssuerUnavailableError } from './issuer-unavailable-error.js';
import { checkAlgorithms, DEFAULT_JWT_ALGORITHMS, isCompactJws, verifyJwtAccessToken, type JwtVerificationSettings } from './jwt-access-token.js';
import type { ProtectedResource } from './protected-resource.js';
import { RemoteKeySet } from './remote-key-set.js';

/** Options of {@link createJwtGuard}. */
export interface JwtGuardOptions {
  /**
   * The authorization server's issuer identifier (RFC 8414 §2), e.g. `https://auth.example.com`:
   * a token's `iss` must be exactly this (RFC 9068 §4), and its metadata is found from it. `https`;
   * plain `http` only on a loopback host, for development.
   */
  issuer: string;
  /**
   * The identifier of the resource this guard protects (RFC 8707 §2): a token is admitted only when
   * its `aud` names it (RFC 9068 §4), so that a token issued for another resource of the same
   * issuer cannot be replayed here (the confused deputy; MCP's "token passthrough"). Required,
   * unless `resourceMetadata` is a description, whose `resource` it then is. A check's own
   * `resource` ({@link GuardCheckOptions}) takes its place.
   */
  resource?: string;
  /**
   * The resource's metadata (RFC 9728), named in every Bearer challenge as `resource_metadata`
   * (§5.1), with the scope a 401 needs, exactly as the database-backed guard does: a description
   * from `protectedResourceMetadata()` (which also sets `resource`, and must list `issuer` among
   * its authorization servers) or its metadata URL.
   */
  resourceMetadata?: string | ProtectedResource;
  /**
   * Where the issuer publishes its signing keys (RFC 7517 §5). Default: the `jwks_uri` of the
   * issuer's metadata, fetched once from `/.well-known/oauth-authorization-server` (RFC 8414 §3),
   * whose `issuer` must equal {@link JwtGuardOptions.issuer} (§3.3).
   */
  jwksUri?: string;
  /**
   * The signature algorithms accepted (the token's `alg`). Default `['ES256', 'EdDSA']`; add
   * `RS256` (RFC 7518 §3.3) for an issuer that signs access tokens with it (`signingKeys.algorithm`).
   * Public-key algorithms only: `none` and the HMAC algorithms (`HS256`…) are refused when the
   * guard is built, whatever is configured (RFC 9068 §4, RFC 8725 §3.1).
   */
  algorithms?: readonly string[];
  /** Leeway on `exp` and `nbf`, in seconds, for clocks that disagree a little. Default 5. */
  clockTolerance?: number;
  /**
   * How the key set is kept: fetched again once `maxAgeMs` old (default 600 000, 10 minutes) when
   * a request comes, and when a token names an unknown key, but never more than once per
   * `cooldownMs` (default 30 000), whatever the requests; the same bound holds after a failure.
   * A refresh for age runs behind the requests, which the keys in hand keep answering; only a
   * token naming a key not among them waits for it.
   */
  jwks?: { maxAgeMs?: number; cooldownMs?: number };
  /** How long a request to the authorization server may take, in ms. Default 5000. */
  timeoutMs?: number;
  /**
   * Verified tokens kept in memory (by SHA-256 digest), so that a token presented again costs no
   * signature check: at most `maxEntries` (default 10 000). A kept token is still refused once
   * expired, and every kept token is forgotten when a refresh of the key set finds a key withdrawn.
   * `false`: verify every request.
   */
  verifiedTokenCache?: { maxEntries?: number } | false;
  /**
   * Judge tokens that are not JWTs (opaque tokens) at the issuer's introspection endpoint (RFC
   * 7662), authenticating as the resource server's own client. Without it such tokens are refused
   * 401 `invalid_token`. A JWT that fails verification is never introspected. An introspected
   * token's `user` is its `sub`, and null only when the answer has none (RFC 9700 §4.15:
   * oauth2-kit's introspection leaves `sub` out of a client's own token).
   */
  introspection?: IntrospectionFallbackOptions;
  /** Realm of the Bearer challenge (RFC 6750 §3). Default `oauth2`. */
  realm?: string;
  /** Answer every error with 403, as the ancestor library did. Off by default. */
  legacyForbiddenErrors?: boolean;
  /** Accept `?access_token=` (RFC 6750 §2.3). Off by default: URLs end up in logs and histories. */
  allowBearerTokensInQueryString?: boolean;
  /**
   * Told about failures that are not protocol errors, for logging: above all an
   * {@link IssuerUnavailableError} (metadata, keys or introspection out of reach), once per failed
   * request to the issuer, while the guard answers 503. A check's own `onError` takes its place.
   */
  onError?: (error: unknown) => void;
  /** The clock `exp`, `nbf` and the caches are judged by. Default: the wall clock. */
  now?: () => Date;
}

const DEFAULTS = { clockTolerance: 5, jwksMaxAgeMs: 600_000, jwksCooldownMs: 30_000, timeoutMs: 5000, cacheEntries: 10_000 };
/** Verified tokens are verified again this often while in use: a bound on memory held, not on validity. */
const VERIFIED_MAX_AGE_MS = 300_000;

/**
 * A bearer-token guard for a resource server that verifies JWT access tokens (RFC 9068) itself,
 * with the issuer's published keys: no database, no call to the authorization server per request.
 * It answers exactly as `createGuard` does (RFC 6750 §3: 401 with a Bearer challenge, 400
 * `invalid_request`, 403 `insufficient_scope` naming the scope; `resource_metadata` per RFC 9728
 * §5.1), and puts the same {@link OAuthGuardOutcome} on success: `token.id` is the `jti`, `user` the
 * `sub` (null when the subject is the client itself, as for client_credentials tokens),
 * `client.name` the client id (a token carries no name).
 *
 * A token is admitted when its header says `typ: at+jwt`, its signature verifies with a key of the
 * issuer under an accepted algorithm, `iss` is the issuer, `aud` names the resource, it has not
 * expired, and it carries every claim RFC 9068 §2.2 requires. When the issuer's keys cannot be
 * fetched, the guard answers 503 `temporarily_unavailable` and reports an
 * {@link IssuerUnavailableError} naming the URL and the cause: a token it cannot judge is not called
 * invalid.
 *
 * What revocation means here: a JWT is valid until its `exp` at every verifier that holds the key;
 * revoking it at the authorization server does not reach this guard. Keep JWT access tokens short-
 * lived, or use introspection (the `introspection` option, for opaque tokens) where revocation must
 * take effect at once.
 *
 * @example
 * const bearer = createJwtGuard({ issuer: 'https://auth.example.com', resource: 'https://api.example.com' });
 * const outcome = await bearer.check(request, { scope: ['read'] });
 */
export function createJwtGuard(options: JwtGuardOptions): OAuth2GuardInteractor {
  if (typeof options !== 'object' || options === null) throw new TypeError('createJwtGuard needs its options: { issuer, resource }');
  if ((options as { acceptAnyAudience?: unknown }).acceptAnyAudience !== undefined) throw new TypeError(ANY_AUDIENCE_REFUSED);
  const base = guardBase(options);
  base.resource = jwtGuardResource(options, base.resource);
  const issuerUrl = parseIssuerFacingUrl(options.issuer, 'issuer');
  if (issuerUrl.search !== '' || options.issuer.includes('?')) throw new TypeError('issuer must not have a query (RFC 8414 §2)');
  const verification: JwtVerificationSettings = {
    issuer: options.issuer,
    algorithms: checkAlgorithms(options.algorithms ?? DEFAULT_JWT_ALGORITHMS),
    clockTolerance: nonNegative(options.clockTolerance, DEFAULTS.clockTolerance, 'clockTolerance'),
  };
  const timeoutMs = nonNegative(options.timeoutMs, DEFAULTS.timeoutMs, 'timeoutMs');
  const cooldownMs = nonNegative(options.jwks?.cooldownMs, DEFAULTS.jwksCooldownMs, 'jwks.cooldownMs');
  const clock = options.now;
  if (clock !== undefined && typeof clock !== 'function') throw new TypeError('now must be a function returning a Date');
  const nowMs = clock === undefined ? Date.now : () => clock().getTime();

  const metadata = new IssuerMetadata(options.issuer, issuerUrl, timeoutMs, cooldownMs);
  const jwksUri = options.jwksUri === undefined ? undefined : parseIssuerFacingUrl(options.jwksUri, 'jwksUri').href;
  const cacheOption = options.verifiedTokenCache;
  const verified =
    cacheOption === false
      ? undefined
      : new ExpiringCache<AccessTokenFacts>(positive(cacheOption?.maxEntries, DEFAULTS.cacheEntries, 'verifiedTokenCache.maxEntries'), VERIFIED_MAX_AGE_MS);
  const keySet = new RemoteKeySet(async () => jwksUri ?? (await metadata.endpoint('jwks_uri', nowMs())), {
    maxAgeMs: nonNegative(options.jwks?.maxAgeMs, DEFAULTS.jwksMaxAgeMs, 'jwks.maxAgeMs'),
    cooldownMs,
    timeoutMs,
    // A token verified with a key the issuer has withdrawn must not stay admitted from the cache.
    onKeysWithdrawn: () => verified?.clear(),
  });
  const introspection = introspectionOf(options.introspection, {
    issuer: options.issuer,
    endpoint: (nowMs) => metadata.endpoint('introspection_endpoint', nowMs),
    timeoutMs,
    clockTolerance: verification.clockTolerance,
  });

  // Every failed request to the issuer is reported once, however many checks it failed.
  const reported = new WeakSet<object>();
  const firstReport = (error: unknown): boolean => {
    if (typeof error !== 'object' || error === null || reported.has(error)) return false;
    reported.add(error);
    return true;
  };

  /** Who hears of a failed refresh of the key set started by this check: its reporter, once per failed request. */
  const refreshReporter =
    (check: StartedCheck) =>
    (failure: unknown): void => {
      if (firstReport(failure)) check.reporter?.(failure);
    };

  /** The facts of a JWT verified now, against the keys in hand (fetched again for an unknown key). */
  async function verifyNow(token: string, now: number, check: StartedCheck): Promise<AccessTokenFacts | null> {
    const keys = await keySet.current(now, refreshReporter(check));
    const at = new Date(now);
    const facts = await verifyJwtAccessToken(token, keys, verification, at);
    if (facts !== 'unknown_key') return facts;
    // A key the set does not hold: perhaps one the issuer has just begun to sign with.
    const refreshed = await keySet.afterUnknownKey(now);
    if (refreshed === undefined) return null;
    const retried = await verifyJwtAccessToken(token, refreshed, verification, at);
    return retried === 'unknown_key' ? null : retried;
  }

  /**
   * The kept verification of `token`, without waiting, or undefined when the token must be
   * verified or introspected now ({@link factsOf}).
   */
  function keptFacts(token: string, now: number, check: StartedCheck): AccessTokenFacts | undefined {
    return token.length > MAX_ACCESS_TOKEN_LENGTH || !isCompactJws(token) ? undefined : keptVerification(token, now, check);
  }

  /**
   * {@link keptFacts} without the look at the token's length and shape: for a token known to have
   * them, or a request's candidate, which can only match a kept token that had them.
   */
  function keptVerification(token: string, now: number, check: StartedCheck): AccessTokenFacts | undefined {
    if (verified === undefined) return undefined;
    // Keys due for a refresh are fetched again behind this request, which a kept verification
    // answers meanwhile; a refresh that finds a key withdrawn forgets every kept verification.
    // Tested first so that the reporter is built only for the rare request that starts a refresh.
    if (keySet.isStale(now)) keySet.refreshIfStale(now, refreshReporter(check));
    return verified.get(keptKey(token), now);
  }

  async function factsOf(token: string, now: number, check: StartedCheck): Promise<AccessTokenFacts | null> {
    if (!isCompactJws(token)) return introspection === undefined ? null : introspection.lookup(token, digestCredential(token), now);
    if (verified === undefined) return verifyNow(token, now, check);
    // through() also serves a kept entry, but keptFacts() looked first: a kept verification is
    // not redone ahead of its age (through() refreshes past half of it, which spares storage waits
    // elsewhere; here it would only spend a signature check per token).
    return verified.through(keptKey(token), now, () => verifyNow(token, now, check), keepAll);
  }

  /** The answer to a check whose token has these facts (null: unverifiable, unknown). */
  function judged(check: StartedCheck, facts: AccessTokenFacts | null, now: number): OAuthGuardOutcome {
    // Unverifiable, expired, unknown to introspection alike: the client needs a new token.
    if (facts === null || !isCurrent(facts, now, verification.clockTolerance)) {
      return refusal(check, protocolFailure('invalid_token', 'Invalid token: access token is invalid', 401));
    }
    // RFC 9068 §4, RFC 8707 §2: a token is good only at the resources it was issued for.
    const misdirected = audienceRefusal(check, facts.audience);
    if (misdirected !== undefined) return refusal(check, misdirected);
    if (!holdsScopes(facts.scope, check.required)) {
      return refusal(check, protocolFailure('insufficient_scope', 'Insufficient scope: authorized scope is insufficient', 403));
    }
    return { ok: true, oauth: guardResultOf(facts) };
  }

  async function verifiedCheck(check: StartedCheck, now: number): Promise<OAuthGuardOutcome> {
    try {
      return judged(check, await factsOf(check.token, now, check), now);
    } catch (error) {
      if (error instanceof IssuerUnavailableError) return unavailable(check, error, !firstReport(error));
      return refusal(check, classifyFailure(error), error);
    }
  }

  function checkEagerly(request: OAuthHttpRequest, checkOptions: GuardCheckOptions = {}): OAuthGuardOutcome | Promise<OAuthGuardOutcome> {
    if (checkOptions.acceptAnyAudience === true) throw new TypeError(ANY_AUDIENCE_REFUSED);
    const now = nowMs();
    // A token verified before is judged from memory, its request read without a pattern match.
    const candidate = verified === undefined ? undefined : keptTokenCandidate(request);
    if (candidate !== undefined && candidate.length <= MAX_ACCESS_TOKEN_LENGTH) {
      const check = checkOf(base, checkOptions);
      // No look at the token's shape: a kept one had it.
      const kept = keptVerification(candidate, now, check);
      if (kept !== undefined) {
        check.token = candidate;
        return judged(check, kept, now);
      }
    }
    const started = startGuardCheck(base, request, checkOptions);
    if (!started.ok) return started.outcome;
    const { check } = started;
    // Longer than any access token the kit issues (the bound its issuer and database guard keep):
    // refused before it is hashed, decoded or sent to the issuer.
    if (check.token.length > MAX_ACCESS_TOKEN_LENGTH) return judged(check, null, now);
    // The candidate, when there was one, is this token, and was looked for already.
    const kept = candidate === undefined ? keptFacts(check.token, now, check) : undefined;
    return kept === undefined ? verifiedCheck(check, now) : judged(check, kept, now);
  }

  return guardInteractor(checkEagerly);
}

/**
 * The key of a kept verification: the token's SHA-256, so that no token is kept in memory, as raw
 * bytes (a 32-character string), which the cache's map hashes and compares fastest.
 */
function keptKey(token: string): string {
  return hash('sha256', token, 'binary');
}

const keepAll = (): boolean => true;

/**
 * 503 for a token the guard cannot judge now. When only the introspections in flight stood in the
 * way, that passes within moments: `Retry-After` says so (RFC 9110 §10.2.3).
 */
function unavailable(check: StartedCheck, error: IssuerUnavailableError, reported: boolean): OAuthGuardOutcome {
  const outcome = refusal(check, { kind: 'unavailable' }, error, reported);
  if (!outcome.ok && error.code === 'introspection_busy') outcome.response.headers['retry-after'] = '1';
  return outcome;
}

const ANY_AUDIENCE_REFUSED = 'a JWT guard admits only tokens whose aud names its resource (RFC 9068 §4): acceptAnyAudience is not an option of createJwtGuard';

/** The resource a JWT guard protects: required, as a JWT guard without an audience would admit any resource's tokens. */
function jwtGuardResource(options: JwtGuardOptions, configured: string | undefined): string {
  const described = typeof options.resourceMetadata === 'object' && options.resourceMetadata !== null ? options.resourceMetadata : undefined;
  if (described !== undefined) {
    if (options.resource !== undefined && options.resource !== described.resource) {
      throw new TypeError(`resource ${JSON.stringify(options.resource)} is not the resource resourceMetadata describes, ${JSON.stringify(described.resource)}`);
    }
    if (!described.metadata.authorization_servers.includes(options.issuer)) {
      throw new TypeError(
        `resourceMetadata does not list the issuer ${JSON.stringify(options.issuer)} among its authorization_servers: clients would get tokens this guard refuses`,
      );
    }
  }
  const resource = configured;
  if (resource === undefined) {
    throw new TypeError('createJwtGuard needs the resource it protects, whose tokens it admits (RFC 9068 §4 aud): { resource } or a described { resourceMetadata }');
  }
  return resource;
}

function introspectionOf(
  options: IntrospectionFallbackOptions | undefined,
  settings: Omit<ConstructorParameters<typeof IntrospectionFallback>[1], 'cache' | 'maxInFlight'>,
): IntrospectionFallback | undefined {
  if (options === undefined) return undefined;
  if (typeof options.clientId !== 'string' || options.clientId === '' || typeof options.clientSecret !== 'string' || options.clientSecret === '') {
    throw new TypeError('introspection needs the clientId and clientSecret the resource server authenticates with (RFC 7662 §2.1)');
  }
  const endpoint = options.endpoint === undefined ? undefined : parseIssuerFacingUrl(options.endpoint, 'introspection.endpoint').href;
  const maxInFlight = positive(options.maxInFlight, DEFAULT_INTROSPECTIONS_IN_FLIGHT, 'introspection.maxInFlight');
  return new IntrospectionFallback(options, {
    ...settings,
    cache: introspectionCacheOf(options.cache),
    maxInFlight,
    ...(endpoint === undefined ? {} : { endpoint: async () => endpoint }),
  });
}

/** The `introspection.cache` option, checked as `verifiedTokenCache` and `jwks` are. */
function introspectionCacheOf(cache: IntrospectionFallbackOptions['cache']): IntrospectionCache | false {
  if (cache === false) return false;
  if (cache !== undefined && (typeof cache !== 'object' || cache === null)) {
    throw new TypeError(`introspection.cache must be { maxAgeMs?, maxEntries? } or false, got ${String(cache)}`);
  }
  return {
    maxAgeMs: nonNegative(cache?.maxAgeMs, DEFAULT_INTROSPECTION_CACHE.maxAgeMs, 'introspection.cache.maxAgeMs'),
    maxEntries: positive(cache?.maxEntries, DEFAULT_INTROSPECTION_CACHE.maxEntries, 'introspection.cache.maxEntries'),
  };
}

function nonNegative(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`${option} must be a number ≥ 0, got ${String(value)}`);
  return value;
}

function positive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${option} must be a whole number ≥ 1, got ${String(value)}`);
  return value;
}
