import { Redis } from 'ioredis';

/** Why no Redis answers PING at `url` within a second or two, or undefined when one does. */
export async function redisMissing(url: string): Promise<string | undefined> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch (error) {
    return `${url}: ${(error as Error).message}`;
  } finally {
    probe.disconnect();
  }
}
