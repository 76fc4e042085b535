import type { Context } from 'koa';
import type { OAuthHttpRequest } from '../core/http.js';

/**
 * The framework-free view of a Koa request. Headers are Node's (lower-case names, repeated values
 * joined) except `Authorization`, which Node would silently reduce to its first occurrence: when
 * repeated it is passed as an array so that the interactor can refuse the ambiguity. The query is
 * Node's `querystring` parse, where a repeated parameter is an array; the body is whatever a body
 * parser left on `ctx.request.body` when it is an object, and `{}` otherwise (no body, not parsed).
 */
export function toOAuthHttpRequest(ctx: Context): OAuthHttpRequest {
  const body: unknown = ctx.request.body;
  const authorizations = ctx.req.headersDistinct['authorization'];
  return {
    method: ctx.method,
    headers:
      authorizations !== undefined && authorizations.length > 1
        ? { ...ctx.headers, authorization: [...authorizations] }
        : ctx.headers,
    query: ctx.query,
    body: isPlainRecord(body) ? body : {},
  };
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
