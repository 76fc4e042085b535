import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { fetchIssuerJson } from './issuer-fetch.js';
import { IssuerDocument } from './issuer-document.js';
import { IssuerUnavailableError } from './issuer-unavailable-error.js';

/**
 * The authorization server's signing keys (its JWKS, RFC 7517 §5) as a resource server keeps them:
 *
 * - fetched the first time a token is verified; without them no token can be judged, so a failed
 *   first fetch is an {@link IssuerUnavailableError} (a 503), never a refusal of the token;
 * - fetched again once `maxAgeMs` old, when a request comes; if that fetch fails, the keys in hand
 *   stay in use (a resource server keeps verifying through an outage of its issuer) and the
 *   failure is reported;
 * - fetched again when a token names a key (`kid`) the set does not hold — a key the issuer has
 *   just started signing with — but, like every fetch, at most once per `cooldownMs`
 *   ({@link IssuerDocument}): a stream of tokens with made-up `kid`s costs the issuer one request
 *   per cooldown at most, and the tokens are refused meanwhile.
 *
 * jose's `createRemoteJWKSet` fetches too, but differs on two of these rules: it fetches anew on
 * every request while the issuer is unreachable (its cooldown starts only after a success), and it
 * fails every verification once a refresh past its maximum age fails.
 */
export class RemoteKeySet {
  readonly #document: IssuerDocument<JWTVerifyGetKey>;
  /** The keys of the latest set, as JSON text, to tell withdrawn keys from added ones. */
  #published = new Set<string>();

  constructor(
    url: () => Promise<string>,
    private readonly settings: {
      maxAgeMs: number;
      cooldownMs: number;
      timeoutMs: number;
      /** Told when a refresh finds that a key published before is gone. */
      onKeysWithdrawn: () => void;
    },
  ) {
    this.#document = new IssuerDocument(async () => {
      const at = await url();
      const json = await fetchIssuerJson('jwks_unavailable', 'JWKS', at, settings.timeoutMs);
      let keys: JWTVerifyGetKey;
      try {
        keys = createLocalJWKSet(json as unknown as JSONWebKeySet);
      } catch (error) {
        throw new IssuerUnavailableError('jwks_unavailable', at, `JWKS ${at} is not a JSON Web Key Set: ${(error as Error).message}`, { cause: error });
      }
      this.#notePublished(json['keys'] as unknown[]);
      return keys;
    }, settings.cooldownMs);
  }

  /** Whether the next verification must go through {@link current}: no keys yet, or keys `maxAgeMs` old. */
  needsRefresh(nowMs: number): boolean {
    const age = nowMs - this.#document.loadedAt;
    return this.#document.value === undefined || age < 0 || age >= this.settings.maxAgeMs;
  }

  /**
   * The keys to verify with. The first time, fetched (or the fetch's error); when `maxAgeMs` old
   * and the cooldown allows, fetched again, keeping the keys in hand if that fails, in which case
   * `refreshFailure` says why.
   */
  async current(nowMs: number): Promise<{ keys: JWTVerifyGetKey; refreshFailure?: unknown }> {
    const held = this.#document.value;
    if (held === undefined) return { keys: await this.#document.get(nowMs) };
    if (!this.needsRefresh(nowMs)) return { keys: held };
    const refresh = this.#document.fetch(nowMs);
    if (refresh === undefined) return { keys: held };
    try {
      return { keys: await refresh };
    } catch (error) {
      return { keys: held, refreshFailure: error };
    }
  }

  /**
   * After a token named a key the set does not hold: the set fetched again, when the cooldown
   * allows; `undefined` when it does not and the latest fetch succeeded (the key is unknown).
   * When the latest fetch failed, its error: the key may exist, the issuer cannot say.
   */
  async afterUnknownKey(nowMs: number): Promise<JWTVerifyGetKey | undefined> {
    const refresh = this.#document.fetch(nowMs);
    if (refresh !== undefined) return refresh;
    if (this.#document.failure !== undefined) throw this.#document.failure;
    return undefined;
  }

  #notePublished(keys: unknown[]): void {
    const published = new Set(keys.map((key) => JSON.stringify(key)));
    const withdrawn = [...this.#published].some((key) => !published.has(key));
    this.#published = published;
    if (withdrawn) this.settings.onKeysWithdrawn();
  }
}
