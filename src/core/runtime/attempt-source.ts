import { isIP } from 'node:net';

/**
 * The network source of a request, for the failed-attempt throttle and the per-source limits.
 * Every entry point that authenticates something (the token, revocation, introspection and
 * registration endpoints, the authorization page, `provider.users.login`) is handed the address
 * of the request it serves and passes it down explicitly, to where it is counted.
 *
 * Explicitly, not through `AsyncLocalStorage`: on this Node, entering one turns on async hooks for
 * every promise of the process from then on, which cost a guarded request some 15 % of its
 * throughput once the same process had served one token request (docs/benchmarks.md).
 */

/**
 * The throttling key of a request's source address, or null when unknown (absent or empty).
 * IPv4-mapped IPv6 addresses count as their IPv4 address, and an IPv6 address as its /64 prefix:
 * one subscriber line or host commonly holds a whole /64, so counting single IPv6 addresses would
 * let one machine rotate past any limit.
 */
export function sourceKeyOf(address: string | null | undefined): string | null {
  return typeof address === 'string' && address !== '' ? sourceKey(address) : null;
}

/** See {@link sourceKeyOf}; `address` is a non-empty address. Exported for tests. */
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
