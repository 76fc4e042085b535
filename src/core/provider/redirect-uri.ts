/**
 * Whether a `redirect_uri` presented in an authorization request matches one the client
 * registered: the one rule every place that checks a presented redirect URI against the
 * registration uses (the authorization endpoint, its approval, and the oauth2-server model's
 * `validateRedirectUri` and `saveAuthorizationCode`).
 *
 * - Exact string comparison (RFC 9700 §4.1.3, §2.1; RFC 6749 §3.1.2.3): no prefix, pattern, case
 *   folding or normalisation, so `https://app.example:8443/cb` matches only itself.
 * - One exception, loopback IP redirect URIs of native apps (RFC 8252 §7.3: "The authorization
 *   server MUST allow any port to be specified at the time of the request for loopback IP
 *   redirect URIs, to accommodate clients that obtain an available ephemeral port from the
 *   operating system at the time of the request"; RFC 9700 §2.1): when the registered URI is
 *   `http` on `127.0.0.1` or `[::1]`, the presented one may name any port, or none. Everything
 *   else — scheme, host, path, query — must still be the same string.
 * - `localhost` gets no such exception. RFC 8252 §8.3 calls `localhost` NOT RECOMMENDED for
 *   loopback redirects (the name may resolve elsewhere, or be intercepted by a host-file entry or
 *   firewall) and §7.3 grants the port relaxation to loopback IP literals only, so a client
 *   registering `http://localhost:1234/cb` is held to that exact URI, port included.
 *
 * The code exchange does not use this: there the token request's `redirect_uri` must be identical
 * to the one the authorization request presented (RFC 6749 §4.1.3), ephemeral port included, and
 * the library compares the two strings.
 */
export function redirectUriMatches(registered: string, presented: string): boolean {
  if (registered === presented) return true;
  const r = loopbackParts(registered);
  if (r === null) return false;
  const p = loopbackParts(presented);
  return p !== null && p.host === r.host && p.rest === r.rest;
}

/** Whether `presented` matches one of the client's registered redirect URIs ({@link redirectUriMatches}). */
export function isRegisteredRedirectUri(registered: readonly string[], presented: string): boolean {
  return typeof presented === 'string' && registered.some((uri) => redirectUriMatches(uri, presented));
}

/**
 * `http://127.0.0.1` or `http://[::1]`, an optional port of 1–65535 written without leading
 * zeros, then the path and query (or nothing). Lower-case scheme, no userinfo: anything else is
 * not a loopback redirect URI here and is compared as a string only.
 */
/**
 * Whether a URL's hostname is this machine's (RFC 8252 §8.3: `localhost` and its subdomains,
 * `127.0.0.0/8`, `[::1]`): an address every program on the user's machine may listen at.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::([1-9][0-9]{0,4}))?([/?].*|)$/s;

function loopbackParts(uri: string): { host: string; rest: string } | null {
  const match = LOOPBACK.exec(uri);
  if (match === null) return null;
  const [, host, port, rest] = match;
  if (host === undefined || rest === undefined) return null;
  if (port !== undefined && Number(port) > 65_535) return null;
  return { host, rest };
}
