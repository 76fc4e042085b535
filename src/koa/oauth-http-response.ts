import type { Context } from 'koa';
import type { OAuthHttpResponse } from '../core/index.js';

/**
 * Writes an interactor's response onto the Koa context: status, headers, and the body — strings as
 * they are (plain text unless the interactor named a type, so that Koa never sniffs one as HTML),
 * anything else as JSON, and no body at all for `null`/`undefined` (e.g. RFC 7009 §2.2's empty 200).
 */
export function sendOAuthResponse(ctx: Context, response: OAuthHttpResponse): void {
  for (const [name, value] of Object.entries(response.headers)) ctx.set(name, value);
  const { body } = response;
  if (body === undefined || body === null) {
    // Koa turns an empty body into a 204; setting the status afterwards keeps the one asked for.
    ctx.body = null;
    ctx.status = response.status;
    return;
  }
  ctx.status = response.status;
  if (typeof body === 'string') {
    if (!ctx.res.hasHeader('content-type')) ctx.type = 'text/plain; charset=utf-8';
    ctx.body = body;
    return;
  }
  if (!ctx.res.hasHeader('content-type')) ctx.type = 'application/json; charset=utf-8';
  ctx.body = JSON.stringify(body);
}
