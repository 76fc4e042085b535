import type { Context } from 'koa';

/**
 * The cookie holding a browser's sign-in session secret (OIDC Core §3.1.2.3; the storage keeps only
 * its digest). HttpOnly: no script needs it. SameSite=Lax: sent when a client's redirect brings
 * the user in (a top-level GET from another site, which is how `prompt=none` works), never on
 * another site's POST. Over HTTPS the `__Host-` prefix pins it to this host, with Secure and
 * Path=/ (RFC 6265bis §4.1.3.2). Its Max-Age is the session's remaining life.
 */
function cookieName(ctx: Context): string {
  return ctx.secure ? '__Host-oauth2kit-session' : 'oauth2kit-session';
}

/** The session secret the browser presented, or undefined. */
export function readSessionCookie(ctx: Context): string | undefined {
  return ctx.cookies.get(cookieName(ctx));
}

/** Gives the browser the secret of the session it now has, until `expiresAt`. */
export function writeSessionCookie(ctx: Context, secret: string, expiresAt: Date): void {
  ctx.cookies.set(cookieName(ctx), secret, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    path: '/',
    expires: expiresAt,
    overwrite: true,
    signed: false,
  });
}

/** Removes the session cookie (logout, or a session the storage no longer knows). */
export function clearSessionCookie(ctx: Context): void {
  writeSessionCookie(ctx, '', new Date(0));
}
