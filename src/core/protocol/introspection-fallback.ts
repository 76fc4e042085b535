import { hash } from 'node:crypto';
import { ExpiringCache } from '../runtime/expiring-cache.js';
import { audienceList, isCurrent, scopeList, userOfSubject, type AccessTokenFacts } from './access-token-facts.js';
import { fetchIssuerJson } from './issuer-fetch.js';

/**
 * Opaque access tokens, judged by the authorization server's introspection endpoint (RFC 7662):
 * one authenticated POST per token, then the answer kept for a short while. A guard that verifies
 * JWTs uses it for the tokens that are not JWTs, so that a resource can take both kinds while some
 * resources of the same issuer still get opaque tokens.
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
   * How long an answer that a token is active is kept, in ms (default 5000), and how many at most
   * (default 10 000). A token revoked meanwhile is admitted until its answer is that old. Answers
   * that a token is not active are not kept. `false`: ask for every request.
   */
  cache?: { maxAgeMs?: number; maxEntries?: number } | false;
}

export const DEFAULT_INTROSPECTION_CACHE = Object.freeze({ maxAgeMs: 5000, maxEntries: 10_000 });

export class IntrospectionFallback {
  readonly #authorization: string;
  readonly #cache: ExpiringCache<AccessTokenFacts> | undefined;

  constructor(
    options: IntrospectionFallbackOptions,
    private readonly settings: {
      issuer: string;
      /** The endpoint's URL, from the option or the issuer's metadata. */
      endpoint: (nowMs: number) => Promise<string>;
      timeoutMs: number;
      clockTolerance: number;
    },
  ) {
    // RFC 6749 §2.3.1: both parts form-encoded, then joined and Base64-encoded.
    const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
    this.#authorization = `Basic ${Buffer.from(`${encode(options.clientId)}:${encode(options.clientSecret)}`).toString('base64')}`;
    const cache = options.cache === false ? undefined : { ...DEFAULT_INTROSPECTION_CACHE, ...options.cache };
    this.#cache = cache === undefined ? undefined : new ExpiringCache(cache.maxEntries, cache.maxAgeMs);
  }

  /** The facts of an active access token, or null; an `IssuerUnavailableError` when the endpoint cannot answer. */
  async lookup(token: string, nowMs: number): Promise<AccessTokenFacts | null> {
    const facts =
      this.#cache === undefined
        ? await this.#introspect(token, nowMs)
        : await this.#cache.through(hash('sha256', token, 'hex'), nowMs, () => this.#introspect(token, nowMs), () => true);
    return facts !== null && isCurrent(facts, nowMs, this.settings.clockTolerance) ? facts : null;
  }

  async #introspect(token: string, nowMs: number): Promise<AccessTokenFacts | null> {
    const endpoint = await this.settings.endpoint(nowMs);
    const answer = await fetchIssuerJson('introspection_unavailable', 'Introspection endpoint', endpoint, this.settings.timeoutMs, {
      method: 'POST',
      headers: { authorization: this.#authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
    });
    return this.#factsOf(answer, token);
  }

  /**
   * RFC 7662 §2.2: only `active: true` means anything. An access token must also be a bearer
   * token (a refresh token is active too, and is no access token), from this issuer when the
   * answer says, and carry the `exp` and `client_id` the guard reports.
   */
  #factsOf(answer: Record<string, unknown>, token: string): AccessTokenFacts | null {
    if (answer['active'] !== true) return null;
    const { token_type: tokenType, iss, exp, nbf, client_id: clientId, sub, username, jti } = answer;
    if (tokenType !== undefined && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')) return null;
    if (iss !== undefined && iss !== this.settings.issuer) return null;
    if (typeof exp !== 'number' || typeof clientId !== 'string' || clientId === '') return null;
    if (sub !== undefined && typeof sub !== 'string') return null;
    const audience = audienceList(answer['aud']);
    const scope = scopeList(answer['scope']);
    if (audience === undefined || scope === undefined) return null;
    return {
      // Opaque tokens of oauth2-kit carry no jti: the token's digest identifies it without revealing it.
      id: typeof jti === 'string' && jti !== '' ? jti : hash('sha256', token, 'hex'),
      expiresAt: exp,
      notBefore: typeof nbf === 'number' ? nbf : undefined,
      clientId,
      userId: userOfSubject(sub, clientId),
      username: typeof username === 'string' ? username : undefined,
      scope,
      audience,
    };
  }
}
