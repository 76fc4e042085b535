import { availableParallelism } from 'node:os';
import { ValidationError } from '../errors.js';

/**
 * A bound on password checks in flight. A check is a deliberately expensive hash (at the default
 * cost, half a second and 128 MiB of scrypt): without a bound, one address posting sign-in forms in
 * parallel makes every other sign-in wait behind its hashes. Here the process runs as many checks as
 * it has cores, one source may run at most half of them, and a short queue holds the next ones —
 * a few per source — served in arrival order among those whose source has a slot to spare. So one
 * flooding source never holds every slot: another source's check starts at once, beside the
 * flood's, and its sign-in stays within about twice its idle time (docs/reliability.md has the
 * measurement); two people behind one address wait for each other instead of being refused. Past
 * the bounds a check is refused at once rather than queued (RFC 6585 §4: 429 for the source, 503
 * when the process's queue is full).
 */

/** The `throttle.passwordChecks` option. */
export interface PasswordCheckLimits {
  /** Checks running at once in this process. Default: the number of cores (at least 2). 1–1 000. */
  concurrency?: number;
  /** Checks waiting for a slot, at most; past it a check is refused with 503. Default 4 × `concurrency`. 0–100 000. */
  queue?: number;
  /**
   * Checks one source address may have running at once. Default half of `concurrency` (at least 1),
   * so that one address never holds every slot. 1–1 000.
   */
  perSource?: number;
  /** Checks one source address may have waiting; past it refused with 429. Default 4. 0–1 000. */
  perSourceQueue?: number;
}

/** A password check refused before it started, because too many are in flight. */
export class PasswordCheckBusyError extends Error {
  override readonly name = 'PasswordCheckBusyError';
  readonly retryAfterSeconds = 1;
  constructor(
    /** `source`: this address has too many checks in flight (429); `server`: the queue is full (503). */
    readonly reason: 'source' | 'server',
  ) {
    super(reason === 'source' ? 'too many password checks in flight from this address' : 'too many password checks in flight');
  }
}

interface Waiter {
  source: string | null;
  start: () => void;
}

/** Running and waiting checks of one source. */
interface SourceLoad {
  running: number;
  waiting: number;
}

export class PasswordCheckGate {
  readonly #concurrency: number;
  readonly #queueLimit: number;
  readonly #perSource: number;
  readonly #perSourceQueue: number;
  #running = 0;
  readonly #waiting: Waiter[] = [];
  readonly #sources = new Map<string, SourceLoad>();

  constructor(limits: Required<PasswordCheckLimits> | false) {
    const open = limits === false;
    this.#concurrency = open ? Number.POSITIVE_INFINITY : limits.concurrency;
    this.#queueLimit = open ? Number.POSITIVE_INFINITY : limits.queue;
    this.#perSource = open ? Number.POSITIVE_INFINITY : limits.perSource;
    this.#perSourceQueue = open ? Number.POSITIVE_INFINITY : limits.perSourceQueue;
  }

  /** Whether a check from `source` may start now. */
  #canStart(source: string | null): boolean {
    return this.#running < this.#concurrency && (source === null || (this.#sources.get(source)?.running ?? 0) < this.#perSource);
  }

  /**
   * Throws {@link PasswordCheckBusyError} when a check from `source` would be refused now: lets a
   * flood be turned away before it costs any storage read.
   */
  assertRoom(source: string | null): void {
    if (this.#canStart(source)) return;
    if (source !== null && (this.#sources.get(source)?.waiting ?? 0) >= this.#perSourceQueue) throw new PasswordCheckBusyError('source');
    if (this.#waiting.length >= this.#queueLimit) throw new PasswordCheckBusyError('server');
  }

  /** Runs `check` within the bounds; `source` null (unknown) is bounded by the process limits only. */
  async run<T>(source: string | null, check: () => Promise<T>): Promise<T> {
    this.assertRoom(source);
    const load = source === null ? null : this.#loadOf(source);
    if (this.#canStart(source)) this.#start(load);
    else {
      if (load) load.waiting += 1;
      // #release starts it: the slot passes straight to it, so no newcomer jumps the queue.
      await new Promise<void>((resolve) => this.#waiting.push({ source, start: resolve }));
    }
    try {
      return await check();
    } finally {
      this.#release(source, load);
    }
  }

  #loadOf(source: string): SourceLoad {
    let load = this.#sources.get(source);
    if (!load) {
      load = { running: 0, waiting: 0 };
      this.#sources.set(source, load);
    }
    return load;
  }

  #start(load: SourceLoad | null): void {
    this.#running += 1;
    if (load) load.running += 1;
  }

  #release(source: string | null, load: SourceLoad | null): void {
    this.#running -= 1;
    if (load) {
      load.running -= 1;
      if (load.running === 0 && load.waiting === 0) this.#sources.delete(source!);
    }
    // The first waiter, in arrival order, whose source has a slot to spare.
    const index = this.#waiting.findIndex((waiter) => this.#canStart(waiter.source));
    if (index === -1) return;
    const [next] = this.#waiting.splice(index, 1) as [Waiter];
    const nextLoad = next.source === null ? null : this.#loadOf(next.source);
    if (nextLoad) nextLoad.waiting -= 1;
    this.#start(nextLoad);
    next.start();
  }
}

function wholeNumber(field: string, value: unknown, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ValidationError(field, `must be a whole number between ${min} and ${max}`);
  }
  return value as number;
}

/** Checks the option and applies the defaults; throws ValidationError naming the field. */
export function resolvePasswordCheckLimits(value: PasswordCheckLimits | false | undefined): Required<PasswordCheckLimits> | false {
  if (value === false) return false;
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw new ValidationError('throttle.passwordChecks', 'must be an object or false');
  }
  const concurrency = wholeNumber('throttle.passwordChecks.concurrency', value?.concurrency ?? Math.max(2, availableParallelism()), 1, 1000);
  return {
    concurrency,
    queue: wholeNumber('throttle.passwordChecks.queue', value?.queue ?? 4 * concurrency, 0, 100_000),
    perSource: wholeNumber('throttle.passwordChecks.perSource', value?.perSource ?? Math.max(1, Math.floor(concurrency / 2)), 1, 1000),
    perSourceQueue: wholeNumber('throttle.passwordChecks.perSourceQueue', value?.perSourceQueue ?? 4, 0, 1000),
  };
}
