import type { Middleware } from 'koa';
import type { JsonLog } from './json-log.js';

/** Longer paths are cut: the size of a log line should not be chosen by whoever sends the request. */
const MAX_PATH = 256;

/**
 * Logs one line per request once its response is over: method, path, status, duration.
 *
 * Only `ctx.path` is logged, never the query string or headers: with
 * `allowBearerTokensInQueryString` an access token can travel in the query (RFC 6750 §2.3), and
 * credentials travel in `Authorization`. Bodies (which carry secrets and passwords) are not logged.
 */
export function requestLog(log: JsonLog): Middleware {
  return async function logRequest(ctx, next) {
    const started = process.hrtime.bigint();
    // 'close' also fires when the client goes away mid-response, which 'finish' would miss.
    ctx.res.once('close', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      log.info('request', {
        method: ctx.method,
        path: ctx.path.length > MAX_PATH ? `${ctx.path.slice(0, MAX_PATH)}…` : ctx.path,
        status: ctx.status,
        duration_ms: Math.round(durationMs * 10) / 10,
      });
    });
    await next();
  };
}
