/**
 * The in-process cache of client metadata documents: bounded (the oldest entry goes first), each
 * entry kept for the lifetime its load names (document-source.ts reads it from the caching
 * headers, within bounds), and concurrent loads of one key
 * sharing one load. Only what a load returns is stored: a failure is never cached
 * (draft-ietf-oauth-client-id-metadata-document-01 §4.4: "MUST NOT cache error responses").
 */
export class DocumentCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #loading = new Map<string, Promise<V>>();

  constructor(
    private readonly maxEntries: number,
    /** The clock expiry is judged on, in ms. */
    private readonly now: () => number,
  ) {}

  /**
   * The live entry for `key`, else what `load` returns — one load for every caller waiting on the
   * key at that moment — kept for the `lifetimeMs` it names (0: not kept).
   */
  get(key: string, load: () => Promise<{ value: V; lifetimeMs: number }>): Promise<V> {
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      if (this.now() < entry.expiresAt) return Promise.resolve(entry.value);
      this.#entries.delete(key);
    }
    const pending = this.#loading.get(key);
    if (pending !== undefined) return pending;
    const loading = load()
      .then(({ value, lifetimeMs }) => {
        if (lifetimeMs > 0) this.#store(key, value, this.now() + lifetimeMs);
        return value;
      })
      .finally(() => this.#loading.delete(key));
    this.#loading.set(key, loading);
    return loading;
  }

  #store(key: string, value: V, expiresAt: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
