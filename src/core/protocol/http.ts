/**
 * Framework-free HTTP shapes. The interactors take and return these; `oauth2-kit/koa` (or any other
 * binding) translates to and from its framework.
 */

/** An incoming request as the interactors see it. Header names are lower-case. */
export interface OAuthHttpRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed query string; a repeated parameter is an array. */
  query: Record<string, string | string[] | undefined>;
  /**
   * Parsed body (form-urlencoded or JSON, already decoded by the binding); a repeated form
   * parameter is an array. Empty object when there is no body.
   */
  body: Record<string, unknown>;
  /**
   * The network address the request came from, as the binding trusts it (Koa: `ctx.ip`, which
   * reads `X-Forwarded-For` only when `app.proxy` is true). Failed authentications are counted
   * per source address (docs/adr/0007-throttling-by-source.md); without it only the limits that
   * need no address apply.
   */
  sourceAddress?: string;
}

/** What the binding must send back. */
export interface OAuthHttpResponse {
  status: number;
  /** Header names are lower-case. */
  headers: Record<string, string>;
  /** JSON-serialisable body, or a string for HTML/plain bodies. */
  body: unknown;
}
