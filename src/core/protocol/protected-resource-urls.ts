import { ProtectedResourceMetadataError, type ProtectedResourceMetadataErrorCode } from './protected-resource-error.js';

/**
 * The URLs of RFC 9728: a protected resource's identifier (§1.2), where its metadata lives (§3,
 * §3.1), and the other URLs its metadata names. Each is checked once, when the description is
 * built, so that a misconfigured resource fails at start-up and never answers a client wrongly.
 */

/** RFC 9728 §3: the default well-known URI string, inserted between host and path. */
const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * Hosts plain `http` is accepted on, for development: the name `localhost`, the IPv4 loopback block
 * 127.0.0.0/8 (RFC 6890 §2.2.2; several addresses let a resource and its authorization server run
 * side by side) and `[::1]`. Anywhere else RFC 9728 §1.2 (and RFC 8414 §2 for issuers) wants https.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

const HTTPS_RULE = 'must use https (http only on a loopback host, localhost, 127.0.0.0/8 or [::1], for development)';

/** An absolute http(s) URL with a host and no credentials, https unless the host is loopback. */
function parseWebUrl(value: unknown, code: ProtectedResourceMetadataErrorCode, field: string): URL {
  const refuse = (reason: string) => new ProtectedResourceMetadataError(code, field, reason);
  if (typeof value !== 'string') throw refuse(`must be a URL string, got ${value === null ? 'null' : typeof value}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse(`must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw refuse(`${HTTPS_RULE}, got ${JSON.stringify(value)}`);
  }
  if (url.username !== '' || url.password !== '') throw refuse('must not carry a user name or password');
  return url;
}

/**
 * Refuses a URL whose text differs from its serialization by the URL parser, except that a root
 * path's "/" may be left out (`https://api.example.com`, as RFC 9728's own examples write it). A
 * client compares the `resource` of the document with the URL it used (§3.3, §6: code point by code
 * point); written as the parser writes it, the identifier is the same string whichever way a client
 * builds it, and so is the well-known URL derived from it.
 */
function assertSerialized(value: string, url: URL, code: ProtectedResourceMetadataErrorCode, field: string): void {
  const rootless = url.pathname === '/' ? `${url.origin}${url.search}` : undefined;
  if (value !== url.href && value !== rootless) {
    throw new ProtectedResourceMetadataError(
      code,
      field,
      `must be written as the URL parser writes it, ${JSON.stringify(url.href)} (lower-case scheme and host, no default port, ` +
        `percent-encoded path), got ${JSON.stringify(value)}: clients compare it character for character (RFC 9728 §3.3)`,
    );
  }
}

/**
 * Checks a resource identifier against RFC 9728 §1.2: an absolute `https` URL (plain `http` only on
 * a loopback host, for development) without fragment, written as the URL parser writes it. A query
 * is accepted, as §1.2 recognises it may be needed (RFC 8707 §2 advises against one), but not an
 * empty one: `?` alone would be lost from the well-known URL.
 */
export function parseResourceIdentifier(resource: unknown, field = 'resource'): URL {
  const url = parseWebUrl(resource, 'invalid_resource', field);
  const text = resource as string;
  if (text.includes('#')) throw new ProtectedResourceMetadataError('invalid_resource', field, 'must not have a fragment (RFC 9728 §1.2)');
  if (text.includes('?') && url.search === '') {
    throw new ProtectedResourceMetadataError('invalid_resource', field, 'must not end with an empty query: drop the "?"');
  }
  assertSerialized(text, url, 'invalid_resource', field);
  return url;
}

/**
 * RFC 9728 §3.1: where the metadata of the resource identified by `url` lives. The well-known
 * string goes between the host (with its port) and the path and query, which are kept as they
 * are, percent-encoding and a final "/" included; only the "/" of an empty path is dropped
 * ("any terminating slash following the host component MUST be removed").
 */
export function wellKnownUrlOf(url: URL): string {
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${WELL_KNOWN}${path}${url.search}`;
}

/**
 * Checks an authorization server's issuer identifier against RFC 8414 §2: an absolute `https` URL
 * (plain `http` on a loopback host) without query or fragment. It is published as given: the
 * client compares it with the `issuer` of that server's own metadata (RFC 8414 §3.3).
 */
export function checkIssuerIdentifier(issuer: unknown, field: string): string {
  parseWebUrl(issuer, 'invalid_authorization_servers', field);
  const text = issuer as string;
  if (text.includes('?') || text.includes('#')) {
    throw new ProtectedResourceMetadataError(
      'invalid_authorization_servers',
      field,
      `must be an issuer identifier, without query or fragment (RFC 8414 §2), got ${JSON.stringify(text)}`,
    );
  }
  return text;
}

/** Checks the URL of a page for people (documentation, policy, terms of service); published as given. */
export function checkPageUrl(value: unknown, code: ProtectedResourceMetadataErrorCode, field: string): string {
  parseWebUrl(value, code, field);
  return value as string;
}

/**
 * Checks the URL a guard names in its `resource_metadata` challenge parameter (RFC 9728 §5.1): an
 * absolute `https` URL (plain `http` on a loopback host) without fragment, written as the URL
 * parser writes it, which is also what keeps it a valid quoted-string (RFC 9110 §5.6.4: the
 * parser percent-encodes quotes, spaces and controls, and turns backslashes into slashes).
 */
export function checkResourceMetadataUrl(value: unknown, field: string): string {
  const url = parseWebUrl(value, 'invalid_resource_metadata', field);
  const text = value as string;
  if (text.includes('#')) throw new ProtectedResourceMetadataError('invalid_resource_metadata', field, 'must not have a fragment');
  assertSerialized(text, url, 'invalid_resource_metadata', field);
  return text;
}
