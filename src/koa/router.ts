import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { endpointMiddleware } from './endpoint-middleware.js';
import { authorizeEndpoint, type AuthorizeHandlers } from './authorize.js';
import { mountClientRegistration } from './client-registration-routes.js';
import { allowAnyOrigin, answerPreflights } from './cors.js';
import { skipForeignPaths } from './foreign-paths.js';
import { oauthBodyParser } from './body-parser.js';
import { oauthErrorBoundary } from './error-boundary.js';
import { guard, type OAuthGuardMiddlewareOptions } from './guard.js';
import { jwksController } from './jwks-middleware.js';
import { issuerFromRequest, metadataPath, parseIssuer } from './issuer.js';
import { authorizationServerMetadata } from './metadata.js';
import { openIdConfigurationPaths } from './openid-discovery.js';
import { userInfoController } from './userinfo.js';
import { oauthErrorResponse, offersOpenIdConnect } from '../core/index.js';
import { endSessionPage, type EndSessionHandlers } from './authorize-page/end-session-page.js';
import { sendOAuthResponse } from './oauth-http-response.js';
import { resolveInteractors, type OAuthRouterInteractors, type OAuthRouterServer } from './router-interactors.js';

/** Options of {@link createOAuthRouter} that do not depend on how the interactors are given. */
export interface OAuthRouterSettings {
  /**
   * Path the endpoints live under: `{prefix}/token`, `{prefix}/revoke`, `{prefix}/introspect`,
   * `{prefix}/authorize`. Segments of letters, digits and `-._~`; `''` for the root. Default `'/auth'`.
   */
  prefix?: string;
  /**
   * The issuer identifier (RFC 8414 §2): an `https` URL without query or fragment, e.g.
   * `https://login.example.com`. The metadata's endpoint URLs are its origin followed by the
   * routes' paths (so mount the router at the application's root), and the metadata is served at
   * `/.well-known/oauth-authorization-server` followed by the issuer's path (RFC 8414 §3.1).
   *
   * Set it in production. Without it the issuer is each request's origin, which the caller
   * chooses through `Host` (or `X-Forwarded-Host` when `app.proxy` is on): any host name pointed
   * at the server becomes an issuer, so a client can no longer detect a mix-up by comparing the
   * issuer with the one it trusts (RFC 8414 §3.3, RFC 9207), and the document is sent `no-store`
   * so that no shared cache serves one caller's issuer to another.
   */
  issuer?: string;
  /** The authorization endpoint's handlers; without them it answers 400 `unsupported_response_type`. */
  authorize?: AuthorizeHandlers;
  /**
   * The end-session endpoint's handlers (OpenID Connect RP-Initiated Logout 1.0), e.g.
   * `endSessionPage({ provider, csrfSecret })` to share the confirmation form's secret between
   * processes. Default, with a provider built with `openid`: `endSessionPage({ provider })`;
   * without `openid` and without this option, `{prefix}/logout` is not served.
   */
  endSession?: EndSessionHandlers;
  /** Largest accepted request body, in bytes or as `'16kb'`-style text. Default `'16kb'`. */
  bodyLimit?: string | number;
  /**
   * Answer every error of these routes and of `router.guard()` with 403, as the ancestor library
   * did. Passed to the interactors the router builds; with prebuilt interactors, build them with
   * the same setting. Default false.
   */
  legacyForbiddenErrors?: boolean;
  /**
   * `grant_types_supported` of the metadata. Default: the grants the token endpoint serves (its
   * interactor's `grantTypesSupported`: `client_credentials`, `refresh_token`, and `password` only
   * when the provider has `allowPasswordGrant`), and `authorization_code` when an authorize handler
   * is configured. Naming `password` here when the token endpoint refuses it is an error.
   */
  grantTypesSupported?: string[];
  /** `code_challenge_methods_supported` of the metadata (RFC 7636 §4.3). Default `['S256']`. */
  codeChallengeMethodsSupported?: string[];
  /** `scopes_supported` of the metadata; omitted from the document when not given. */
  scopesSupported?: string[];
}

/** Options of {@link createOAuthRouter}: prebuilt interactors or the pieces to build them, and settings. */
export type OAuthRouterOptions = (OAuthRouterInteractors | OAuthRouterServer) & OAuthRouterSettings;

/** The router, plus a guard configured like it. */
export type OAuthRouter = Router & {
  /**
   * A `guard()` middleware on the router's guard interactor: `api.get('/me', oauth.guard({ scope: ['profile'] }), …)`.
   * Throws when the router was given prebuilt interactors without `guard`.
   */
  guard(options?: OAuthGuardMiddlewareOptions): Middleware;
};

const PREFIX = /^(?:\/[A-Za-z0-9._~-]+)*$/;

/** What the token endpoint serves without the password grant, for interactors that do not say. */
const GRANTS_WITHOUT_PASSWORD = ['authorization_code', 'client_credentials', 'refresh_token'];

/**
 * RFC 8414 `grant_types_supported`: the configured list, else what the token endpoint serves
 * (`authorization_code` only with an authorization endpoint). The password grant is advertised
 * only when the token endpoint serves it (RFC 9700 §2.4 makes it an opt-in).
 */
function metadataGrantTypes(configured: string[] | undefined, served: readonly string[] | undefined, authorizeServed: boolean): string[] {
  if (configured !== undefined) {
    if (configured.includes('password') && served !== undefined && !served.includes('password')) {
      throw new TypeError(
        'grantTypesSupported names password, which the token endpoint refuses: build the provider with `allowPasswordGrant: true` to offer it',
      );
    }
    return configured;
  }
  return (served ?? GRANTS_WITHOUT_PASSWORD).filter((grant) => authorizeServed || grant !== 'authorization_code');
}

/**
 * The issuer the router announces: its own `issuer` option, else the provider's (the `iss` of the
 * JWT access tokens it signs), which must then be the same. Undefined: each request's origin.
 */
function routerIssuer(options: OAuthRouterOptions): string | undefined {
  const own = options.issuer;
  const providers = 'provider' in options ? options.provider.issuer : undefined;
  if (own !== undefined && providers !== undefined && own !== providers) {
    throw new TypeError(
      `createOAuthRouter: issuer ${JSON.stringify(own)} differs from the provider's issuer ${JSON.stringify(providers)}, ` +
        'which its JWT access tokens carry as iss: give both the same issuer identifier, or the router none',
    );
  }
  return own ?? providers;
}

/**
 * The authorization server's routes as an `@koa/router` Router, to mount at the application's
 * root with `app.use(router.routes()).use(router.allowedMethods())`:
 *
 * - `POST {prefix}/token` — token endpoint (RFC 6749 §3.2)
 * - `POST {prefix}/revoke` — revocation (RFC 7009)
 * - `POST {prefix}/introspect` — introspection (RFC 7662)
 * - `GET|POST {prefix}/authorize` — authorization endpoint hooks (RFC 6749 §3.1)
 * - `POST {prefix}/register`, `GET|PUT|DELETE {prefix}/register/:clientId` — dynamic client
 *   registration (RFC 7591) and its management (RFC 7592), only with a provider built with
 *   `dynamicRegistration` (or a `registration` interactor)
 * - `GET|POST {prefix}/logout` — end-session endpoint (OpenID Connect RP-Initiated Logout 1.0),
 *   only with a provider built with `openid` (or an `endSession` option)
 * - `GET {prefix}/jwks` — the signing keys of JWT access tokens (RFC 7517, RFC 9068), named
 *   `jwks_uri` in the metadata, only with a provider that can sign (`provider.keys.canSign`: the
 *   signing-key port and `signingKeys`) or a `jwks` interactor
 * - `GET /.well-known/oauth-authorization-server[issuer path]` — metadata (RFC 8414)
 * - `GET|POST {prefix}/userinfo` — the UserInfo endpoint (OIDC Core §5.3), and
 *   `GET [issuer path]/.well-known/openid-configuration` — OpenID Provider Metadata (OIDC Discovery
 *   §4, also at `/.well-known/openid-configuration[issuer path]`), only with a provider built with
 *   `openid` (or `userinfo` and `openIdDiscovery` interactors). The RFC 8414 document then carries
 *   the OpenID members too: both routes serve one document.
 *
 * Bodies are `application/x-www-form-urlencoded` or `application/json`; every error these routes
 * produce, unexpected ones included, is answered as JSON without internal details. Failures that
 * are not protocol errors (storage unavailable: 503; bugs: 500) reach the interactors' `onError`,
 * or else the Koa application's `error` event, with their cause in the message.
 */
export function createOAuthRouter(options: OAuthRouterOptions): OAuthRouter {
  const prefix = options.prefix ?? '/auth';
  if (!PREFIX.test(prefix)) throw new TypeError(`prefix must look like '/auth' or be '', got ${JSON.stringify(prefix)}`);
  const configuredIssuer = routerIssuer(options);
  const issuer = configuredIssuer === undefined ? undefined : parseIssuer(configuredIssuer);
  const legacyForbiddenErrors = options.legacyForbiddenErrors === true;
  const interactors = resolveInteractors(options, legacyForbiddenErrors);
  const endpointOptions = {
    legacyForbiddenErrors,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
  };
  const authorize = options.authorize ?? {};
  const authorizeServed = authorize.get !== undefined || authorize.post !== undefined;

  const paths = {
    token: `${prefix}/token`,
    revocation: `${prefix}/revoke`,
    introspection: `${prefix}/introspect`,
    authorization: `${prefix}/authorize`,
    registration: `${prefix}/register`,
    jwks: `${prefix}/jwks`,
    endSession: `${prefix}/logout`,
    userinfo: `${prefix}/userinfo`,
  };
  const grantTypes = metadataGrantTypes(options.grantTypesSupported, interactors.authController.grantTypesSupported, authorizeServed);

  const router = new Router();
  const endpoint = (which: 'token' | 'revoke' | 'introspect') => endpointMiddleware(interactors.authController, which, endpointOptions);
  // Browser-based clients call the token and revocation endpoints themselves (./cors.ts).
  router.post(paths.token, allowAnyOrigin, endpoint('token'));
  answerPreflights(router, paths.token, ['POST']);
  router.post(paths.revocation, allowAnyOrigin, endpoint('revoke'));
  answerPreflights(router, paths.revocation, ['POST']);
  router.post(paths.introspection, endpoint('introspect'));
  // Bodies of the browser-facing POSTs (authorization, logout, userinfo): form or JSON, bounded.
  const parseBody = oauthBodyParser({ legacyForbiddenErrors, ...(options.bodyLimit === undefined ? {} : { limit: options.bodyLimit }) });
  // The same issuer the metadata announces, for `iss` in authorization responses (RFC 9207 §2).
  const issuerOf = (ctx: Context) => configuredIssuer ?? issuerFromRequest(ctx);
  router.get(paths.authorization, oauthErrorBoundary(endpointOptions), authorizeEndpoint(authorize.get, issuerOf));
  router.post(
    paths.authorization,
    oauthErrorBoundary(endpointOptions),
    parseBody,
    authorizeEndpoint(authorize.post, issuerOf),
  );
  if (interactors.registration !== undefined) {
    mountClientRegistration(router, interactors.registration, {
      path: paths.registration,
      origin: issuer?.origin,
      legacyForbiddenErrors,
      ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    });
  }
  const endSession = options.endSession ?? ('provider' in options && offersOpenIdConnect(options.provider) ? endSessionPage({ provider: options.provider }) : undefined);
  if (endSession !== undefined) {
    router.get(paths.endSession, oauthErrorBoundary(endpointOptions), (ctx) => endSession.get(ctx));
    router.post(
      paths.endSession,
      oauthErrorBoundary(endpointOptions),
      parseBody,
      (ctx) => endSession.post(ctx),
    );
  }
  if (interactors.jwks !== undefined) router.get(paths.jwks, jwksController(interactors.jwks, { legacyForbiddenErrors }));
  if (interactors.userinfo !== undefined) {
    // OIDC Core §5.3: GET and POST; browser-based relying parties call it themselves (./cors.ts).
    const userinfo = userInfoController(interactors.userinfo, { legacyForbiddenErrors });
    router.get(paths.userinfo, allowAnyOrigin, userinfo);
    router.post(
      paths.userinfo,
      allowAnyOrigin,
      oauthErrorBoundary(endpointOptions),
      parseBody,
      userinfo,
    );
    answerPreflights(router, paths.userinfo, ['GET', 'POST']);
  }

  const serveMetadata = async (ctx: Context) => {
    const origin = issuer?.origin ?? issuerFromRequest(ctx);
    if (origin === undefined) {
      const refusal = oauthErrorResponse(400, 'invalid_request', 'the Host header does not name a valid origin');
      sendOAuthResponse(ctx, refusal);
      return;
    }
    ctx.set('Cache-Control', issuer === undefined ? 'no-store' : 'public, max-age=600');
    const oauthMetadata = authorizationServerMetadata({
      issuer: configuredIssuer ?? origin,
      origin,
      paths: {
        token: paths.token,
        revocation: paths.revocation,
        introspection: paths.introspection,
        ...(authorizeServed ? { authorization: paths.authorization } : {}),
        ...(interactors.registration === undefined ? {} : { registration: paths.registration }),
        ...(interactors.jwks === undefined ? {} : { jwks: paths.jwks }),
      },
      grantTypes,
      codeChallengeMethods: options.codeChallengeMethodsSupported ?? ['S256'],
      ...(options.scopesSupported === undefined ? {} : { scopes: options.scopesSupported }),
      clientIdMetadataDocuments: interactors.authController.clientIdMetadataDocumentSupported === true,
    });
    // One document for both routes, so that they never disagree (OIDC Discovery §3, RFC 8414 §2).
    const { openIdDiscovery } = interactors;
    ctx.body =
      openIdDiscovery === undefined
        ? oauthMetadata
        : openIdDiscovery.providerMetadata(oauthMetadata, {
            userinfo: new URL(paths.userinfo, origin).href,
            // OpenID Connect RP-Initiated Logout 1.0 §2.1: only when {prefix}/logout is served.
            ...(endSession === undefined ? {} : { endSession: new URL(paths.endSession, origin).href }),
          });
  };
  for (const path of [metadataPath(issuer), ...(interactors.openIdDiscovery === undefined ? [] : openIdConfigurationPaths(issuer))]) {
    answerPreflights(router, path, ['GET', 'HEAD']);
    router.get(path, allowAnyOrigin, oauthErrorBoundary(endpointOptions), serveMetadata);
  }

  skipForeignPaths(router);
  return Object.assign(router, {
    guard(guardOptions: OAuthGuardMiddlewareOptions = {}): Middleware {
      if (interactors.guard === undefined) {
        throw new TypeError('this router was given no guard interactor: pass `guard` or the server pieces');
      }
      return guard(interactors.guard, guardOptions);
    },
  });
}
