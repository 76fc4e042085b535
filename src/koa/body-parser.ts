import type { Context, Middleware } from 'koa';
import bodyParser from 'koa-bodyparser';
import { parseFormParameters } from './form-parameters.js';
import { oauthErrorResponse } from '../core/index.js';
import type { BindingErrorSettings } from './binding-error-settings.js';
import { sendOAuthResponse } from './oauth-http-response.js';

/** Options of {@link oauthBodyParser}. */
export interface OAuthBodyParserOptions extends BindingErrorSettings {
  /**
   * Largest accepted body, after any `Content-Encoding` is undone, in bytes or as a string such as
   * `'16kb'`. Larger bodies are answered with 413. Default `'16kb'`: OAuth requests are a handful of
   * short parameters.
   */
  limit?: string | number;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/**
 * Reads an OAuth endpoint's body into `ctx.request.body`: `application/x-www-form-urlencoded`
 * (RFC 6749 Appendix B; a repeated parameter becomes an array) or `application/json` (an object).
 * A request without a body gets `{}`. Anything it cannot accept is answered here with an RFC 6749
 * §5.2-shaped JSON error and the chain stops: another media type, a charset other than UTF-8, a
 * malformed body → 400 `invalid_request`; a body over the limit → 413.
 *
 * A body parsed earlier in the chain (by the application's own parser) is kept as it is; whether a
 * repeated parameter still shows as an array then depends on that parser.
 */
export function oauthBodyParser(options: OAuthBodyParserOptions = {}): Middleware {
  const limit = options.limit ?? '16kb';
  const parse = bodyParser({
    enableTypes: ['json', 'form'],
    jsonLimit: limit as string,
    formLimit: limit as string,
    strict: true,
    // Read by co-body though absent from the published option types: the literal form decoder.
    ...({ qs: { parse: parseFormParameters } } as object),
  });

  const reject = (ctx: Context, status: number, description: string): void =>
    sendOAuthResponse(ctx, oauthErrorResponse(status, 'invalid_request', description, options));

  return async function parseOAuthBody(ctx, next) {
    if (ctx.request.body === undefined) {
      const refusal = refuseUnreadable(ctx);
      if (refusal !== undefined) return reject(ctx, 400, refusal);
      try {
        await parse(ctx, async () => {});
      } catch (error) {
        const status = (error as { status?: unknown } | null)?.status;
        if (status === 413) {
          // The rest of an oversized body may still be on the wire: do not reuse the connection.
          ctx.set('Connection', 'close');
          return reject(ctx, 413, 'the request body is too large');
        }
        if ((typeof status === 'number' && status >= 400 && status < 500) || isDecompressionFailure(error)) {
          return reject(ctx, 400, 'the request body is malformed or uses an unsupported encoding');
        }
        throw error;
      }
      if (!isPlainObject(ctx.request.body)) return reject(ctx, 400, 'the JSON body must be an object');
    }
    await next();
  };
}

/** Why a request's body cannot be read at all, decided from its headers alone. */
function refuseUnreadable(ctx: Context): string | undefined {
  const hasBody = ctx.get('Transfer-Encoding') !== '' || (ctx.request.length ?? 0) > 0;
  if (!hasBody) return undefined;
  if (!ctx.request.is(FORM, JSON_TYPE)) return `the body must be ${FORM} or ${JSON_TYPE}`;
  const charset = ctx.request.charset.toLowerCase();
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') return 'the body must be encoded in UTF-8';
  return undefined;
}

/**
 * A body whose `Content-Encoding` (gzip, deflate, br) does not match its bytes makes zlib fail with
 * a bare error (a numeric `errno`, a `Z_…` or, for brotli, `ERR__…` code) and no HTTP status: it is
 * still the request's fault, not the server's.
 */
function isDecompressionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { errno, code } = error as { errno?: unknown; code?: unknown };
  return typeof errno === 'number' && typeof code === 'string' && /^(?:Z_|ERR__)/.test(code);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
