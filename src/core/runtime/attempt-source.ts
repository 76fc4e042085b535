import { AsyncLocalStorage } from 'node:async_hooks';
import { isIP } from 'node:net';

/**
 * The network source of the request being served, for the failed-attempt throttle. The endpoints
 * run their work inside {@link withSourceAddress}; the oauth2-server model, called by the library
 * without the request, reads it back here. Outside any such scope the source is unknown, and only
 * the limits that do not depend on it apply.
 */

const sources = new AsyncLocalStorage<string | null>();

/**
 * Runs `work` with `address` as the source of every authentication attempt it makes: the token,
 * revocation and introspection endpoints and the sign-in page do this with the binding's address
 * (Koa: `ctx.ip`, which reads `X-Forwarded-For` only when `app.proxy` is true). An application with
 * its own sign-in page wraps its `provider.users.login` call the same way.
 */
export function withSourceAddress<T>(address: string | null | undefined, work: () => T): T {
  return sources.run(typeof address === 'string' && address !== '' ? address : null, work);
}

/**
 * The throttling key of the current source, or null when unknown. IPv4-mapped IPv6 addresses count
 * as their IPv4 address, and an IPv6 address as its /64 prefix: one subscriber line or host commonly
 * holds a whole /64, so counting single IPv6 addresses would let one machine rotate past any limit.
 */
export function currentSourceKey(): string | null {
  const address = sources.getStore();
  return address === undefined || address === null ? null : sourceKey(address);
}

/** See {@link currentSourceKey}. Exported for tests. */
export function sourceKey(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  if (mapped) return mapped[1]!;
  if (isIP(trimmed) !== 6) return trimmed.toLowerCase();
  const [head = '', tail = ''] = trimmed.toLowerCase().split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = trimmed.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`;
}
