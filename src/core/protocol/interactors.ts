import type { OAuthUser } from '../provider/application-callbacks.js';
import type { OAuthHttpRequest, OAuthHttpResponse } from './http.js';
import type { ProtectedResource } from './protected-resource.js';

/** What a successful guard puts on the request (`ctx.state.oauth` in Koa). */
export interface OAuthGuardResult {
  token: {
    /** The token row's id (never the token itself). */
    id: string;
    accessTokenExpiresAt: Date;
  };
  client: { id: string; name: string };
  /** Null for client_credentials tokens. */
  user: OAuthUser | null;
  scope: string[];
  /** The resources the token is for (RFC 8707): its audience; empty for a token asked for none. */
  audience: string[];
}

/** Outcome of a guard check: either the caller may pass, or this response must be sent. */
export type OAuthGuardOutcome =
  | { ok: true; oauth: OAuthGuardResult }
  | { ok: false; response: OAuthHttpResponse };

/** Options of one guard check. */
export interface GuardCheckOptions {
  /** Scopes the token must all hold; otherwise 403 `insufficient_scope` (RFC 6750 §3.1). */
  scope?: string[];
  /**
   * The resource's metadata to name in this check's Bearer challenges (RFC 9728 §5.1), in place of
   * the guard's own `resourceMetadata`: a description from `protectedResourceMetadata()` or its
   * metadata URL. A guard that is handed it must put it in every challenge it answers with.
   */
  resourceMetadata?: string | ProtectedResource;
  /**
   * The resource this check protects (RFC 8707), in place of the guard's own `resource` (and of its
   * `acceptAnyAudience`): only a token whose audience includes it passes.
   */
  resource?: string;
  /**
   * In place of the guard's own `acceptAnyAudience`: `true` admits a valid token whatever its
   * audience (the guard's `resource` then does not apply; not with this check's own `resource`, a
   * TypeError); `false` holds the check to its resource, or the guard's, or to tokens asked for no
   * resource when neither names one. A guard that verifies JWTs (`createJwtGuard`) refuses `true`
   * with a TypeError: it always checks `aud`.
   */
  acceptAnyAudience?: boolean;
  /**
   * Told about this check's failures that are not protocol errors (storage unavailable, bugs),
   * instead of the guard's own `onError`. Lets a framework binding tie the report to the request
   * it came from (the Koa router emits it on the application with the request's context).
   * The error may carry driver details: log it, never send it.
   */
  onError?: (error: unknown) => void;
  /**
   * Told about this call's failures that are not protocol errors when nobody else is: used only
   * when neither `onError` nor the interactor's own `onError` is given. Lets a framework binding
   * report failures by default without reporting twice what the application already hears (the
   * Koa middlewares pass one that emits on the application).
   */
  fallbackOnError?: (error: unknown) => void;
}

/** Options of one call to an {@link AuthControllerInteractor} endpoint. */
export interface AuthControllerCallOptions {
  /**
   * Told about this call's failures that are not protocol errors (storage unavailable, bugs),
   * instead of the controller's own `onError`. Lets a framework binding tie the report to the
   * request it came from. The error may carry driver details: log it, never send it.
   */
  onError?: (error: unknown) => void;
  /**
   * Told about this call's failures that are not protocol errors when nobody else is: used only
   * when neither `onError` nor the interactor's own `onError` is given. Lets a framework binding
   * report failures by default without reporting twice what the application already hears (the
   * Koa middlewares pass one that emits on the application).
   */
  fallbackOnError?: (error: unknown) => void;
}

/**
 * The token, revocation and introspection endpoints, framework-free (built by
 * `createAuthController`). An "interactor" in oauth2-kit is such an endpoint object: it takes an
 * {@link OAuthHttpRequest} and answers an {@link OAuthHttpResponse}; a binding adapts it to a framework.
 */
export interface AuthControllerInteractor {
  /**
   * The grant types the token endpoint serves, for RFC 8414 `grant_types_supported` (the Koa
   * router's metadata reads it). `createAuthController` lists the provider's grants, `password`
   * only with `allowPasswordGrant`; an interactor built otherwise may leave it out.
   */
  readonly grantTypesSupported?: readonly string[];
  /**
   * Whether a `client_id` may be the URL of a Client ID Metadata Document (the provider's
   * `clientMetadataDocuments` option), for RFC 8414 `client_id_metadata_document_supported`.
   */
  readonly clientIdMetadataDocumentSupported?: boolean;
  /** RFC 6749 §3.2 token endpoint: every enabled grant. */
  token(request: OAuthHttpRequest, options?: AuthControllerCallOptions): Promise<OAuthHttpResponse>;
  /** RFC 7009 revocation endpoint. */
  revoke(request: OAuthHttpRequest, options?: AuthControllerCallOptions): Promise<OAuthHttpResponse>;
  /** RFC 7662 introspection endpoint (client-authenticated). */
  introspect(request: OAuthHttpRequest, options?: AuthControllerCallOptions): Promise<OAuthHttpResponse>;
}

/** Bearer-token validation for protected resources (RFC 6750), framework-free. */
export interface OAuth2GuardInteractor {
  /** The outcome of the request's bearer token under these options. */
  check(request: OAuthHttpRequest, options?: GuardCheckOptions): Promise<OAuthGuardOutcome>;
  /**
   * The same check, answered at once when nothing needs waiting for — a token the guard keeps in
   * memory (a cached lookup, a verified JWT) or a request refused on its face — and as a promise
   * otherwise. For framework bindings on the hot path: an outcome ready now costs no promise and
   * no turn of the event loop's microtask queue. Throws (synchronously) what `check` rejects with.
   * Optional: a binding falls back to `check` when an interactor lacks it. The kit's guards keep it
   * as a non-enumerable property, so that a copy wrapping `check` (`{ ...guard, check }`) drops it;
   * a wrapper built otherwise must wrap or remove it too, or bindings will call it instead.
   */
  checkEagerly?(request: OAuthHttpRequest, options?: GuardCheckOptions): OAuthGuardOutcome | Promise<OAuthGuardOutcome>;
}
