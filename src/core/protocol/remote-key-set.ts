import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { fetchIssuerJson } from './issuer-fetch.js';
import { IssuerDocument } from './issuer-document.js';
import { IssuerUnavailableError } from './issuer-unavailable-error.js';

/**
 * The authorization server's signing keys (its JWKS, RFC 7517 §5) as a resource server keeps them:
 *
 * - fetched the first time a token is verified; without them no token can be judged, so a failed
 *   first fetch is an {@link IssuerUnavailableError} (a 503), never a refusal of the token;
 * - fetched again once `maxAgeMs` old, when a request comes, in the background: the keys in hand
 *   serve meanwhile, so that an issuer that is slow to answer, or hangs until the time-out, holds
 *   up no request whose key is among them. If that fetch fails, the keys in hand stay in use (a
 *   resource server keeps verifying through an outage of its issuer) and the failure is reported;
 * - fetched again when a token names a key (`kid`) the set does not hold — a key the issuer has
 *   just started signing with — but, like every fetch, at most once per `cooldownMs`
 *   ({@link IssuerDocument}): a stream of tokens with made-up `kid`s costs the issuer one request
 *   per cooldown at most, and the tokens are refused meanwhile. Such a token, and a first one
 *   before any keys are in hand, wait for the fetch in flight.
 *
 * jose's `createRemoteJWKSet` fetches too, but differs on two of these rules: it fetches anew on
 * every request while the issuer is unreachable (its cooldown starts only after a success), and it
 * fails every verification once a refresh past its maximum age fails.
 */
export class RemoteKeySet {
  readonly #document: IssuerDocument<JWTVerifyGetKey>;
  /** The keys of the latest set, as JSON text, to tell withdrawn keys from added ones. */
  #published = new Set<string>();
  /** The latest fetch started in the background, whose failure has been handed to a reporter. */
  #background: Promise<JWTVerifyGetKey> | undefined;

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

  /**
   * The keys to verify with. The first time, fetched (or the fetch's error). Later, the keys in
   * hand, at once: when they are `maxAgeMs` old, {@link refreshIfStale} fetches them again behind.
   */
  async current(nowMs: number, onRefreshFailure: (error: unknown) => void): Promise<JWTVerifyGetKey> {
    const held = this.#document.value;
    if (held === undefined) return this.#document.get(nowMs);
    this.refreshIfStale(nowMs, onRefreshFailure);
    return held;
  }

  /**
   * Starts a fetch in the background when the keys in hand are `maxAgeMs` old and the cooldown
   * allows, unless one is in flight; its failure goes to `onRefreshFailure`, once. The keys in hand
   * stay in use until it succeeds; when it finds a key withdrawn, `onKeysWithdrawn` is told.
   */
  refreshIfStale(nowMs: number, onRefreshFailure: (error: unknown) => void): void {
    if (!this.isStale(nowMs)) return;
    const refresh = this.#document.fetch(nowMs);
    if (refresh === undefined || refresh === this.#background) return;
    this.#background = refresh;
    refresh.catch(onRefreshFailure);
  }

  /** Whether keys are in hand and {@link refreshIfStale} would fetch them again now. */
  isStale(nowMs: number): boolean {
    const age = nowMs - this.#document.loadedAt;
    return this.#document.value !== undefined && !(age >= 0 && age < this.settings.maxAgeMs);
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
