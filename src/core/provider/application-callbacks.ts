/**
 * The callbacks an application supplies to a provider (`provider.userModel(getUser, login,
 * validateScope)`, `authorizationPage({ login })`): how its users are found and checked, and which
 * scopes they get. `provider.users` offers ready-made `getUser` and `login` for the default store.
 */

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
  /**
   * What a request naming no scope is granted by the default policy (RFC 6749 §3.3), in
   * registration order; a subset of `scopes`. Empty: such a request is refused with `invalid_scope`.
   */
  defaultScopes: string[];
  isPublic: boolean;
}

/**
 * Application-supplied: loads a user by the id a token or code recorded. Called when a refresh token
 * or authorization code is exchanged. Return null when the user no longer exists (the grant fails).
 */
export type GetOAuthUser = (userId: string) => Promise<OAuthUser | null>;

/** What the kit knows of a sign-in attempt, handed to {@link LoginOAuthUser}. */
export interface LoginAttempt {
  /**
   * The address the attempt came from (Koa: `ctx.ip`, which reads `X-Forwarded-For` only when
   * `app.proxy` is true); absent or null when unknown. `provider.users.login` counts failures
   * against it (the `throttle` option); an application's own check may do the same.
   */
  sourceAddress?: string | null;
}

/**
 * Application-supplied: checks a username and password. Called by the password grant and by the
 * authorization page's sign-in, with the attempt's source address. Return null for bad
 * credentials; never throw for them.
 */
export type LoginOAuthUser = (username: string, password: string, attempt?: LoginAttempt) => Promise<OAuthUser | null>;

/**
 * Application-supplied (optional): decides which of the requested scopes to grant. `requested` is
 * undefined when the request named no scope (an empty or blank `scope` included); at a code
 * exchange it is the scope the code was granted. Return the granted list, or false to refuse with
 * `invalid_scope`. The default grants the requested scopes when every one is allowed for the client
 * and refuses otherwise; with none requested it grants the client's `defaultScopes`, and refuses
 * when there are none (RFC 6749 §3.3).
 *
 * `user` is null for client_credentials, and at the authorization endpoint before sign-in: the
 * consent page lists what it returns then. On approval it is asked again with the user, and a grant
 * beyond what the page listed is refused.
 */
export type ValidateScope = (
  user: OAuthUser | null,
  client: OAuthClientInfo,
  requested: string[] | undefined,
) => Promise<string[] | false>;

/** @deprecated Renamed {@link GetOAuthUser}: a callback, not an endpoint interactor. */
export type GetOAuthUserInteractor = GetOAuthUser;
/** @deprecated Renamed {@link LoginOAuthUser}: a callback, not an endpoint interactor. */
export type LoginOAuthUserInteractor = LoginOAuthUser;
/** @deprecated Renamed {@link ValidateScope}: a callback, not an endpoint interactor. */
export type ValidateScopeInteractor = ValidateScope;
