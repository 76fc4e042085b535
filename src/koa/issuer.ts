import type { Context } from 'koa';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks an issuer identifier against RFC 8414 §2: an absolute `https` URL without query or
 * fragment. Plain `http` is tolerated for loopback hosts only, for development. Throws a
 * `TypeError` naming the problem; returns the parsed URL.
 */
export function parseIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new TypeError(`issuer must be an absolute URL, got ${JSON.stringify(issuer)}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new TypeError('issuer must use https (http is accepted for loopback hosts only)');
  }
  if (url.search !== '' || url.hash !== '' || issuer.includes('?') || issuer.includes('#')) {
    throw new TypeError('issuer must not have a query or fragment (RFC 8414 §2)');
  }
  if (url.username !== '' || url.password !== '') throw new TypeError('issuer must not carry credentials');
  return url;
}

/**
 * The issuer a request implies when none is configured: its origin, from the `Host` header (or
 * `X-Forwarded-Host`/`-Proto` when `app.proxy` is on). Whoever sends the request chooses it.
 * Undefined when the header does not make a valid origin. (Koa 3's `ctx.origin` is the `Origin`
 * request header, not this.)
 */
export function issuerFromRequest(ctx: Context): string | undefined {
  if (ctx.host === '') return undefined;
  try {
    return new URL(`${ctx.protocol}://${ctx.host}`).origin;
  } catch {
    return undefined;
  }
}

/**
 * Where RFC 8414 §3.1 puts the metadata of an issuer: the well-known segment inserted between the
 * host and the issuer's path (`https://h/t` → `/.well-known/oauth-authorization-server/t`).
 */
export function metadataPath(issuer: URL | undefined): string {
  const path = issuer === undefined ? '' : issuer.pathname.replace(/\/+$/, '');
  return `/.well-known/oauth-authorization-server${path}`;
}
