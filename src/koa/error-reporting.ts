import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'koa';

/**
 * Carries the Koa context of the request an interactor is serving, so that failures the interactor
 * reports (its `onError`) reach the application's `error` event like any other Koa error.
 */
const servingContext = new AsyncLocalStorage<Context>();

/** Runs `work` (an interactor call) with `ctx` as the context its reported errors belong to. */
export function serving<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  return servingContext.run(ctx, work);
}

/** Emits `error` on the Koa application serving the current request (no-op outside one). */
export function reportToApplication(error: unknown): void {
  const ctx = servingContext.getStore();
  if (ctx !== undefined) emitError(ctx, error);
}

/**
 * Emits an error on the application. Koa's default listener throws on anything that is not an
 * Error, so other thrown values are wrapped — by type only, since the value itself may be secret.
 */
export function emitError(ctx: Context, error: unknown): void {
  const reportable = error instanceof Error ? error : new Error(`non-error value thrown (${typeof error})`);
  ctx.app.emit('error', reportable, ctx);
}
