/**
 * `oauth2-kit/koa`: Koa 3 bindings. Thin by design: each middleware translates a Koa context for
 * the framework-free interactors of `oauth2-kit` and writes their answers back; no OAuth decision
 * is made here. Importing this entry also types `ctx.state.oauth` (see {@link OAuthGuardResult}).
 */
import './state.js';

export { authController, introspectionController, revocationController } from './endpoint-middleware.js';
export type { OAuthEndpointOptions } from './endpoint-middleware.js';
export { jwksController } from './jwks-middleware.js';
export { guard } from './guard.js';
export type { OAuthGuardMiddlewareOptions } from './guard.js';
export { jwtGuard } from './jwt-guard.js';
export type { JwtGuardMiddlewareFactory } from './jwt-guard.js';
export type { JwtGuardOptions } from '../core/index.js';
export { createOAuthRouter } from './router.js';
export { serveProtectedResourceMetadata } from './protected-resource-metadata.js';
export type { ProtectedResourceMetadataServingOptions } from './protected-resource-metadata.js';
export type { OAuthRouter, OAuthRouterOptions, OAuthRouterSettings } from './router.js';
export type { OAuthRouterInteractors, OAuthRouterServer } from './router-interactors.js';
export type { AuthorizeEndpointFacts, AuthorizeHandler, AuthorizeHandlers } from './authorize.js';
export { authorizationPage } from './authorize-page/authorization-page.js';
export type { AuthorizationDecider, AuthorizationPageOptions } from './authorize-page/authorization-page.js';
export { defaultAuthorizationPageTemplate } from './authorize-page/default-template.js';
export { escapeHtml } from './authorize-page/html-escaping.js';
export type { AuthorizationPageTemplate, ConsentPageView, ErrorPageView } from './authorize-page/page-views.js';
export { endSessionPage } from './authorize-page/end-session-page.js';
export type { EndSessionHandlers, EndSessionPageOptions } from './authorize-page/end-session-page.js';
export { defaultEndSessionPageTemplate } from './authorize-page/end-session-template.js';
export type { EndSessionConfirmView, EndSessionDoneView, EndSessionPageTemplate } from './authorize-page/end-session-views.js';
export type { AuthorizationDecision } from '../core/index.js';
export type { OAuthGuardResult } from '../core/index.js';
