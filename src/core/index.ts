/**
 * oauth2-kit: an OAuth 2.0 authorization server on @node-oauth/oauth2-server with real storage.
 *
 * The entry point of the framework- and database-free core: the provider, its models and
 * interactors, the storage port third-party providers implement, and the error types.
 */

export { OAuthProvider, type OAuthProviderOptions } from './oauth-provider.js';
export type { InProcessCacheOptions } from './runtime/read-caches.js';
export type { OAuthClientCredentialsModel, OAuthUserModel, OAuthModelAccessToken } from './oauth2-server/model.js';
export type { OAuthModelClient, RegisteredClient } from './provider/client-views.js';
export type { ClientRegistry, CreatedClient } from './provider/client-registry.js';
export type { NewClientInput } from './provider/client-input.js';
export type { ScopeCatalogue } from './provider/scope-catalogue.js';
export type { UserStore, StoredUser, NewUserInput } from './provider/user-store.js';
export type { PurgeOptions, PurgeResult } from './provider/expired-purge.js';
export type { ScryptCost } from './provider/password-hashing.js';
export { defaultValidateScope } from './provider/scope.js';

export { createAuthController, type AuthControllerOptions } from './protocol/auth-controller.js';
export { createGuard, type GuardOptions } from './protocol/guard.js';
export {
  createAuthorizationEndpoint,
  type AuthorizationEndpoint,
  type AuthorizationEndpointOptions,
  type AuthorizationRequest,
  type AuthorizationRequestCheck,
} from './protocol/authorization-endpoint.js';
export type { PkceMethod } from './provider/pkce-policy.js';
export { decideWithPassword, type AuthorizationDecision } from './protocol/authorization-decision.js';
export {
  createAuthorizationFormTokens,
  type AuthorizationFormTokenOptions,
  type AuthorizationFormTokens,
  type AuthorizationRequestParameters,
} from './protocol/authorization-form-token.js';
export { withIssuer } from './protocol/issuer-identification.js';
export type { IntrospectionResponse } from './protocol/introspection.js';

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
} from './protocol/interactors.js';
export type { OAuthHttpRequest, OAuthHttpResponse } from './protocol/http.js';

export {
  DuplicateError,
  MAX_ACCESS_TOKEN_BATCH,
  MAX_TOKEN_INSERT_BATCH,
  UnknownScopeError,
  type OAuthStorage,
} from './storage/storage-port.js';
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
} from './storage/records.js';
export { StorageUnavailableError, ValidationError } from './errors.js';
export { TooManyFailedAttemptsError, type AttemptLimit, type ThrottleOptions } from './runtime/failed-attempt-limiter.js';
export { StorageTimeoutError } from './runtime/storage-deadline.js';
