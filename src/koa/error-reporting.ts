import type { Context } from 'koa';

/**
 * Emits an error on the application. Koa's default listener throws on anything that is not an
 * Error, so other thrown values are wrapped — by type only, since the value itself may be secret.
 */
export function emitError(ctx: Context, error: unknown): void {
  const reportable = error instanceof Error ? error : new Error(`non-error value thrown (${typeof error})`);
  ctx.app.emit('error', reportable, ctx);
}

/**
 * A per-call `onError` for an interactor serving `ctx`: what it reports reaches the application's
 * `error` event, with the request's context, like any other Koa error. Passed explicitly with each
 * call rather than found through async context, which would cost every promise in the process.
 */
export function reportingTo(ctx: Context): (error: unknown) => void {
  return (error) => emitError(ctx, error);
}
