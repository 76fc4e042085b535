import type { CacheInvalidationChannel, CacheInvalidationChannelEvents } from '../storage/cache-invalidation-channel.js';

/** The part of an ioredis client a subscriber connection uses (a `duplicate()` of the user's client). */
export interface RedisSubscriberShape {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close' | 'ready', listener: () => void): unknown;
  /** Ends the connection at once; used by unsubscribe. */
  disconnect(): void;
}

/** The part of the application's ioredis client the channel uses: PUBLISH, and a second connection to SUBSCRIBE on. */
export interface RedisPublisherShape {
  publish(channel: string, message: string): Promise<unknown>;
  /** A new connection with the same options (ioredis `duplicate()`): a subscribed connection can do nothing else. */
  duplicate(): RedisSubscriberShape;
}

/** Options of {@link redisInvalidationChannel}. */
export interface RedisInvalidationChannelOptions {
  /** The Redis pub/sub channel. Default `oauth2kit_cache`; one per set of processes sharing a database. */
  channel?: string;
  /** How long the first SUBSCRIBE may take before the subscription is reported lost (it keeps trying). Default 3000 ms. */
  subscribeTimeoutMs?: number;
}

const DEFAULT_CHANNEL = 'oauth2kit_cache';

/**
 * A {@link CacheInvalidationChannel} on Redis pub/sub, for the `cacheInvalidation` provider option:
 * `cacheInvalidation: redisInvalidationChannel(new Redis(url))`. Publishes with the client given;
 * subscribes on a `duplicate()` of it, opened by `subscribe` and closed by its unsubscribe. ioredis
 * reconnects and subscribes again by itself; the channel reports the connection's loss (`close`)
 * and its return (`ready`). The client given stays the application's to close.
 */
export function redisInvalidationChannel(redis: RedisPublisherShape, options: RedisInvalidationChannelOptions = {}): CacheInvalidationChannel {
  const name = options.channel ?? DEFAULT_CHANNEL;
  const timeoutMs = options.subscribeTimeoutMs ?? 3000;
  return {
    async publish(message) {
      await redis.publish(name, message);
    },
    async subscribe(onMessage, events: CacheInvalidationChannelEvents) {
      const subscriber = redis.duplicate();
      let lastError: Error | undefined;
      let up = false;
      let closed = false;
      // A subscriber's error is reported through `close` below; without a listener it would end the process.
      subscriber.on('error', (error) => {
        lastError = error;
      });
      subscriber.on('message', (channel, message) => {
        if (channel === name) onMessage(message);
      });
      subscriber.on('close', () => {
        if (!up || closed) return;
        up = false;
        events.onLost(new Error(`Redis subscriber connection closed${lastError ? `: ${lastError.message}` : ''}`));
      });
      subscriber.on('ready', () => {
        // ioredis subscribes again on `ready` (autoResubscribe) before anything else is sent, but
        // only to channels it once subscribed to: until then, this channel asks again itself.
        if (!subscribedOnce) {
          if (!closed) attempt().catch(() => undefined);
          return;
        }
        if (up || closed) return;
        up = true;
        lastError = undefined;
        events.onRestored();
      });
      let subscribedOnce = false;
      let retryMs = 100;
      let retry: NodeJS.Timeout | undefined;
      /** One SUBSCRIBE; a refused one is tried again with backoff (100 ms doubling to 5 s) until it takes. */
      const attempt = (): Promise<void> =>
        subscriber.subscribe(name).then(
          () => {
            if (subscribedOnce) return;
            subscribedOnce = true;
            if (!up && !closed) {
              if (timedOut) events.onRestored();
              up = true;
            }
          },
          (error: unknown) => {
            if (closed || subscribedOnce) return;
            clearTimeout(retry);
            retry = setTimeout(() => attempt().catch(() => undefined), retryMs);
            retry.unref();
            retryMs = Math.min(retryMs * 2, 5000);
            throw error;
          },
        );
      const subscribed = attempt();
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          timedOut = true;
          events.onLost(new Error(`Redis did not confirm SUBSCRIBE ${name} within ${timeoutMs} ms${lastError ? `: ${lastError.message}` : ''}`));
          resolve();
        }, timeoutMs);
        timer.unref();
      });
      await Promise.race([subscribed.catch((error: unknown) => {
        timedOut = true;
        events.onLost(error instanceof Error ? error : new Error(String(error)));
      }), late]);
      clearTimeout(timer);
      return async () => {
        closed = true;
        clearTimeout(retry);
        subscriber.disconnect();
      };
    },
  };
}
