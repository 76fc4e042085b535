import { createHash } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { ProtectedResource } from '../core/index.js';

/** Options of {@link serveProtectedResourceMetadata}. */
export interface ProtectedResourceMetadataServingOptions {
  /**
   * How long, in seconds, clients and shared caches may reuse the document without asking again
   * (`Cache-Control: public, max-age=…`, RFC 9728 §7.10). Default 600. After a change (another
   * authorization server, say) clients may see the old document this long, unless a challenge
   * prompts them to fetch it again (§5.2).
   */
  maxAgeSeconds?: number;
}

const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';

/**
 * Serves a protected resource's metadata (RFC 9728 §3) from any Koa application: the resource
 * server's own, which need not be the authorization server's nor run where it runs. Mount it at
 * the application's root, before other routes:
 *
 * ```ts
 * app.use(serveProtectedResourceMetadata(mcp)); // mcp = protectedResourceMetadata({ … })
 * ```
 *
 * It answers the document's well-known URL (`mcp.metadataUrl`, §3.1), path and query matched
 * exactly, on whichever host the request names, and passes every other request on:
 *
 * - `GET`/`HEAD`: 200 `application/json` (§3.2) with `Cache-Control: public, max-age=600` and an
 *   `ETag` (a matching `If-None-Match` gets 304);
 * - `OPTIONS`: the CORS preflight answer, 204;
 * - any other method: 405 with `Allow: GET, HEAD, OPTIONS`.
 *
 * Every answer carries `Access-Control-Allow-Origin: *`: browser-based clients (MCP clients in a
 * web page) fetch the document from another origin than the resource's, and it is public, holds
 * no secret and is fetched without credentials, so there is nothing to keep from any origin.
 *
 * A resource whose path ends with "/" (`https://api.example.com/mcp/`) is also answered at that
 * path without its final "/": RFC 9728 §3.1 keeps it (as oauth4webapi does), while some clients
 * (the MCP SDKs) drop it before inserting the well-known string.
 */
export function serveProtectedResourceMetadata(
  resource: ProtectedResource,
  options: ProtectedResourceMetadataServingOptions = {},
): Middleware {
  if (typeof resource !== 'object' || resource === null || typeof resource.metadataUrl !== 'string' || typeof resource.metadata !== 'object') {
    throw new TypeError('serveProtectedResourceMetadata needs a description from protectedResourceMetadata({ resource, authorizationServers, … })');
  }
  const maxAge = options.maxAgeSeconds ?? 600;
  if (!Number.isSafeInteger(maxAge) || maxAge < 0) throw new TypeError(`maxAgeSeconds must be a whole number of seconds ≥ 0, got ${String(maxAge)}`);
  const location = new URL(resource.metadataUrl);
  const paths = new Set([location.pathname, withoutFinalSlash(location.pathname)].map(normalizePercentEncoding));
  const query = location.search.slice(1);
  const body = JSON.stringify(resource.metadata);
  // Strong: the bytes are the same for as long as this middleware lives.
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

  return async function protectedResourceMetadata(ctx, next) {
    if (!paths.has(normalizePercentEncoding(ctx.path)) || ctx.querystring !== query) return next();
    ctx.set('Access-Control-Allow-Origin', '*');
    switch (ctx.method) {
      case 'GET':
      case 'HEAD':
        sendDocument(ctx, body, etag, maxAge);
        return;
      case 'OPTIONS':
        answerPreflight(ctx);
        return;
      default:
        // RFC 9728 §3.1: the document is queried with GET; RFC 9110 §15.5.6: 405 names the methods served.
        ctx.set('Allow', ALLOWED_METHODS);
        ctx.status = 405;
    }
  };
}

function sendDocument(ctx: Context, body: string, etag: string, maxAge: number): void {
  // Set before the body, so that Koa keeps it as is, without a charset parameter (RFC 8259 §11
  // defines none for application/json; RFC 9728 §3.2 names the bare type).
  ctx.set('Content-Type', 'application/json');
  ctx.set('Cache-Control', `public, max-age=${maxAge}`);
  ctx.set('ETag', etag);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.status = 200;
  ctx.body = body;
  // RFC 9110 §13.1.2: a cached copy the client revalidates is still current.
  if (ctx.fresh) ctx.status = 304;
}

/**
 * The CORS preflight (Fetch standard, "CORS protocol"): a browser asks before a cross-origin GET
 * that carries headers of its own, as MCP clients do (`MCP-Protocol-Version`). The headers asked
 * for are granted: the document is the same whatever the request says.
 */
function answerPreflight(ctx: Context): void {
  ctx.set('Allow', ALLOWED_METHODS);
  ctx.set('Access-Control-Allow-Methods', 'GET, HEAD');
  const requested = ctx.get('Access-Control-Request-Headers');
  if (requested !== '') ctx.set('Access-Control-Allow-Headers', requested);
  ctx.set('Access-Control-Max-Age', '86400');
  ctx.vary('Access-Control-Request-Headers');
  ctx.status = 204;
}

function withoutFinalSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** RFC 3986 §6.2.2.1: `%c3%a9` and `%C3%A9` are the same path; compare the upper-case form. */
function normalizePercentEncoding(path: string): string {
  return path.replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase());
}
