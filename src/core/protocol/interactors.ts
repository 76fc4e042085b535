import type { OAuthHttpRequest, OAuthHttpResponse } from './http.js';

/** A resource owner as the application sees it. `id` is what tokens record. */
export interface OAuthUser {
  id: string;
  username?: string;
  [key: string]: unknown;
}

/** A client as handed to application callbacks (never includes secret material). */
export interface OAuthClientInfo {
  id: string;
  name: string;
  grants: string[];
  redirectUris: string[];
  scopes: string[];
  isPublic: boolean;
}

/**
 * Application-supplied: loads a user by the id a token or code recorded. Called when a refresh token
 * or authorization code is exchanged. Return null when the user no longer exists (the grant fails).
 */
export type GetOAuthUserInteractor = (userId: string) => Promise<OAuthUser | null>;

/**
 * Application-supplied: checks a username and password. Called by the password grant and by the
 * authorization page's sign-in. Return null for bad credentials; never throw for them.
 */
export type LoginOAuthUserInteractor = (username: string, password: string) => Promise<OAuthUser | null>;

/**
 * Application-supplied (optional): decides which of the requested scopes to grant. `requested` is
 * undefined when the request named no scope. Return the granted list, or false to refuse with
 * `invalid_scope`. The default grants the requested scopes when every one is allowed for the client
 * (and, with none requested, all the client's scopes), and refuses otherwise.
 */
export type ValidateScopeInteractor = (
  user: OAuthUser | null,
  client: OAuthClientInfo,
  requested: string[] | undefined,
) => Promise<string[] | false>;

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
   * Told about this check's failures that are not protocol errors (storage unavailable, bugs),
   * instead of the guard's own `onError`. Lets a framework binding tie the report to the request
   * it came from (the Koa router emits it on the application with the request's context).
   * The error may carry driver details: log it, never send it.
   */
  onError?: (error: unknown) => void;
}

/** Options of one call to an {@link AuthControllerInteractor} endpoint. */
export interface AuthControllerCallOptions {
  /**
   * Told about this call's failures that are not protocol errors (storage unavailable, bugs),
   * instead of the controller's own `onError`. Lets a framework binding tie the report to the
   * request it came from. The error may carry driver details: log it, never send it.
   */
  onError?: (error: unknown) => void;
}

/** The token, revocation and introspection endpoints, framework-free. */
export interface AuthControllerInteractor {
  /** RFC 6749 §3.2 token endpoint: every enabled grant. */
  token(request: OAuthHttpRequest, options?: AuthControllerCallOptions): Promise<OAuthHttpResponse>;
  /** RFC 7009 revocation endpoint. */
  revoke(request: OAuthHttpRequest, options?: AuthControllerCallOptions): Promise<OAuthHttpResponse>;
  /** RFC 7662 introspection endpoint (client-authenticated). */
  introspect(request: OAuthHttpRequest, options?: AuthControllerCallOptions): Promise<OAuthHttpResponse>;
}

/** Bearer-token validation for protected resources (RFC 6750), framework-free. */
export interface OAuth2GuardInteractor {
  check(request: OAuthHttpRequest, options?: GuardCheckOptions): Promise<OAuthGuardOutcome>;
}
