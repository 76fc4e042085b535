import type { Context } from 'koa';
import { newCspNonce, pageContentSecurityPolicy } from './content-security-policy.js';
import type { ErrorPageView } from './page-views.js';

/**
 * How the browser-facing pages (authorization, logout) are sent. Every answer of such an endpoint
 * is kept out of caches and frames and sent without a referrer (RFC 6749 §10.13 clickjacking; the
 * page may carry a CSRF token, the URL an id_token_hint); a page replaces the frame-only policy with
 * its own strict, nonce-based Content-Security-Policy.
 */
export function protectPage(ctx: Context): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Content-Security-Policy', "frame-ancestors 'none'");
  ctx.set('Referrer-Policy', 'no-referrer');
}

/** Sends a page whose scripts and styles carry `nonce`, whose forms may post to `formTargets` too. */
export function sendPageHtml(ctx: Context, status: number, html: string, nonce: string, formTargets: string[] = []): void {
  ctx.status = status;
  ctx.set('Content-Security-Policy', pageContentSecurityPolicy(nonce, formTargets));
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = html;
}

/** Sends the error page `render` makes of `view`. */
export function showErrorPage(ctx: Context, render: (view: ErrorPageView) => string, view: Omit<ErrorPageView, 'nonce'>): void {
  const nonce = newCspNonce();
  sendPageHtml(ctx, view.status, render({ ...view, nonce }), nonce);
}
