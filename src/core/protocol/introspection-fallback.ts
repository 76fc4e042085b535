import { ExpiringCache } from '../runtime/expiring-cache.js';
import { audienceList, isCurrent, scopeList, type AccessTokenFacts } from './access-token-facts.js';
import { fetchIssuerJson } from './issuer-fetch.js';
import { IssuerUnavailableError } from './issuer-unavailable-error.js';

/**
 * Opaque access tokens, judged by the authorization server's introspection endpoint (RFC 7662):
 * one authenticated POST per token, then the answer kept for a short while. A guard that verifies
 * JWTs uses it for the tokens that are not JWTs, so that a resource can take both kinds while some
 * resources of the same issuer still get opaque tokens.
 *
 * Anyone can send a made-up bearer value, and each new one would cost the issuer a request made
 * with the resource server's own credentials (a flood could get that client throttled there, and
 * genuine tokens refused with it). So the requests in flight are bounded, and an answer that a
 * token is not active is kept as long as an active one, apart from them.
 */

/** The `introspection` option of a JWT guard. */
export interface IntrospectionFallbackOptions {
  /**
   * The introspection endpoint. Default: the `introspection_endpoint` of the issuer's metadata
   * (RFC 8414), fetched once.
   */
  endpoint?: string;
  /**
   * The resource server's own client, which authenticates at the endpoint with HTTP Basic (RFC
   * 7662 §2.1, RFC 6749 §2.3.1). On oauth2-kit's server, a confidential client registered with
   * `allowIntrospection`, so that it may introspect the tokens of every other client.
   */
  clientId: string;
  clientSecret: string;
  /**
   * How long an answer is kept, in ms (default 5000), and how many at most (default 10 000). A
   * token revoked meanwhile is admitted until its answer is that old. Answers that a token is not
   * active are kept as long (a token never becomes active again), as many, apart from the active
   * ones, so that a flood of made-up tokens cannot push those out. `false`: ask for every request.
   */
  cache?: { maxAgeMs?: number; maxEntries?: number } | false;
  /**
   * How many introspection requests may be in flight at once (default 8). A request with another
   * opaque token that is not in the cache meanwhile is answered `503` with `Retry-After: 1`, and an
   * {@link IssuerUnavailableError} `introspection_busy` is reported, at most once a minute. Each
   * token in use costs a request per `cache.maxAgeMs`: raise this for a resource that sees many
   * opaque tokens at once.
   */
  maxInFlight?: number;
}

/** How long introspection answers are kept, in ms, and how many of each kind. */
export interface IntrospectionCache {
  maxAgeMs: number;
  maxEntries: number;
}

export const DEFAULT_INTROSPECTION_CACHE: Readonly<IntrospectionCache> = Object.freeze({ maxAgeMs: 5000, maxEntries: 10_000 });
export const DEFAULT_INTROSPECTIONS_IN_FLIGHT = 8;
/** A busy endpoint is reported at most this often: under a flood, every request would be a report. */
const BUSY_REPORT_INTERVAL_MS = 60_000;

const keepAll = (): boolean => true;

export class IntrospectionFallback {
  readonly #authorization: string;
  readonly #active: ExpiringCache<AccessTokenFacts> | undefined;
  /** Digests of tokens the endpoint said are not active access tokens. */
  readonly #inactive: ExpiringCache<true> | undefined;
  #inFlight = 0;
  /** The report of the latest refusal for want of a free slot, reused while recent. */
  #busy: { error: IssuerUnavailableError; atMs: number } | undefined;

  constructor(
    options: Pick<IntrospectionFallbackOptions, 'clientId' | 'clientSecret'>,
    private readonly settings: {
      issuer: string;
      /** The endpoint's URL, from the option or the issuer's metadata. */
      endpoint: (nowMs: number) => Promise<string>;
      timeoutMs: number;
      clockTolerance: number;
      /** The `cache` option, checked; false: none. */
      cache: IntrospectionCache | false;
      maxInFlight: number;
    },
  ) {
    // RFC 6749 §2.3.1: both parts form-encoded, then joined and Base64-encoded.
    const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
    this.#authorization = `Basic ${Buffer.from(`${encode(options.clientId)}:${encode(options.clientSecret)}`).toString('base64')}`;
    const { cache } = settings;
    this.#active = cache === false ? undefined : new ExpiringCache(cache.maxEntries, cache.maxAgeMs);
    this.#inactive = cache === false ? undefined : new ExpiringCache(cache.maxEntries, cache.maxAgeMs);
  }

  /**
   * The facts of an active access token, or null; an `IssuerUnavailableError` when the endpoint
   * cannot answer, or may not be asked now. `digest` is the token's hex SHA-256.
   */
  async lookup(token: string, digest: string, nowMs: number): Promise<AccessTokenFacts | null> {
    if (this.#inactive?.get(digest, nowMs) !== undefined) return null;
    const introspect = () => this.#introspect(token, digest, nowMs);
    const facts = this.#active === undefined ? await introspect() : await this.#active.through(digest, nowMs, introspect, keepAll);
    return facts !== null && isCurrent(facts, nowMs, this.settings.clockTolerance) ? facts : null;
  }

  async #introspect(token: string, digest: string, nowMs: number): Promise<AccessTokenFacts | null> {
    const endpoint = await this.settings.endpoint(nowMs);
    if (this.#inFlight >= this.settings.maxInFlight) throw this.#busyError(endpoint, nowMs);
    const ticket = this.#inactive?.ticket(nowMs);
    this.#inFlight += 1;
    let answer: Record<string, unknown>;
    try {
      answer = await fetchIssuerJson('introspection_unavailable', 'Introspection endpoint', endpoint, this.settings.timeoutMs, {
        method: 'POST',
        headers: { authorization: this.#authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      });
    } finally {
      this.#inFlight -= 1;
    }
    const facts = this.#factsOf(answer, digest);
    if (facts === null && ticket !== undefined) this.#inactive?.set(digest, true, ticket);
    return facts;
  }

  #busyError(endpoint: string, nowMs: number): IssuerUnavailableError {
    const busy = this.#busy;
    if (busy !== undefined && nowMs - busy.atMs >= 0 && nowMs - busy.atMs < BUSY_REPORT_INTERVAL_MS) return busy.error;
    const error = new IssuerUnavailableError(
      'introspection_busy',
      endpoint,
      `Introspection endpoint ${endpoint} was not asked: ${this.settings.maxInFlight} introspections are in flight already (introspection.maxInFlight); ` +
        'requests with other opaque tokens are answered 503 meanwhile (reported at most once a minute)',
    );
    this.#busy = { error, atMs: nowMs };
    return error;
  }

  /**
   * RFC 7662 §2.2: only `active: true` means anything. An access token must also be a bearer
   * token (a refresh token is active too, and is no access token), from this issuer when the
   * answer says, and carry the `exp` and `client_id` the guard reports.
   *
   * The user is `sub`, whatever it is: an introspection answer has no need to name a client's own
   * token by its client id, and oauth2-kit's leaves `sub` out for it, so that a user whose id is
   * also a client's is never taken for that client (RFC 9700 §4.15). A JWT has no such choice
   * (`userOfSubject`).
   */
  #factsOf(answer: Record<string, unknown>, digest: string): AccessTokenFacts | null {
    if (answer['active'] !== true) return null;
    const { token_type: tokenType, iss, exp, nbf, client_id: clientId, sub, username, jti } = answer;
    if (tokenType !== undefined && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')) return null;
    if (iss !== undefined && iss !== this.settings.issuer) return null;
    if (typeof exp !== 'number' || typeof clientId !== 'string' || clientId === '') return null;
    if (sub !== undefined && (typeof sub !== 'string' || sub === '')) return null;
    const audience = audienceList(answer['aud']);
    const scope = scopeList(answer['scope']);
    if (audience === undefined || scope === undefined) return null;
    return {
      // Opaque tokens of oauth2-kit carry no jti: the token's digest identifies it without revealing it.
      id: typeof jti === 'string' && jti !== '' ? jti : digest,
      expiresAt: exp,
      notBefore: typeof nbf === 'number' ? nbf : undefined,
      clientId,
      userId: sub ?? null,
      username: typeof username === 'string' ? username : undefined,
      scope,
      audience,
    };
  }
}
