import {
  createAuthController,
  createClientRegistrationEndpoint,
  createGuard,
  createJwksEndpoint,
  createOpenIdDiscovery,
  createUserInfoEndpoint,
  offersDynamicRegistration,
  offersOpenIdConnect,
  type AuthControllerInteractor,
  type AuthControllerOptions,
  type ClientRegistrationInteractor,
  type JwksEndpoint,
  type OAuth2GuardInteractor,
  type OpenIdDiscovery,
  type UserInfoEndpoint,
} from '../core/index.js';

/** The router's interactors, built by the application. */
export interface OAuthRouterInteractors {
  /** Serves the token, revocation and introspection endpoints. */
  authController: AuthControllerInteractor;
  /** Validates bearer tokens for `router.guard()`; without it `router.guard()` throws. */
  guard?: OAuth2GuardInteractor;
  /**
   * Serves dynamic client registration (`createClientRegistrationEndpoint`, RFC 7591 and 7592) at
   * `{prefix}/register`; without it those routes are not mounted (404).
   */
  registration?: ClientRegistrationInteractor;
  /**
   * Serves the provider's signing keys (`createJwksEndpoint`, RFC 7517) at `{prefix}/jwks`, named
   * `jwks_uri` in the metadata; without it that route is not mounted and the metadata names none.
   */
  jwks?: JwksEndpoint;
  /**
   * Serves the UserInfo endpoint (`createUserInfoEndpoint`, OIDC Core §5.3) at `{prefix}/userinfo`;
   * without it that route is not mounted (404).
   */
  userinfo?: UserInfoEndpoint;
  /**
   * Adds the OpenID members to the metadata (`createOpenIdDiscovery`, OIDC Discovery §3) and serves
   * it at `/.well-known/openid-configuration`; without it that route is not mounted (404).
   */
  openIdDiscovery?: OpenIdDiscovery;
}

/** Or the pieces the router builds its interactors from (`createAuthController`, `createGuard`). */
export interface OAuthRouterServer {
  /** The provider behind the server's model. */
  provider: AuthControllerOptions['provider'];
  /** `new OAuth2Server({ model: provider.userModel(…) })` (or `clientModel()`). */
  server: AuthControllerOptions['server'];
  /** Realm of the `WWW-Authenticate` challenges. Default `oauth2`. */
  realm?: string;
  /**
   * Accept bearer tokens in the `access_token` query parameter at `router.guard()` (RFC 6750 §2.3).
   * Default false: URLs end up in logs, histories and `Referer` headers.
   */
  allowBearerTokensInQueryString?: boolean;
  /**
   * Told about failures that are not protocol errors (storage down, bugs), and about why a client's
   * metadata document could not be fetched (what the client is not told). Default: emitted on the
   * Koa application as `error` events, with the request's context (as for prebuilt interactors
   * built without `onError`).
   */
  onError?: (error: unknown) => void;
}

/** The interactors a router runs on, whichever way they were given. */
export interface ResolvedInteractors {
  authController: AuthControllerInteractor;
  guard: OAuth2GuardInteractor | undefined;
  registration: ClientRegistrationInteractor | undefined;
  jwks: JwksEndpoint | undefined;
  userinfo: UserInfoEndpoint | undefined;
  openIdDiscovery: OpenIdDiscovery | undefined;
}

/** Builds (or takes) the interactors, passing `legacyForbiddenErrors` to both when building. */
export function resolveInteractors(
  options: OAuthRouterInteractors | OAuthRouterServer,
  legacyForbiddenErrors: boolean,
): ResolvedInteractors {
  if ('authController' in options) {
    // Options that only shape interactors the router builds would be silently ignored here.
    const given = options as Partial<OAuthRouterServer>;
    for (const [name, where] of [
      ['allowBearerTokensInQueryString', 'createGuard({ provider, allowBearerTokensInQueryString: true })'],
      ['realm', 'createAuthController and createGuard'],
      ['onError', 'createAuthController and createGuard'],
    ] as const) {
      if (given[name] !== undefined) {
        throw new TypeError(`createOAuthRouter: ${name} applies to the interactors the router builds from { provider, server }; with prebuilt interactors, pass it to ${where}`);
      }
    }
    return {
      authController: options.authController,
      guard: options.guard,
      registration: options.registration,
      jwks: options.jwks,
      userinfo: options.userinfo,
      openIdDiscovery: options.openIdDiscovery,
    };
  }
  const shared = {
    legacyForbiddenErrors,
    onError: options.onError,
    ...(options.realm === undefined ? {} : { realm: options.realm }),
  };
  return {
    authController: createAuthController({ ...shared, server: options.server, provider: options.provider }),
    guard: createGuard({
      ...shared,
      provider: options.provider,
      allowBearerTokensInQueryString: options.allowBearerTokensInQueryString === true,
    }),
    // Only a provider built with `dynamicRegistration` serves it.
    registration: offersDynamicRegistration(options.provider) ? createClientRegistrationEndpoint({ ...shared, provider: options.provider }) : undefined,
    // Only a provider that can sign JWT access tokens (signing-key port and operator key) publishes keys.
    jwks: options.provider.keys.canSign ? createJwksEndpoint({ legacyForbiddenErrors, onError: options.onError, provider: options.provider }) : undefined,
    // Only a provider built with `openid` is an OpenID Provider.
    ...openIdInteractors(options, shared),
  };
}

function openIdInteractors(
  options: OAuthRouterServer,
  shared: { legacyForbiddenErrors: boolean; onError: ((error: unknown) => void) | undefined; realm?: string },
): Pick<ResolvedInteractors, 'userinfo' | 'openIdDiscovery'> {
  if (!offersOpenIdConnect(options.provider)) return { userinfo: undefined, openIdDiscovery: undefined };
  return {
    userinfo: createUserInfoEndpoint({
      ...shared,
      provider: options.provider,
      // The same rule as router.guard(): the access token is a bearer token like any other.
      allowBearerTokensInQueryString: options.allowBearerTokensInQueryString === true,
    }),
    openIdDiscovery: createOpenIdDiscovery({ provider: options.provider }),
  };
}
