/**
 * Coalesces lookups by key into batches: one storage round trip answers every request that is
 * waiting at that moment, instead of one round trip each.
 *
 * Why: a guarded request costs one indexed lookup, and on a busy server the fixed costs around it
 * (the driver's socket write and read, the database's per-statement work) outweigh the lookup
 * itself. Answering the requests that arrive together with one statement spends those costs once
 * per batch (docs/benchmarks.md has the figures).
 *
 * Still exact: a key is only ever answered by a read that was sent after the key was asked for,
 * so a revocation committed before a request arrived is always seen by that request. Keys that
 * arrive while `maxInFlight` batches are out wait for the next batch rather than joining one in
 * flight.
 */
export interface CoalescedLookupOptions {
  /** Batches out at once; further keys queue for the next. */
  maxInFlight: number;
  /** Keys per batch at most (the storage port's limit). */
  maxBatch: number;
}

interface Waiting<V> {
  promise: Promise<V | null>;
  resolve(value: V | null): void;
  reject(error: unknown): void;
}

export class CoalescedLookup<V> {
  /** Keys asked for and not yet sent, each with the promise all its askers share. */
  readonly #queued = new Map<string, Waiting<V>>();
  #inFlight = 0;
  #scheduled = false;

  constructor(
    /** Reads many keys in one round trip; keys not found are simply absent from the result. */
    private readonly fetchMany: (keys: string[]) => Promise<Map<string, V>>,
    private readonly options: CoalescedLookupOptions,
  ) {}

  /** The value stored under `key`, or null; read in the next batch sent. */
  get(key: string): Promise<V | null> {
    const queued = this.#queued.get(key);
    if (queued !== undefined) return queued.promise;
    let resolve!: (value: V | null) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<V | null>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#queued.set(key, { promise, resolve, reject });
    this.#schedule();
    return promise;
  }

  /**
   * Sends a batch once the current turn of the event loop has queued what it will: requests whose
   * bytes arrived together are answered together, at the cost of one `setImmediate` of latency.
   */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.options.maxInFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#send();
    });
  }

  #send(): void {
    if (this.#queued.size === 0 || this.#inFlight >= this.options.maxInFlight) return;
    const batch = new Map<string, Waiting<V>>();
    for (const [key, waiting] of this.#queued) {
      if (batch.size >= this.options.maxBatch) break;
      batch.set(key, waiting);
    }
    for (const key of batch.keys()) this.#queued.delete(key);
    this.#inFlight++;
    let read: Promise<Map<string, V>>;
    try {
      read = this.fetchMany([...batch.keys()]);
    } catch (error) {
      read = Promise.reject(error);
    }
    read.then(
      (found) => {
        for (const [key, waiting] of batch) waiting.resolve(found.get(key) ?? null);
      },
      (error: unknown) => {
        for (const waiting of batch.values()) waiting.reject(error);
      },
    ).finally(() => {
      this.#inFlight--;
      // What queued meanwhile has waited a round trip already, and asked before this moment: send it now.
      this.#send();
    });
  }
}
