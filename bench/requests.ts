/** The HTTP requests each scenario sends. */
import type { RequestSource } from './load.js';
import type { BenchFixture, TokenSet } from './seeding.js';

/** RFC 6749 §2.3.1: HTTP Basic with the form-encoded client id and secret. */
function basicAuthorization(fixture: BenchFixture): string {
  const pair = `${encodeURIComponent(fixture.clientId)}:${encodeURIComponent(fixture.clientSecret)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * Guarded GETs (RFC 6750 §2.1). Each connection stands for one set of callers: it cycles through
 * its own share of the seeded tokens, so no token is in flight on two connections at once, as when
 * each client holds its own token.
 */
export function guardedRequests(tokens: TokenSet): RequestSource {
  return {
    kind: 'per-connection',
    requestsFor: (connection, connections) => {
      const request = (n: number) => ({
        method: 'GET' as const,
        path: '/api/resource',
        headers: { authorization: `Bearer ${tokens.token(n)}` },
      });
      const requests = [];
      for (let n = connection + 1; n <= tokens.count; n += connections) requests.push(request(n));
      // Fewer tokens than connections: some tokens are shared after all.
      return requests.length > 0 ? requests : [request((connection % tokens.count) + 1)];
    },
  };
}

/**
 * Guarded GETs that all present the same token, as when one busy client calls: the case that
 * flatters both coalescing (concurrent lookups share one read) and caching (one entry).
 */
export function singleTokenRequests(tokens: TokenSet): RequestSource {
  return {
    kind: 'cycle',
    requests: [{ method: 'GET', path: '/api/resource', headers: { authorization: `Bearer ${tokens.token(1)}` } }],
  };
}

/**
 * One client_credentials request to the server on `port`, before it is measured: a deployed server
 * that mounts the OAuth router issues tokens too, so whatever a token request leaves behind in the
 * process (a cache, an async hook) must weigh on the guard's figures as it would there.
 */
export async function issueOneToken(port: number, fixture: BenchFixture): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/auth/token`, {
    method: 'POST',
    headers: { authorization: basicAuthorization(fixture), 'content-type': FORM },
    body: `grant_type=client_credentials&scope=${fixture.scope}`,
  });
  if (response.status !== 200) throw new Error(`the token request before the measurement got ${response.status}: ${await response.text()}`);
}

/** client_credentials issuance (RFC 6749 §4.4), the same request every time. */
export function clientCredentialsRequests(fixture: BenchFixture): RequestSource {
  return {
    kind: 'cycle',
    requests: [
      {
        method: 'POST',
        path: '/auth/token',
        headers: { authorization: basicAuthorization(fixture), 'content-type': FORM },
        body: `grant_type=client_credentials&scope=${fixture.scope}`,
      },
    ],
  };
}

/**
 * Refresh (RFC 6749 §6), each request with a refresh token never used before: a used one is
 * rotated away and presenting it again would (rightly) revoke its family. When the seeded tokens
 * run out the requests carry a dead token and show up as errors.
 */
export function refreshRequests(fixture: BenchFixture, tokens: TokenSet): RequestSource {
  const authorization = basicAuthorization(fixture);
  let next = 0;
  return {
    kind: 'fresh',
    next: () => {
      next += 1;
      const token = next <= tokens.count ? tokens.token(next) : 'exhausted';
      return {
        method: 'POST',
        path: '/auth/token',
        headers: { authorization, 'content-type': FORM },
        body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`,
      };
    },
  };
}
