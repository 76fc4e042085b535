import { ValidationError } from '../errors.js';

/**
 * Throttling of credential guessing (RFC 6749 §10.10: "The authorization server MUST prevent
 * attackers from guessing access tokens, authorization codes, refresh tokens, resource owner
 * passwords, and client credentials"; RFC 6819 §5.1.4.2.3, §4.4.3.6). Tokens and codes are 256-bit
 * random values and need no help; client secrets and, above all, passwords get a per-key sliding
 * window of failures here.
 *
 * Deliberately in-process and lock-free: a `Map` lookup per attempt, no shared store on the hot
 * path. Each server process counts its own failures, so N processes allow N times the limit —
 * still a bound, and no single point of failure on every login.
 */

/** How many failures one key may have within a sliding window. */
export interface AttemptLimit {
  /** Failures allowed within the window; once reached, further attempts are refused. 1–10 000. */
  maxFailures: number;
  /** Length of the sliding window, in seconds. 1–86 400. */
  windowSeconds: number;
}

/** The `throttle` option of an OAuthProvider. */
export interface ThrottleOptions {
  /**
   * Failed client authentications per client id (a wrong secret for a confidential client, at the
   * token, revocation and introspection endpoints). Default 20 per 60 s; `false` to turn off.
   */
  clients?: AttemptLimit | false;
  /**
   * Failed password logins per username (the password grant, and `provider.users.login`).
   * Default 10 per 300 s; `false` to turn off.
   */
  users?: AttemptLimit | false;
  /**
   * Keys remembered per kind, at most; past it the key with the oldest last failure is forgotten.
   * Bounds memory whatever an attacker sends. Default 20 000.
   */
  maxTrackedKeys?: number;
}

export const DEFAULT_CLIENT_ATTEMPT_LIMIT: Readonly<AttemptLimit> = { maxFailures: 20, windowSeconds: 60 };
export const DEFAULT_USER_ATTEMPT_LIMIT: Readonly<AttemptLimit> = { maxFailures: 10, windowSeconds: 300 };
export const DEFAULT_MAX_TRACKED_KEYS = 20_000;

/**
 * An authentication was refused without being checked, because its client or username has failed
 * too often lately. Answered 429 with `Retry-After`.
 */
export class TooManyFailedAttemptsError extends Error {
  override readonly name = 'TooManyFailedAttemptsError';
  constructor(
    /** Whose attempts are throttled. */
    readonly subject: 'client' | 'user',
    /** Seconds until an attempt will be checked again. */
    readonly retryAfterSeconds: number,
  ) {
    super(`too many failed ${subject} authentications; retry in ${retryAfterSeconds} s`);
  }
}

/**
 * Failures per key in a sliding window. Attempts refused while a key is throttled are not counted,
 * so a key is let through again as soon as its oldest counted failure leaves the window.
 */
export class FailedAttemptLimiter {
  /** Per key, the times (ms) of its latest failures, oldest first; at most `maxFailures` kept. */
  readonly #failures = new Map<string, number[]>();
  readonly #limit: AttemptLimit | false;
  readonly #maxKeys: number;

  constructor(limit: AttemptLimit | false, maxKeys: number) {
    this.#limit = limit === false ? false : { ...limit };
    this.#maxKeys = maxKeys;
  }

  /** Seconds until `key` may try again; 0 when it may try now. */
  retryAfter(key: string, now: Date): number {
    if (this.#limit === false) return 0;
    const failures = this.#failures.get(key);
    if (failures === undefined) return 0;
    const windowMs = this.#limit.windowSeconds * 1000;
    const inWindow = failures.filter((at) => at > now.getTime() - windowMs);
    if (inWindow.length < this.#limit.maxFailures) return 0;
    const oldest = inWindow[inWindow.length - this.#limit.maxFailures] ?? now.getTime();
    return Math.max(1, Math.ceil((oldest + windowMs - now.getTime()) / 1000));
  }

  /** Counts a failed attempt of `key`. */
  recordFailure(key: string, now: Date): void {
    if (this.#limit === false) return;
    const windowStart = now.getTime() - this.#limit.windowSeconds * 1000;
    const kept = (this.#failures.get(key) ?? []).filter((at) => at > windowStart);
    kept.push(now.getTime());
    // Re-inserting moves the key to the end: the map's order is the order of last failure.
    this.#failures.delete(key);
    this.#failures.set(key, kept.slice(-this.#limit.maxFailures));
    if (this.#failures.size > this.#maxKeys) {
      // The key failed least recently goes: if anything in the map has aged out, it has.
      const first = this.#failures.keys().next();
      if (!first.done) this.#failures.delete(first.value);
    }
  }

  /** How many keys are remembered (for tests of the memory bound). */
  get trackedKeys(): number {
    return this.#failures.size;
  }
}

/** The limiters of one provider. */
export interface AttemptLimiters {
  clients: FailedAttemptLimiter;
  users: FailedAttemptLimiter;
}

function resolveLimit(field: string, value: AttemptLimit | false | undefined, fallback: Readonly<AttemptLimit>): AttemptLimit | false {
  if (value === undefined) return { ...fallback };
  if (value === false) return false;
  if (typeof value !== 'object' || value === null) throw new ValidationError(field, 'must be { maxFailures, windowSeconds } or false');
  const { maxFailures, windowSeconds } = value;
  if (!Number.isInteger(maxFailures) || maxFailures < 1 || maxFailures > 10_000) {
    throw new ValidationError(`${field}.maxFailures`, 'must be a whole number between 1 and 10000');
  }
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > 86_400) {
    throw new ValidationError(`${field}.windowSeconds`, 'must be a whole number of seconds between 1 and 86400');
  }
  return { maxFailures, windowSeconds };
}

/** Builds a provider's limiters from its `throttle` option; throws ValidationError on bad input. */
export function attemptLimitersFrom(options: ThrottleOptions | false | undefined): AttemptLimiters {
  if (options === false) {
    return { clients: new FailedAttemptLimiter(false, 0), users: new FailedAttemptLimiter(false, 0) };
  }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ValidationError('throttle', 'must be an object or false');
  }
  const maxKeys = options?.maxTrackedKeys ?? DEFAULT_MAX_TRACKED_KEYS;
  if (!Number.isInteger(maxKeys) || maxKeys < 1 || maxKeys > 10_000_000) {
    throw new ValidationError('throttle.maxTrackedKeys', 'must be a whole number between 1 and 10000000');
  }
  return {
    clients: new FailedAttemptLimiter(resolveLimit('throttle.clients', options?.clients, DEFAULT_CLIENT_ATTEMPT_LIMIT), maxKeys),
    users: new FailedAttemptLimiter(resolveLimit('throttle.users', options?.users, DEFAULT_USER_ATTEMPT_LIMIT), maxKeys),
  };
}

/** The key a username is throttled under: case variants of one name share it. */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}
