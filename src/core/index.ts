/**
 * oauth2-kit: an OAuth 2.0 authorization server on @node-oauth/oauth2-server with real storage.
 *
 * The entry point of the framework- and database-free core: the provider, its models and
 * interactors, the storage port third-party providers implement, and the error types.
 */

export { OAuthProvider, type OAuthProviderOptions } from './oauth-provider.js';
export type { InProcessCacheOptions } from './read-caches.js';
export type { OAuthClientCredentialsModel, OAuthUserModel, OAuthModelAccessToken } from './oauth2-server-model.js';
export type { OAuthModelClient, RegisteredClient } from './client-views.js';
export type { ClientRegistry, CreatedClient } from './client-registry.js';
export type { NewClientInput } from './client-input.js';
export type { ScopeCatalogue } from './scope-catalogue.js';
export type { UserStore, StoredUser, NewUserInput } from './user-store.js';
export type { PurgeOptions, PurgeResult } from './expired-purge.js';
export type { ScryptCost } from './password-hashing.js';
export { defaultValidateScope } from './scope.js';

export { createAuthController, type AuthControllerOptions } from './auth-controller.js';
export { createGuard, type GuardOptions } from './guard.js';
export {
  createAuthorizationEndpoint,
  type AuthorizationEndpoint,
  type AuthorizationEndpointOptions,
  type AuthorizationRequest,
  type AuthorizationRequestCheck,
} from './authorization-endpoint.js';
export type { PkceMethod } from './pkce-policy.js';
export { decideWithPassword, type AuthorizationDecision } from './authorization-decision.js';
export {
  createAuthorizationFormTokens,
  type AuthorizationFormTokenOptions,
  type AuthorizationFormTokens,
  type AuthorizationRequestParameters,
} from './authorization-form-token.js';
export { withIssuer } from './issuer-identification.js';
export type { IntrospectionResponse } from './token-introspection.js';

export type {
  AuthControllerCallOptions,
  AuthControllerInteractor,
  GetOAuthUserInteractor,
  GuardCheckOptions,
  LoginOAuthUserInteractor,
  OAuth2GuardInteractor,
  OAuthClientInfo,
  OAuthGuardOutcome,
  OAuthGuardResult,
  OAuthUser,
  ValidateScopeInteractor,
} from './interactors.js';
export type { OAuthHttpRequest, OAuthHttpResponse } from './http.js';

export {
  DuplicateError,
  MAX_ACCESS_TOKEN_BATCH,
  MAX_TOKEN_INSERT_BATCH,
  UnknownScopeError,
  type OAuthStorage,
} from './storage.js';
export type {
  AuthorizationCodeRecord,
  ClientPatch,
  ClientRecord,
  GrantType,
  ScopeRecord,
  TokenLookup,
  TokenRecord,
  TokenSelector,
  UserRecord,
} from './records.js';
export { StorageUnavailableError, ValidationError } from './errors.js';
export { TooManyFailedAttemptsError, type AttemptLimit, type ThrottleOptions } from './failed-attempt-limiter.js';
export { StorageTimeoutError } from './storage-deadline.js';
