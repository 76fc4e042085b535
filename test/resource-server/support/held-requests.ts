/**
 * Requests a test server holds unanswered, as an authorization server that hangs does, until the
 * test releases them; and a way to wait until a number of them have arrived, so that a test knows
 * a request is in flight without waiting any time.
 */
export class HeldRequests {
  #holding = false;
  #held: Array<() => void> = [];
  #arrived = 0;
  #waiters: Array<{ count: number; resolve: () => void }> = [];

  /** From now on, requests are held until {@link release}. */
  hold(): void {
    this.#holding = true;
  }

  /** Answers every held request, and the next ones at once. */
  release(): void {
    this.#holding = false;
    for (const answer of this.#held.splice(0)) answer();
  }

  /** Counts a request, and answers it with `answer` now, or once released. */
  handle(answer: () => void): void {
    this.#arrived += 1;
    for (const waiter of this.#waiters.filter((candidate) => candidate.count <= this.#arrived)) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    if (this.#holding) this.#held.push(answer);
    else answer();
  }

  /** Requests received so far, answered or held. */
  get arrived(): number {
    return this.#arrived;
  }

  /** Resolves once `count` requests have arrived in all. */
  arrival(count: number): Promise<void> {
    if (this.#arrived >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }
}
