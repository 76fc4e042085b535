import { availableParallelism } from 'node:os';
import { ValidationError } from '../errors.js';

/**
 * A bound on password checks in flight. A check is a deliberately expensive hash (at the default
 * cost, half a second and 128 MiB of scrypt): without a bound, one address posting sign-in forms in parallel makes every other
 * sign-in wait behind its hashes. Here the process runs as many checks as it has cores, a short
 * queue holds the next ones, and one source may have at most half the running slots in flight
 * (running or waiting); past either bound a check is refused at once rather than queued (RFC 6585
 * §4: 429 for the source, 503 for the process). So one flooding source never holds every slot:
 * another source's check starts at once, beside the flood's, and its sign-in stays within about
 * twice its idle time (docs/reliability.md has the measurement).
 */

/** The `throttle.passwordChecks` option. */
export interface PasswordCheckLimits {
  /** Checks running at once in this process. Default: the number of cores (at least 2). 1–1 000. */
  concurrency?: number;
  /** Checks waiting for a slot, at most; past it a check is refused with 503. Default 4 × `concurrency`. 0–100 000. */
  queue?: number;
  /**
   * Checks one source address may have running or waiting; past it refused with 429. Default half of
   * `concurrency` (at least 1), so that one address never holds every slot. 1–1 000.
   */
  perSource?: number;
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

export class PasswordCheckGate {
  readonly #concurrency: number;
  readonly #queueLimit: number;
  readonly #perSource: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #perSourceInFlight = new Map<string, number>();

  constructor(limits: Required<PasswordCheckLimits> | false) {
    const open = limits === false;
    this.#concurrency = open ? Number.POSITIVE_INFINITY : limits.concurrency;
    this.#queueLimit = open ? Number.POSITIVE_INFINITY : limits.queue;
    this.#perSource = open ? Number.POSITIVE_INFINITY : limits.perSource;
  }

  /**
   * Throws {@link PasswordCheckBusyError} when a check from `source` would be refused now: lets a
   * flood be turned away before it costs any storage read.
   */
  assertRoom(source: string | null): void {
    if (source !== null && (this.#perSourceInFlight.get(source) ?? 0) >= this.#perSource) throw new PasswordCheckBusyError('source');
    if (this.#running >= this.#concurrency && this.#waiting.length >= this.#queueLimit) throw new PasswordCheckBusyError('server');
  }

  /** Runs `check` within the bounds; `source` null (unknown) is bounded by the process limits only. */
  async run<T>(source: string | null, check: () => Promise<T>): Promise<T> {
    this.assertRoom(source);
    if (source !== null) this.#perSourceInFlight.set(source, (this.#perSourceInFlight.get(source) ?? 0) + 1);
    try {
      if (this.#running >= this.#concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
      else this.#running += 1;
      try {
        return await check();
      } finally {
        // The slot passes straight to the next in line, so `#running` never dips and lets a newcomer jump the queue.
        const next = this.#waiting.shift();
        if (next) next();
        else this.#running -= 1;
      }
    } finally {
      if (source !== null) {
        const left = (this.#perSourceInFlight.get(source) ?? 1) - 1;
        if (left === 0) this.#perSourceInFlight.delete(source);
        else this.#perSourceInFlight.set(source, left);
      }
    }
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
  };
}
