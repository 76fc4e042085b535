import type { Middleware } from 'koa';

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
