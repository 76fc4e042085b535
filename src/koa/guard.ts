import type { Context, Middleware, Next } from 'koa';
import {
  isOtherAuthenticationScheme,
  isResourceIdentifier,
  resourceMetadataParameter,
  type GuardCheckOptions,
  type OAuth2GuardInteractor,
  type OAuthGuardOutcome,
  type ProtectedResource,
} from '../core/index.js';
import './state.js';
import { reportingTo } from './error-reporting.js';
import { toGuardRequest } from './oauth-http-request.js';
import { sendOAuthResponse } from './oauth-http-response.js';

/** Options of {@link guard}. */
export interface OAuthGuardMiddlewareOptions {
  /** Scopes the token must all hold; otherwise 403 `insufficient_scope` (RFC 6750 §3.1). */
  scope?: string[];
  /**
   * Let callers that present no credentials through, with `ctx.state.oauth` unset, for routes that
   * serve anonymous and authenticated callers alike. A caller that does present a token must still
   * present a valid one (with the required scope): a bad token is refused, not downgraded to
   * anonymous, so that its client learns it must refresh (RFC 6750 §3.1 `invalid_token`).
   * Default false.
   */
  passthrough?: boolean;
  /**
   * The resource's metadata (RFC 9728) to name in every Bearer challenge of these routes, as
   * `resource_metadata="…"` (§5.1): a description from `protectedResourceMetadata()` (serve it with
   * `serveProtectedResourceMetadata`) or its metadata URL. A 401 then also names the required
   * `scope`. Checked here, when the middleware is built (`ProtectedResourceMetadataError`, code
   * `invalid_resource_metadata`). A description also sets `resource`.
   */
  resourceMetadata?: string | ProtectedResource;
  /**
   * The identifier of the resource these routes are (RFC 8707 §2): only a token issued for it
   * passes; one for another resource, or for none, gets 401 `invalid_token`. Default: the
   * `resource` of a described `resourceMetadata`, else the interactor's own. An interactor bound to
   * no resource admits only tokens asked for none.
   */
  resource?: string;
  /**
   * Admit a valid token whatever its audience on these routes, in place of the interactor's own
   * setting (`createGuard({ acceptAnyAudience })`): only for routes that stand for every resource
   * of the authorization server. Not with `resource` or a described `resourceMetadata`, nor with a
   * `jwtGuard`, which always checks `aud` (TypeError when the middleware is built). `false` holds
   * these routes to their resource, or to tokens asked for none.
   */
  acceptAnyAudience?: boolean;
}

/**
 * Protects the routes after it with bearer tokens (RFC 6750). On success it sets `ctx.state.oauth`
 * (`{ token, client, user, scope }`) and calls `next`; on failure it sends the interactor's answer
 * (401 with `WWW-Authenticate: Bearer …`, 400 for a malformed request, 403 `insufficient_scope`,
 * 503 when the storage is unavailable). A failure that is not a protocol error goes to the
 * interactor's `onError` when it was built with one, and is otherwise emitted on the Koa
 * application (`app.on('error', …)`, logged by Koa by default): once, either way.
 *
 * The guard does not read request bodies (it may sit in front of uploads): a token sent as the
 * `access_token` form parameter (RFC 6750 §2.2) is seen only when a body parser ran before it.
 */
export function guard(interactor: OAuth2GuardInteractor, options: OAuthGuardMiddlewareOptions = {}): Middleware {
  const resource = options.resource ?? (typeof options.resourceMetadata === 'object' ? options.resourceMetadata.resource : undefined);
  if (resource !== undefined && !isResourceIdentifier(resource)) {
    throw new TypeError(`guard resource must be an absolute URI without a fragment, of at most 512 characters (RFC 8707 §2), got ${JSON.stringify(resource)}`);
  }
  const { acceptAnyAudience } = options;
  if (acceptAnyAudience !== undefined && typeof acceptAnyAudience !== 'boolean') {
    throw new TypeError(`guard acceptAnyAudience must be true or false, got ${JSON.stringify(acceptAnyAudience)}`);
  }
  if (acceptAnyAudience === true && resource !== undefined) {
    throw new TypeError(`guard acceptAnyAudience cannot be combined with resource ${JSON.stringify(resource)}: routes bound to a resource admit only its tokens (RFC 8707 §2)`);
  }
  // The route's options, built once and frozen (its scope list too, which spares the interactor
  // checking it again on every request); each request adds only its own reporter.
  const routeOptions: GuardCheckOptions = Object.freeze({
    ...(options.scope === undefined ? {} : { scope: Object.freeze([...options.scope]) as string[] }),
    ...(options.resourceMetadata === undefined ? {} : { resourceMetadata: resourceMetadataParameter(options.resourceMetadata) }),
    ...(resource === undefined ? {} : { resource }),
    ...(acceptAnyAudience === undefined ? {} : { acceptAnyAudience }),
  });
  const passthrough = options.passthrough === true;
  return function oauthGuard(ctx, next) {
    // Deleted only when set (by an earlier guard): deleting a property slows every later access to the object.
    if (ctx.state.oauth !== undefined) delete ctx.state.oauth;
    if (passthrough && !presentsCredentials(ctx)) return next();
    const request = toGuardRequest(ctx);
    const checkOptions = { ...routeOptions, fallbackOnError: reportingTo(ctx) };
    // An outcome ready at once (a kept token) is acted on at once: no promise, no microtask turn.
    const outcome = interactor.checkEagerly === undefined ? interactor.check(request, checkOptions) : interactor.checkEagerly(request, checkOptions);
    return isPending(outcome) ? outcome.then((settled) => proceed(ctx, settled, next)) : proceed(ctx, outcome, next);
  };
}

/** Sends the refusal, or puts the result on `ctx.state.oauth` and goes on. */
function proceed(ctx: Context, outcome: OAuthGuardOutcome, next: Next): Promise<void> | void {
  if (!outcome.ok) {
    sendOAuthResponse(ctx, outcome.response);
    return;
  }
  ctx.state.oauth = outcome.oauth;
  return next();
}

function isPending(outcome: OAuthGuardOutcome | PromiseLike<OAuthGuardOutcome>): outcome is PromiseLike<OAuthGuardOutcome> {
  return typeof (outcome as PromiseLike<OAuthGuardOutcome>).then === 'function';
}

/**
 * Whether the request carries anything that could be a bearer token (RFC 6750 §2.1–2.3). An
 * `Authorization` header of another scheme (`Basic`, `Digest`…) is none: the guard would answer
 * it as a request without credentials (RFC 6750 §3.1), so `passthrough` lets it through
 * anonymously like one without the header. A header the guard would refuse as malformed counts.
 */
function presentsCredentials(ctx: Context): boolean {
  const authorization = ctx.get('Authorization');
  if (authorization !== '' && !isOtherAuthenticationScheme(authorization)) return true;
  if (ctx.query.access_token !== undefined) return true;
  const body: unknown = ctx.request.body;
  return typeof body === 'object' && body !== null && 'access_token' in body;
}
