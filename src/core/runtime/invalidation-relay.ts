import { randomBytes } from 'node:crypto';
import type {
  CacheInvalidationChannel,
  CacheInvalidationUnavailable,
} from '../storage/cache-invalidation-channel.js';
import type { OAuthStorage } from '../storage/storage-port.js';
import { decodeInvalidation, encodeInvalidation } from './invalidation-messages.js';
import type { ReadCaches } from './read-caches.js';

/**
 * What the provider's `onError` hears about the channel: its absence, its loss and its return.
 * Each is said once per occurrence, so that running on the `maxAgeMs` bound is never silent.
 */
export class CacheInvalidationNotice extends Error {
  override readonly name = 'CacheInvalidationNotice';
  constructor(
    /** `cache_invalidation_unavailable`, `cache_invalidation_lost`, `cache_invalidation_restored`, `cache_invalidation_publish_failed`, `cache_invalidation_malformed`. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The `cacheInvalidation` option as resolved: a channel, none wanted, or the storage's own. */
export type CacheInvalidationSetting = CacheInvalidationChannel | false | 'storage';

/**
 * Carries this provider's cache invalidations to every other process on the database and applies
 * theirs here (docs/scaling.md). Started only when a read cache is on.
 */
export class InvalidationRelay {
  /** Tells this provider's own messages from the others'; random per provider. */
  readonly #origin = randomBytes(8).toString('hex');
  #channel: CacheInvalidationChannel | null = null;
  #unsubscribe: Promise<(() => Promise<void>) | null> = Promise.resolve(null);
  #lost = false;
  #publishFailing = false;
  #closed = false;

  readonly #report: (error: unknown) => void;

  constructor(
    private readonly caches: ReadCaches,
    report: (error: unknown) => void,
  ) {
    // Called from connection events and promise handlers: a throwing onError must not end the process.
    this.#report = (error) => {
      try {
        report(error);
      } catch {
        // Nothing better to do with it: the application's own reporter failed.
      }
    };
  }

  /**
   * Picks the channel; subscribes when a cache is on, and says once when there is none. A
   * provider without a cache still publishes its writes on a channel the option names (a node
   * that caches nothing beside nodes that do); the storage's own default channel it leaves alone,
   * so that a deployment without caches pays no notification per write.
   */
  start(setting: CacheInvalidationSetting, storage: OAuthStorage): void {
    if (setting === false) return;
    const bound = this.#bound();
    let offered: CacheInvalidationChannel | CacheInvalidationUnavailable | null;
    if (setting !== 'storage') offered = setting;
    else if (typeof storage.cacheInvalidationChannel === 'function') offered = storage.cacheInvalidationChannel();
    else offered = { unavailable: 'the storage offers no cache-invalidation channel (and the cacheInvalidation option names none)' };
    if (offered === null) return;
    if (bound === null) {
      if (setting !== 'storage' && !('unavailable' in offered)) this.#channel = offered;
      return;
    }
    if ('unavailable' in offered) {
      this.#report(
        new CacheInvalidationNotice(
          'cache_invalidation_unavailable',
          `${offered.unavailable}: revocations through other processes take up to maxAgeMs (${bound} ms) to reach this one's in-process caches`,
        ),
      );
      return;
    }
    const channel = offered;
    this.#channel = channel;
    this.#unsubscribe = channel
      .subscribe((message) => this.#receive(message), {
        onLost: (error) => this.#onLost(error),
        onRestored: () => this.#onRestored(),
      })
      .then((unsubscribe) => {
        // What was published before the subscription took hold was not heard here.
        this.caches.tokens?.clear();
        this.caches.clients?.clear();
        return unsubscribe;
      })
      .catch((error: unknown) => {
        this.#onLost(error instanceof Error ? error : new Error(String(error)));
        return null;
      });
  }

  /** Resolves once the subscription's first attempt settled (tests and start-up wait on it). */
  async ready(): Promise<void> {
    await this.#unsubscribe;
  }

  /** Tells the other processes about a write's invalidation; never fails the write. */
  publish(method: keyof OAuthStorage, args: readonly unknown[]): void {
    const channel = this.#channel;
    if (channel === null || this.#closed) return;
    const message = encodeInvalidation(this.#origin, method, args);
    if (message === null) return;
    // Through a promise even when `publish` throws at once: the write it follows has succeeded.
    const sent = Promise.resolve()
      .then(() => channel.publish(message))
      .then(
      () => {
        this.#publishFailing = false;
      },
      (error: unknown) => {
        if (this.#publishFailing) return;
        this.#publishFailing = true;
        this.#report(
          new CacheInvalidationNotice(
            'cache_invalidation_publish_failed',
            `cache invalidation: could not tell other processes about ${method} (${describe(error)}): they see it after their maxAgeMs bound`,
            { cause: error },
          ),
        );
      },
    );
    this.#sending.add(sent);
    void sent.finally(() => this.#sending.delete(sent));
  }

  /** Messages on their way, which {@link close} lets finish (a CLI exits right after its write). */
  readonly #sending = new Set<Promise<void>>();

  /** Lets messages on their way finish, then ends the subscription and releases its connection. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#sending]);
    this.#closed = true;
    const unsubscribe = await this.#unsubscribe;
    await unsubscribe?.();
  }

  #receive(text: string): void {
    const received = decodeInvalidation(text);
    if (received.origin === this.#origin) return;
    received.apply(this.caches);
    if (received.malformed !== undefined) {
      this.#report(
        new CacheInvalidationNotice(
          'cache_invalidation_malformed',
          `cache invalidation: a message on the channel was not understood (${received.malformed}): every cached entry was dropped`,
        ),
      );
    }
  }

  #onLost(error: Error): void {
    if (this.#lost || this.#closed) return;
    this.#lost = true;
    this.#report(
      new CacheInvalidationNotice(
        'cache_invalidation_lost',
        `cache invalidation channel lost (${describe(error)}): until it is back, revocations through other processes take up to maxAgeMs (${this.#bound()} ms) to reach this one's in-process caches`,
        { cause: error },
      ),
    );
  }

  #onRestored(): void {
    if (!this.#lost || this.#closed) return;
    this.#lost = false;
    // Messages sent while it was down are lost: what they would have removed may still be here.
    this.caches.tokens?.clear();
    this.caches.clients?.clear();
    this.#report(
      new CacheInvalidationNotice(
        'cache_invalidation_restored',
        'cache invalidation channel restored: in-process caches cleared (messages may have been missed); revocations through other processes reach this one at once again',
      ),
    );
  }

  /** The longest staleness the caches allow, or null when no cache is on. */
  #bound(): number | null {
    const ages = [this.caches.tokens?.maxAgeMs, this.caches.clients?.maxAgeMs].filter((age): age is number => age !== undefined);
    return ages.length === 0 ? null : Math.max(...ages);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${error.message} [${code}]` : error.message;
  }
  return String(error);
}
