/**
 * Types `ctx.state.oauth` for every Koa application that imports `oauth2-kit/koa`: the guard puts
 * the verified token's facts there, and it is absent on requests the guard let through anonymously.
 */
import type { OAuthGuardResult } from '../core/index.js';

declare module 'koa' {
  interface DefaultState {
    /** Set by {@link guard} when the request carried a valid bearer token; absent otherwise. */
    oauth?: OAuthGuardResult;
  }
}

export {};
