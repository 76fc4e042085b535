import type { Middleware } from 'koa';

/**
 * The demo client's post-logout redirect URI (`/demo/signed-out`, OpenID Connect RP-Initiated
 * Logout §3): where the end-session endpoint sends the browser back, with the client's `state`.
 */
export function demoSignedOut(): Middleware {
  return (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { signed_out: true, state: ctx.query.state ?? null };
  };
}

/**
 * The demo client's redirect URI (`/demo/callback`): in a real deployment this is the client
 * application's page, on another origin. It shows what the authorization server sent back, so
 * that the code can be exchanged by hand with the command the first-run banner printed. A real
 * client checks that `state` is its own and `iss` the issuer it trusts (RFC 9207 §2.4).
 */
export function demoCallback(): Middleware {
  return (ctx) => {
    const { code, state, iss, error, error_description: description } = ctx.query;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.body =
      error === undefined
        ? { code: code ?? null, state: state ?? null, iss: iss ?? null, next: 'exchange the code at POST /auth/token within a few minutes' }
        : { error, error_description: description ?? null, state: state ?? null, iss: iss ?? null };
  };
}
