import type { Middleware } from 'koa';
import { emitError } from './error-reporting.js';
import { oauthErrorResponse } from '../core/index.js';
import type { BindingErrorSettings } from './binding-error-settings.js';
import { sendOAuthResponse } from './oauth-http-response.js';

/**
 * The OAuth routes' error boundary: whatever downstream code throws is answered as JSON in the
 * shape of RFC 6749 §5.2, and no message or stack of an unexpected error ever reaches the client.
 *
 * - An HTTP error marked safe to show (`expose`, as `ctx.throw(400, '…')` makes one) keeps its 4xx
 *   status and message, as `invalid_request`.
 * - Anything else is a bug: 500 `server_error` with a generic description, and the error is emitted
 *   on the application (`app.on('error', …)`) so that it is logged server-side.
 */
export function oauthErrorBoundary(settings: BindingErrorSettings = {}): Middleware {
  return async function catchOAuthErrors(ctx, next) {
    try {
      await next();
    } catch (error) {
      if (ctx.headerSent || !ctx.writable) throw error;
      ctx.remove('Content-Type');
      const exposed = exposedClientError(error);
      if (exposed) {
        sendOAuthResponse(ctx, oauthErrorResponse(exposed.status, 'invalid_request', exposed.message, settings));
        return;
      }
      sendOAuthResponse(
        ctx,
        oauthErrorResponse(500, 'server_error', 'The authorization server encountered an unexpected condition.', settings),
      );
      emitError(ctx, error);
    }
  };
}

function exposedClientError(error: unknown): { status: number; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose, message } = error as { status?: unknown; expose?: unknown; message?: unknown };
  if (expose !== true || typeof status !== 'number' || status < 400 || status > 499) return undefined;
  return { status, message: typeof message === 'string' ? message : 'invalid request' };
}
