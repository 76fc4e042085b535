import type { Middleware } from 'koa';
import { emitError } from './error-reporting.js';
import { oauthErrorResponse, StorageUnavailableError } from '../core/index.js';
import type { BindingErrorSettings } from './binding-error-settings.js';
import { sendOAuthResponse } from './oauth-http-response.js';

/**
 * The OAuth routes' error boundary: whatever downstream code throws is answered as JSON in the
 * shape of RFC 6749 §5.2, and no message or stack of an unexpected error ever reaches the client.
 *
 * - An HTTP error marked safe to show (`expose`, as `ctx.throw(400, '…')` makes one) keeps its 4xx
 *   status and message, as `invalid_request`.
 * - A storage failure (a {@link StorageUnavailableError} thrown or along the `cause` chain, e.g.
 *   from an authorization page reading clients and scopes) is 503 `temporarily_unavailable`, as at
 *   every other endpoint.
 * - Anything else is a bug: 500 `server_error` with a generic description.
 *
 * Both are emitted on the application (`app.on('error', …)`) so that they are logged server-side.
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
      const answer = isStorageFailure(error)
        ? oauthErrorResponse(503, 'temporarily_unavailable', 'The authorization server is temporarily unavailable', settings)
        : oauthErrorResponse(500, 'server_error', 'The authorization server encountered an unexpected condition.', settings);
      sendOAuthResponse(ctx, answer);
      emitError(ctx, error);
    }
  };
}

/** Whether the storage failed, the error itself or one of its causes (a handler may wrap it). */
function isStorageFailure(error: unknown, depth = 0): boolean {
  if (error instanceof StorageUnavailableError) return true;
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  return isStorageFailure((error as { cause?: unknown }).cause, depth + 1);
}

function exposedClientError(error: unknown): { status: number; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose, message } = error as { status?: unknown; expose?: unknown; message?: unknown };
  if (expose !== true || typeof status !== 'number' || status < 400 || status > 499) return undefined;
  return { status, message: typeof message === 'string' ? message : 'invalid request' };
}
