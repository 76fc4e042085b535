/**
 * An in-memory cache-invalidation channel shared by the providers of one test, whose delivery the
 * test can hold back, and whose subscribers it can tell of a lost or restored connection.
 */
import type { CacheInvalidationChannel, CacheInvalidationChannelEvents } from '../../../src/core/index.js';

export interface MemoryChannel extends CacheInvalidationChannel {
  /** While false, published messages are dropped (as by a channel that is down). */
  delivering: boolean;
  /** Delivers `message` to every subscriber, as if another process had published it. */
  inject(message: string): void;
  /** Every subscriber's events, to simulate the connection dropping and coming back. */
  events: CacheInvalidationChannelEvents[];
  published: string[];
}

export function memoryChannel(): MemoryChannel {
  const subscribers = new Set<(message: string) => void>();
  const channel: MemoryChannel = {
    delivering: true,
    events: [],
    published: [],
    inject: (message) => subscribers.forEach((deliver) => deliver(message)),
    async publish(message) {
      channel.published.push(message);
      if (channel.delivering) channel.inject(message);
    },
    async subscribe(onMessage, events) {
      subscribers.add(onMessage);
      channel.events.push(events);
      return async () => void subscribers.delete(onMessage);
    },
  };
  return channel;
}
