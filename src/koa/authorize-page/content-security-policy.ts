import { randomBytes } from 'node:crypto';

/** A fresh nonce for one response's Content-Security-Policy (CSP3 §2.3.1: unguessable, per response). */
export function newCspNonce(): string {
  return randomBytes(18).toString('base64');
}

/** A host-source fit for a CSP header: scheme, host (or bracketed IPv6) and optional port. */
const ORIGIN_SOURCE = /^https?:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
/** A scheme-source, for native apps' private-use URI schemes (RFC 8252 §7.1). */
const SCHEME_SOURCE = /^[a-z][a-z0-9+.-]*:$/;

/**
 * The CSP source allowing the form's final redirect to `redirectUri`. Browsers apply `form-action`
 * to the redirects that follow a form submission too, so the client's redirect URI must be allowed
 * or the approved response would be blocked. Null for a URI that makes no safe source.
 */
export function redirectSource(redirectUri: string): string | null {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return ORIGIN_SOURCE.test(url.origin) ? url.origin : null;
  return SCHEME_SOURCE.test(url.protocol) ? url.protocol : null;
}

/**
 * The page's policy: nothing loads but the nonced inline style; no scripts, plugins or base URL;
 * the form posts only to this server (and follows the redirect to the client's URI); and no site
 * may frame the page (RFC 6749 §10.13 clickjacking).
 */
export function pageContentSecurityPolicy(nonce: string, formTargets: readonly string[] = []): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    `form-action ${["'self'", ...formTargets].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
