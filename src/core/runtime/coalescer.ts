/**
 * Coalesces storage calls into batches: one round trip serves every request waiting at that
 * moment, instead of one round trip each.
 *
 * Why: on a busy server the fixed costs of a storage call (the driver's socket write and read, the
 * database's per-statement work and, for a write, its commit) outweigh the indexed lookup or the
 * one-row insert itself. Requests that arrive together pay those costs once per batch
 * (docs/benchmarks.md has the figures).
 *
 * Exact: an input is only ever served by a call sent after it was submitted, so a request sees
 * every change committed before it arrived. Inputs submitted while `maxInFlight` batches are out
 * wait for the next batch rather than joining one in flight.
 */
export interface CoalescerOptions {
  /** Batches out at once; further inputs queue for the next. */
  maxInFlight: number;
  /** Inputs per batch at most (the storage port's limit). */
  maxBatch: number;
  /**
   * How long the first input of a batch waits for others, in ms. Default 0: until the current turn
   * of the event loop has submitted what it will. Only for inputs nobody waits on (reads ahead of
   * need), which may gather for a while and go out as one call.
   */
  windowMs?: number;
}

interface Waiting<I, O> {
  input: I;
  key: string | undefined;
  promise: Promise<O>;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export class Coalescer<I, O> {
  /** Inputs submitted and not yet sent, in order; keyed ones also by key. */
  #queue: Array<Waiting<I, O>> = [];
  readonly #queuedByKey = new Map<string, Waiting<I, O>>();
  #inFlight = 0;
  #scheduled = false;

  constructor(
    /** Serves a batch in one round trip: one output per input, in the inputs' order. */
    private readonly send: (inputs: I[]) => Promise<O[]>,
    private readonly options: CoalescerOptions,
  ) {}

  /**
   * Serves `input` in the next batch sent. Inputs submitted with the same `key` while it is still
   * queued share one place in the batch, and one output.
   */
  submit(input: I, key?: string): Promise<O> {
    if (key !== undefined) {
      const queued = this.#queuedByKey.get(key);
      if (queued !== undefined) return queued.promise;
    }
    let resolve!: (value: O) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<O>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const waiting: Waiting<I, O> = { input, key, promise, resolve, reject };
    this.#queue.push(waiting);
    if (key !== undefined) this.#queuedByKey.set(key, waiting);
    this.#schedule();
    return promise;
  }

  /**
   * Sends a batch once the current turn of the event loop has submitted what it will: requests
   * whose bytes arrived together are served together, for one `setImmediate` of latency.
   */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.options.maxInFlight) return;
    this.#scheduled = true;
    const sendNow = () => {
      this.#scheduled = false;
      this.#send();
    };
    const windowMs = this.options.windowMs ?? 0;
    // A window's timer keeps no process alive: what it would send, nobody waits for.
    if (windowMs > 0) setTimeout(sendNow, windowMs).unref();
    else setImmediate(sendNow);
  }

  #send(): void {
    if (this.#queue.length === 0 || this.#inFlight >= this.options.maxInFlight) return;
    const batch = this.#queue.splice(0, this.options.maxBatch);
    // Keys of inputs now leaving the queue: a later submission must wait for a later read.
    for (const waiting of batch) if (waiting.key !== undefined) this.#queuedByKey.delete(waiting.key);
    this.#inFlight++;
    let sent: Promise<O[]>;
    try {
      sent = this.send(batch.map((waiting) => waiting.input));
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent
      .then(
        (outputs) => {
          batch.forEach((waiting, i) => waiting.resolve(outputs[i] as O));
        },
        (error: unknown) => {
          for (const waiting of batch) waiting.reject(error);
        },
      )
      .finally(() => {
        this.#inFlight--;
        // What queued meanwhile has waited a round trip already, and was submitted before now: send it.
        this.#send();
      });
  }
}
