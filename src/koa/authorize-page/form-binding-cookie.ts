import type { Context } from 'koa';

/**
 * The cookie holding the browser's form binding (see `authorization-form-token.ts` in the core).
 * HttpOnly: no script needs it. SameSite=Lax: sent when the client's redirect brings the user in
 * (a top-level GET from another site), never on another site's POST. Over HTTPS the `__Host-`
 * prefix pins it to this host, with Secure and Path=/ (RFC 6265bis §4.1.3.2).
 */
function cookieName(ctx: Context): string {
  return ctx.secure ? '__Host-oauth2kit-form' : 'oauth2kit-form';
}

/** The binding the browser presented, or undefined. */
export function readFormBinding(ctx: Context): string | undefined {
  return ctx.cookies.get(cookieName(ctx));
}

/** Gives the browser this binding; it lasts for the browser session. */
export function writeFormBinding(ctx: Context, binding: string): void {
  ctx.cookies.set(cookieName(ctx), binding, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    path: '/',
    overwrite: true,
    signed: false,
  });
}
