import type { OAuthModelClient } from './client-views.js';

/** PKCE code challenge methods (RFC 7636 §4.2). */
export type PkceMethod = 'S256' | 'plain';

/** RFC 7636 §4.2: code-challenge = 43*128unreserved. */
const CODE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

/** The outcome of checking an authorization request's PKCE parameters against the client's policy. */
export type PkceDecision =
  | { ok: true; codeChallenge: string | null; codeChallengeMethod: PkceMethod | null }
  | { ok: false; reason: string };

/**
 * Applies the client's PKCE policy to `code_challenge`/`code_challenge_method`: required for public
 * clients always and for confidential clients with `requirePkce`; S256 unless the client allows
 * `plain`. An absent method means `plain` (RFC 7636 §4.3), so it is refused unless plain is allowed.
 */
export function decidePkce(
  client: Pick<OAuthModelClient, 'requirePkce' | 'allowPlainPkce'>,
  challenge: unknown,
  method: unknown,
): PkceDecision {
  if (challenge === undefined || challenge === null || challenge === '') {
    if (client.requirePkce) return { ok: false, reason: 'Invalid request: `code_challenge` is required for this client' };
    if (method !== undefined && method !== null && method !== '') {
      return { ok: false, reason: 'Invalid request: `code_challenge_method` without `code_challenge`' };
    }
    return { ok: true, codeChallenge: null, codeChallengeMethod: null };
  }
  if (typeof challenge !== 'string' || !CODE_CHALLENGE.test(challenge)) {
    return { ok: false, reason: 'Invalid request: `code_challenge` is malformed' };
  }
  const resolved = method === undefined || method === null || method === '' ? 'plain' : method;
  if (resolved !== 'S256' && resolved !== 'plain') {
    return { ok: false, reason: 'Invalid request: `code_challenge_method` is not supported' };
  }
  if (resolved === 'plain' && !client.allowPlainPkce) {
    return { ok: false, reason: 'Invalid request: `code_challenge_method` must be S256' };
  }
  return { ok: true, codeChallenge: challenge, codeChallengeMethod: resolved };
}
