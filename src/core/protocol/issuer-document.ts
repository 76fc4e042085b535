/**
 * Something a resource server fetches from its authorization server (its metadata, its key set),
 * fetched at most once per cooldown whatever the traffic: requests that need it while a fetch is in
 * flight wait for that fetch, and once a fetch has started, the next one may start only
 * `cooldownMs` later (sooner only if the clock went back), whether the first succeeded or failed.
 * So neither an outage of the issuer nor a stream of tokens naming keys nobody published can make
 * the resource server send more than one request per cooldown.
 */
export class IssuerDocument<T> {
  #value: T | undefined;
  #loadedAt = Number.NEGATIVE_INFINITY;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  #failure: unknown;
  #pending: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    readonly cooldownMs: number,
  ) {}

  /** The latest value fetched, if any fetch succeeded. */
  get value(): T | undefined {
    return this.#value;
  }

  /** When the fetch that produced {@link value} started (ms, the caller's clock). */
  get loadedAt(): number {
    return this.#loadedAt;
  }

  /** The error of the latest fetch, when it failed; undefined once one succeeds. */
  get failure(): unknown {
    return this.#failure;
  }

  /** Whether a fetch may start at `nowMs`, or is in flight: the cooldown since the last start has passed. */
  mayFetch(nowMs: number): boolean {
    if (this.#pending !== undefined) return true;
    const since = nowMs - this.#attemptedAt;
    return since < 0 || since >= this.cooldownMs;
  }

  /**
   * The fetch in flight, or a new one when the cooldown allows; undefined when it does not (no
   * request is sent). The promise rejects with the fetch's error.
   */
  fetch(nowMs: number): Promise<T> | undefined {
    if (this.#pending !== undefined) return this.#pending;
    if (!this.mayFetch(nowMs)) return undefined;
    this.#attemptedAt = nowMs;
    const pending = this.load()
      .then(
        (value) => {
          this.#value = value;
          this.#loadedAt = nowMs;
          this.#failure = undefined;
          return value;
        },
        (error: unknown) => {
          this.#failure = error;
          throw error;
        },
      )
      .finally(() => {
        if (this.#pending === pending) this.#pending = undefined;
      });
    this.#pending = pending;
    return pending;
  }

  /**
   * The value, fetched the first time it is needed: the latest value when there is one, else the
   * fetch in flight or a new one; when the cooldown forbids a new one, the last fetch's error.
   */
  async get(nowMs: number): Promise<T> {
    if (this.#value !== undefined) return this.#value;
    const pending = this.fetch(nowMs);
    if (pending === undefined) throw this.#failure;
    return pending;
  }
}
