import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterMemory, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import { ValidationError } from '../errors.js';
import type { OAuthAttemptCounterStorage } from '../storage/attempt-counter-port.js';
import { PasswordCheckGate, resolvePasswordCheckLimits, type PasswordCheckLimits } from './password-check-gate.js';
import { StorageRateLimiter } from './storage-rate-limiter.js';

/**
 * Throttling of credential guessing (RFC 6749 §10.10: "The authorization server MUST prevent
 * attackers from guessing … resource owner passwords, and client credentials"; RFC 6819
 * §4.4.3.6, §5.1.4.2.3) that cannot be turned against the people it protects
 * (docs/adr/0007-throttling-by-source.md):
 *
 * - Failures are counted per source address and per (source, identity). A source past its limit is
 *   refused with 429 and `Retry-After`; nobody else is.
 * - An identity attacked from many sources is never locked: past a number of failures from all
 *   sources together, each attempt on it waits a little longer before it is checked (a progressive
 *   delay, capped), which slows a distributed guesser and only delays its victim.
 * - Client secrets are 256-bit random values, so guessing them is hopeless: a right secret is
 *   accepted whoever failed before, from wherever. Only a wrong one is counted, and a source past
 *   its limit is told so (429) instead of 401.
 * - Password checks are bounded in flight (runtime/password-check-gate.ts).
 *
 * Counters live where every server process sees them: the storage's attempt-counter table when it
 * has one (both providers do), or any rate-limiter-flexible store the application supplies (Redis).
 */

/** How many failures one key may have within a window. */
export interface AttemptLimit {
  /** Failures allowed within the window; past them the key's attempts are refused until it ends. 1–10 000. */
  maxFailures: number;
  /** Length of the window, in seconds. 1–86 400. */
  windowSeconds: number;
}

/** The progressive delay of an identity attacked from many sources. */
export interface SlowdownOptions {
  /** Failures of one username, from all sources together, before attempts on it are delayed. 1–100 000. */
  afterFailures: number;
  /** Window those failures are counted in, in seconds. 1–86 400. */
  windowSeconds: number;
  /** Delay added per failure past `afterFailures`, in milliseconds. 1–10 000. */
  stepMs: number;
  /** Longest delay, in milliseconds. 1–30 000. */
  maxDelayMs: number;
}

/** What a limiter store factory is asked to build (the options of any rate-limiter-flexible limiter). */
export interface AttemptLimiterSettings {
  /** Distinguishes the throttle's counters from each other and from the application's. */
  keyPrefix: string;
  /** Failures allowed in one window. */
  points: number;
  /** The window, in seconds. */
  duration: number;
}

/**
 * Builds the limiter that keeps one kind of counter, for limits kept in a store of the
 * application's choosing, e.g. Redis:
 * `store: (settings) => new RateLimiterRedis({ storeClient: redis, ...settings })`.
 */
export type AttemptLimiterFactory = (settings: AttemptLimiterSettings) => RateLimiterAbstract;

/** The `throttle` option of an OAuthProvider. */
export interface ThrottleOptions {
  /** Failed authentications of any kind from one source address. Default 50 per 900 s; `false` to turn off. */
  sources?: AttemptLimit | false;
  /**
   * Wrong secrets for one client id from one source address (token, revocation and introspection
   * endpoints). Default 20 per 60 s; `false` to turn off. A right secret is always accepted.
   */
  clients?: AttemptLimit | false;
  /** Wrong passwords for one username from one source address. Default 10 per 300 s; `false` to turn off. */
  users?: AttemptLimit | false;
  /**
   * The delay of a username failing from many sources. Default: after 20 failures in 900 s, 200 ms
   * more per failure, at most 2 000 ms; `false` to turn off.
   */
  slowdown?: SlowdownOptions | false;
  /** Bounds on password checks in flight (see {@link PasswordCheckLimits}); `false` to turn off. */
  passwordChecks?: PasswordCheckLimits | false;
  /**
   * Where the counters live. `'storage'` (default): the storage's attempt-counter table, shared by
   * every process on the database (falls back to `'memory'` for a storage without one); `'memory'`:
   * this process only; a factory: any rate-limiter-flexible limiter, e.g. Redis.
   */
  store?: 'storage' | 'memory' | AttemptLimiterFactory;
  /** @deprecated No effect: counters expire with their window in whichever store keeps them. */
  maxTrackedKeys?: number;
}

export const DEFAULT_SOURCE_LIMIT: Readonly<AttemptLimit> = Object.freeze({ maxFailures: 50, windowSeconds: 900 });
export const DEFAULT_CLIENT_LIMIT: Readonly<AttemptLimit> = Object.freeze({ maxFailures: 20, windowSeconds: 60 });
export const DEFAULT_USER_LIMIT: Readonly<AttemptLimit> = Object.freeze({ maxFailures: 10, windowSeconds: 300 });
export const DEFAULT_SLOWDOWN: Readonly<SlowdownOptions> = Object.freeze({ afterFailures: 20, windowSeconds: 900, stepMs: 200, maxDelayMs: 2000 });

/**
 * An attempt refused without being checked, because its source address has failed too often
 * lately. Answered 429 with `Retry-After`.
 */
export class TooManyFailedAttemptsError extends Error {
  override readonly name = 'TooManyFailedAttemptsError';
  constructor(
    /** What was being authenticated. */
    readonly subject: 'client' | 'user',
    /** Seconds until an attempt from this source will be checked again. */
    readonly retryAfterSeconds: number,
  ) {
    super(`too many failed ${subject} authentications from this source; retry in ${retryAfterSeconds} s`);
  }
}

/** The `throttle` option, checked and with defaults applied. */
export interface ResolvedThrottle {
  sources: AttemptLimit | false;
  clients: AttemptLimit | false;
  users: AttemptLimit | false;
  slowdown: SlowdownOptions | false;
  passwordChecks: Required<PasswordCheckLimits> | false;
  store: 'storage' | 'memory' | AttemptLimiterFactory;
}

const OFF: ResolvedThrottle = { sources: false, clients: false, users: false, slowdown: false, passwordChecks: false, store: 'memory' };

function wholeNumber(field: string, value: unknown, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ValidationError(field, `must be a whole number between ${min} and ${max}`);
  }
  return value as number;
}

function resolveLimit(field: string, value: AttemptLimit | false | undefined, fallback: Readonly<AttemptLimit>): AttemptLimit | false {
  if (value === undefined) return { ...fallback };
  if (value === false) return false;
  if (typeof value !== 'object' || value === null) throw new ValidationError(field, 'must be { maxFailures, windowSeconds } or false');
  return {
    maxFailures: wholeNumber(`${field}.maxFailures`, value.maxFailures, 1, 10_000),
    windowSeconds: wholeNumber(`${field}.windowSeconds`, value.windowSeconds, 1, 86_400),
  };
}

function resolveSlowdown(value: SlowdownOptions | false | undefined): SlowdownOptions | false {
  if (value === false) return false;
  if (value !== undefined && (typeof value !== 'object' || value === null)) throw new ValidationError('throttle.slowdown', 'must be an object or false');
  const given = { ...DEFAULT_SLOWDOWN, ...value };
  return {
    afterFailures: wholeNumber('throttle.slowdown.afterFailures', given.afterFailures, 1, 100_000),
    windowSeconds: wholeNumber('throttle.slowdown.windowSeconds', given.windowSeconds, 1, 86_400),
    stepMs: wholeNumber('throttle.slowdown.stepMs', given.stepMs, 1, 10_000),
    maxDelayMs: wholeNumber('throttle.slowdown.maxDelayMs', given.maxDelayMs, 1, 30_000),
  };
}

/** Checks the `throttle` option; throws ValidationError naming the first field refused. */
export function resolveThrottle(options: ThrottleOptions | false | undefined): ResolvedThrottle {
  if (options === false) return OFF;
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ValidationError('throttle', 'must be an object or false');
  }
  if (options?.maxTrackedKeys !== undefined) wholeNumber('throttle.maxTrackedKeys', options.maxTrackedKeys, 1, 10_000_000);
  const store = options?.store ?? 'storage';
  if (store !== 'storage' && store !== 'memory' && typeof store !== 'function') {
    throw new ValidationError('throttle.store', "must be 'storage', 'memory' or a function building a rate-limiter-flexible limiter");
  }
  return {
    sources: resolveLimit('throttle.sources', options?.sources, DEFAULT_SOURCE_LIMIT),
    clients: resolveLimit('throttle.clients', options?.clients, DEFAULT_CLIENT_LIMIT),
    users: resolveLimit('throttle.users', options?.users, DEFAULT_USER_LIMIT),
    slowdown: resolveSlowdown(options?.slowdown),
    passwordChecks: resolvePasswordCheckLimits(options?.passwordChecks),
    store,
  };
}

/** The key a username is counted under: case variants of one name are one guess target. */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** A counter key that carries no address or name in clear, whatever store keeps it. */
export function counterKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}

/** Seconds a refused attempt should wait, from a limiter's answer. */
export const secondsOf = (res: RateLimiterRes | null): number => Math.max(1, Math.ceil((res?.msBeforeNext ?? 1000) / 1000));

/**
 * Counts one request of `source` (a key of runtime/attempt-source.ts, null when unknown) against
 * `limiter` (registrations, document fetches): 0 when it is within the limit, else the seconds the
 * source must wait. A request whose source is unknown is counted under `unknownSourceKey` when one
 * is given — every such request under that one key — and otherwise not at all.
 */
export async function countForSource(limiter: RateLimiterAbstract, source: string | null, unknownSourceKey?: string): Promise<number> {
  const key = source ?? unknownSourceKey;
  if (key === undefined) return 0;
  try {
    await limiter.consume(counterKey(key));
    return 0;
  } catch (error) {
    if (error instanceof Error) throw error;
    return secondsOf(error as RateLimiterRes);
  }
}

/**
 * A rate-limiter-flexible limiter in the throttle's store: the application's factory, the
 * storage's attempt-counter table (with an in-memory insurance limiter that counts while the
 * database fails), or this process's memory.
 */
export function attemptLimiter(
  store: ResolvedThrottle['store'],
  counters: OAuthAttemptCounterStorage | null,
  settings: AttemptLimiterSettings,
): RateLimiterAbstract {
  if (typeof store === 'function') return store(settings);
  if (store === 'storage' && counters !== null) {
    // While the database fails, the library counts in memory instead of letting guesses through.
    return new StorageRateLimiter(counters, { ...settings, insuranceLimiter: new RateLimiterMemory(settings) });
  }
  return new RateLimiterMemory(settings);
}

/** One kind of counter: a limit and the limiter that keeps it. */
interface Counter {
  limit: number;
  limiter: RateLimiterAbstract;
}

/**
 * The throttle of one provider. Every method is given the source of the request being served, as a
 * key of runtime/attempt-source.ts; with no source known (null), only the per-username delay and
 * the process-wide bound on password checks apply.
 */
export class AttemptThrottle {
  readonly gate: PasswordCheckGate;
  readonly #sources: Counter | null;
  readonly #clients: Counter | null;
  readonly #users: Counter | null;
  readonly #slowdown: (Counter & { options: SlowdownOptions }) | null;

  constructor(options: ResolvedThrottle, counters: OAuthAttemptCounterStorage | null) {
    const build = (keyPrefix: string, limit: AttemptLimit | false): Counter | null => {
      if (limit === false) return null;
      const settings: AttemptLimiterSettings = { keyPrefix, points: limit.maxFailures, duration: limit.windowSeconds };
      return { limit: limit.maxFailures, limiter: attemptLimiter(options.store, counters, settings) };
    };
    this.#sources = build('oauth2kit:source', options.sources);
    this.#clients = build('oauth2kit:source-client', options.clients);
    this.#users = build('oauth2kit:source-user', options.users);
    const slowdown = options.slowdown;
    this.#slowdown =
      slowdown === false
        ? null
        : { ...build('oauth2kit:user', { maxFailures: slowdown.afterFailures, windowSeconds: slowdown.windowSeconds })!, options: slowdown };
    this.gate = new PasswordCheckGate(options.passwordChecks);
  }

  /**
   * Before a password is checked: throws {@link TooManyFailedAttemptsError} when the source
   * is past its limits, then waits out the username's progressive delay.
   */
  async beforePasswordCheck(username: string, source: string | null): Promise<void> {
    const name = usernameKey(username);
    const [bySource, bySourceAndName, byName] = await Promise.all([
      source === null ? null : this.#over(this.#sources, counterKey(source)),
      source === null ? null : this.#over(this.#users, counterKey(source, name)),
      this.#slowdown ? this.#slowdown.limiter.get(counterKey(name)) : null,
    ]);
    const refused = bySource ?? bySourceAndName;
    if (refused) throw new TooManyFailedAttemptsError('user', secondsOf(refused));
    if (this.#slowdown && byName) {
      const excess = byName.consumedPoints - this.#slowdown.options.afterFailures;
      if (excess > 0) await sleep(Math.min(this.#slowdown.options.maxDelayMs, excess * this.#slowdown.options.stepMs));
    }
  }

  /** After a wrong password (or an unknown username). */
  async passwordFailed(username: string, source: string | null): Promise<void> {
    const name = usernameKey(username);
    await Promise.all([
      source === null ? null : this.#count(this.#sources, counterKey(source)),
      source === null ? null : this.#count(this.#users, counterKey(source, name)),
      this.#count(this.#slowdown, counterKey(name)),
    ]);
  }

  /** After a right password: the source's failures on this username are forgiven. */
  async passwordSucceeded(username: string, source: string | null): Promise<void> {
    if (source === null || this.#users === null) return;
    await this.#users.limiter.delete(counterKey(source, usernameKey(username)));
  }

  /**
   * After a wrong client secret: counts it, and returns the seconds the source must wait when it is
   * now past a limit (the caller answers 429), 0 otherwise.
   */
  async clientFailed(clientId: string, source: string | null): Promise<number> {
    if (source === null) return 0;
    const [bySource, byClient] = await Promise.all([
      this.#count(this.#sources, counterKey(source)),
      this.#count(this.#clients, counterKey(source, clientId)),
    ]);
    const over = [
      bySource !== null && bySource.consumedPoints > this.#sources!.limit ? secondsOf(bySource) : 0,
      byClient !== null && byClient.consumedPoints > this.#clients!.limit ? secondsOf(byClient) : 0,
    ];
    return Math.max(...over);
  }

  /** The counter's state when the key is past its limit; null otherwise. */
  async #over(counter: Counter | null, key: string): Promise<RateLimiterRes | null> {
    if (counter === null) return null;
    const res = await counter.limiter.get(key);
    return res !== null && res.consumedPoints >= counter.limit ? res : null;
  }

  /** Counts one failure; the counter's state after it (the library rejects past the limit: same answer). */
  async #count(counter: Counter | null, key: string): Promise<RateLimiterRes | null> {
    if (counter === null) return null;
    try {
      return await counter.limiter.penalty(key, 1);
    } catch (error) {
      if (error instanceof Error) throw error;
      return error as RateLimiterRes;
    }
  }
}
