/**
 * oauth2-kit: an OAuth 2.0 authorization server on @node-oauth/oauth2-server with real storage.
 *
 * The entry point of the framework- and database-free core, and the only one its siblings
 * (`oauth2-kit/koa`, `/sql`, `/prisma`, `/testing`, the CLI) import: the provider and its
 * management API, the models it hands oauth2-server, the framework-free endpoints ("interactors"),
 * the building blocks of an authorization page, the storage ports a provider implements, and the
 * errors. docs/contract.md describes each part.
 */

// ── The provider ──────────────────────────────────────────────────────────────────────────────
export { OAuthProvider, type OAuthProviderOptions } from './oauth-provider.js';
export type { InProcessCacheOptions } from './runtime/read-caches.js';
export type {
  CacheInvalidationChannel,
  CacheInvalidationChannelEvents,
  CacheInvalidationUnavailable,
  OAuthCacheInvalidationSource,
} from './storage/cache-invalidation-channel.js';
export { CacheInvalidationNotice } from './runtime/invalidation-relay.js';
export { redisInvalidationChannel, type RedisPublisherShape, type RedisSubscriberShape, type RedisInvalidationChannelOptions } from './runtime/redis-invalidation-channel.js';
export type {
  AttemptLimit,
  AttemptLimiterFactory,
  AttemptLimiterSettings,
  SlowdownOptions,
  ThrottleOptions,
} from './runtime/attempt-throttle.js';
export type { PasswordCheckLimits } from './runtime/password-check-gate.js';
export type { OAuthClientCredentialsModel, OAuthUserModel, OAuthModelAccessToken } from './oauth2-server/model.js';
export type { OAuthModelClient, RegisteredClient } from './provider/client-views.js';
export type { ClientRegistry, CreatedClient } from './provider/client-registry.js';
export type { ClientOpenIdInput } from './provider/client-openid-input.js';
export type { ConsentGrantFilter, ConsentGrantRegistry } from './provider/consent-grant-registry.js';
export type { ConsentGrant, ConsentRevocation } from './provider/openid/consent-grants.js';
export type { NewClientInput } from './provider/client-input.js';
export type { ScopeCatalogue } from './provider/scope-catalogue.js';
export type { ResourceRegistry, ResourceView } from './provider/resource-registry.js';
export type { ResourceDefinition } from './provider/resource-input.js';
export type {
  JsonWebKeySet,
  RotateSigningKeyOptions,
  SigningKeyRegistry,
  SigningKeyRotation,
  SigningKeyView,
} from './provider/signing/signing-key-registry.js';
export type { SigningKeyOptions } from './provider/signing/signing-options.js';
export type { PublicSigningJwk, SigningAlgorithm } from './provider/signing/key-pair.js';
export type { OpenIdOptions, UserClaims, UserClaimsRequest } from './provider/openid/openid-options.js';
export type { SigningKeyStatus } from './provider/signing/key-schedule.js';
export { generateSigningKeyEncryptionKey } from './provider/signing/operator-key.js';
export type { UserStore, StoredUser, NewUserInput, SetPasswordOptions } from './provider/user-store.js';
export type { PurgeOptions, PurgeResult } from './provider/expired-purge.js';
export type {
  DynamicRegistrationOptions,
  RegistrationDecision,
  RegistrationPolicy,
  RegistrationRequestFacts,
  RegistrationThrottleOptions,
} from './provider/dynamic-registration-options.js';
export type { ClientMetadata, RegistrationAuthMethod, RegistrationGrantType } from './provider/registration-metadata.js';
export type { RegistrationErrorCode } from './provider/registration-error.js';
export type { ClientMetadataDocumentOptions, ClientMetadataThrottleOptions, HostLookup } from './provider/client-metadata/metadata-document-options.js';
export type { ScryptCost } from './provider/password-hashing.js';
export { defaultValidateScope } from './provider/scope.js';

// ── What the application supplies ────────────────────────────────────────────────────────────
export type {
  GetOAuthUser,
  GetOAuthUserInteractor,
  LoginAttempt,
  LoginOAuthUser,
  LoginOAuthUserInteractor,
  OAuthClientInfo,
  OAuthUser,
  ValidateScope,
  ValidateScopeInteractor,
} from './provider/application-callbacks.js';

// ── Framework-free endpoints ─────────────────────────────────────────────────────────────────
export { createAuthController, type AuthControllerOptions } from './protocol/auth-controller.js';
export { createGuard, type GuardOptions } from './protocol/guard.js';
export { createJwtGuard, type JwtGuardOptions } from './protocol/jwt-guard.js';
export type { IntrospectionFallbackOptions } from './protocol/introspection-fallback.js';
export { isOtherAuthenticationScheme } from './protocol/bearer-token.js';
export {
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  resourceMetadataParameter,
  type BearerMethod,
  type ProtectedResource,
  type ProtectedResourceMetadata,
  type ProtectedResourceOptions,
} from './protocol/protected-resource.js';
export {
  createAuthorizationEndpoint,
  type AuthorizationEndpoint,
  type AuthorizationEndpointOptions,
  type AuthorizationRequest,
  type AuthorizationRequestCheck,
  type AuthorizationResource,
  type ApprovalAuthentication,
  type AuthorizationGrant,
  type InteractionRequiredError,
} from './protocol/authorization-endpoint.js';
export type { OpenIdAuthorizationParameters, OpenIdPrompt } from './protocol/openid-request-parameters.js';
export {
  createAuthorizationSessions,
  type AuthorizationPrecheck,
  type AuthorizationSessions,
  type AuthorizationSessionsOptions,
  type SignedInSession,
} from './protocol/authorization-sessions.js';
export type { SignInAuthentication, SignInSession } from './provider/openid/sign-in-sessions.js';
export type { IntrospectionResponse } from './protocol/introspection.js';
export {
  createClientRegistrationEndpoint,
  offersDynamicRegistration,
  type ClientRegistrationCallOptions,
  type ClientRegistrationEndpointOptions,
  type ClientRegistrationInteractor,
} from './protocol/registration-endpoint.js';
export type {
  AuthControllerCallOptions,
  AuthControllerInteractor,
  GuardCheckOptions,
  OAuth2GuardInteractor,
  OAuthGuardOutcome,
  OAuthGuardResult,
} from './protocol/interactors.js';
export type { OAuthHttpRequest, OAuthHttpResponse } from './protocol/http.js';
export { oauthErrorResponse } from './protocol/error-responses.js';
export { createJwksEndpoint, type JwksEndpoint, type JwksEndpointOptions } from './protocol/jwks-endpoint.js';
export {
  createEndSessionEndpoint,
  END_SESSION_PARAMETERS,
  type EndSessionCheck,
  type EndSessionEndpoint,
  type EndSessionEndpointOptions,
  type EndSessionInput,
  type EndSessionParameter,
  type EndSessionParameters,
  type EndSessionRequest,
} from './protocol/end-session.js';
export { createUserInfoEndpoint, offersOpenIdConnect, type UserInfoEndpoint, type UserInfoEndpointOptions } from './protocol/userinfo.js';
export { createOpenIdDiscovery, type OpenIdDiscovery, type OpenIdEndpointUrls } from './protocol/openid-configuration.js';

// ── Building an authorization page (any framework) ───────────────────────────────────────────
export type { PkceMethod } from './provider/pkce-policy.js';
export {
  AUTHORIZATION_FORM_FIELDS,
  AUTHORIZATION_MESSAGES,
  decideWithPassword,
  passwordCheckRefusal,
  type AuthorizationDecision,
} from './protocol/authorization-decision.js';
export {
  AUTHORIZATION_REQUEST_PARAMETERS,
  authorizationRequestFields,
  createAuthorizationFormTokens,
  pickAuthorizationRequestParameters,
  type AuthorizationFormTokenOptions,
  type AuthorizationFormTokens,
  type AuthorizationRequestParameter,
  type AuthorizationRequestParameters,
} from './protocol/authorization-form-token.js';
export { withIssuer } from './protocol/issuer-identification.js';

// ── Storage ports (what a provider implements) ───────────────────────────────────────────────
export type { OAuthStorage } from './storage/storage-port.js';
export {
  MAX_ACCESS_TOKEN_BATCH,
  MAX_REFRESH_TOKEN_BATCH,
  MAX_TOKEN_INSERT_BATCH,
  MAX_TOKEN_ROTATION_BATCH,
  type OAuthRuntimeStorage,
  type TokenRotation,
} from './storage/runtime-port.js';
export type { OAuthManagementStorage } from './storage/management-port.js';
export type { OAuthUserStorage } from './storage/user-store-port.js';
export type { AttemptCounter, OAuthAttemptCounterStorage } from './storage/attempt-counter-port.js';
export type { OAuthResourceStorage } from './storage/resource-port.js';
export type { OAuthClientRegistrationStorage } from './storage/client-registration-port.js';
export type { OAuthSigningKeyStorage } from './storage/signing-key-port.js';
export type { OAuthSessionStorage } from './storage/session-port.js';
export type { ConsentGrantSelector, OAuthConsentGrantStorage } from './storage/consent-grant-port.js';
export type { OAuthConnectionCheck } from './storage/storage-port.js';
export { DuplicateError, UnknownScopeError } from './storage/storage-errors.js';
export { isSha256Hex, isStorableKey } from './storage/storage-keys.js';
export type {
  AccessTokenFormat,
  Authentication,
  AuthorizationCodeRecord,
  ClientPatch,
  ClientRegistrationKind,
  ClientRegistrationRecord,
  ClientRecord,
  ConsentGrantRecord,
  GrantType,
  ResourceRecord,
  ScopeRecord,
  SessionRecord,
  SigningKeyRecord,
  SubjectType,
  TokenLookup,
  TokenRecord,
  TokenSelector,
  UserRecord,
} from './storage/records.js';

// ── Errors ───────────────────────────────────────────────────────────────────────────────────
export {
  OAuthStorageCheckError,
  StorageUnavailableError,
  ValidationError,
  type OAuthStorageCheckCode,
  type StorageFailureReason,
} from './errors.js';
export { classifyStorageFailure, type StorageFailure } from './runtime/storage-failure.js';
export { ProtectedResourceMetadataError, type ProtectedResourceMetadataErrorCode } from './protocol/protected-resource-error.js';
export { IssuerUnavailableError, type IssuerUnavailableCode } from './protocol/issuer-unavailable-error.js';
export { TooManyFailedAttemptsError } from './runtime/attempt-throttle.js';
export { SigningKeyError, type SigningKeyErrorCode } from './provider/signing/signing-key-error.js';
export { ClientMetadataError, type ClientMetadataErrorCode } from './provider/client-metadata/client-metadata-error.js';
export { PasswordCheckBusyError } from './runtime/password-check-gate.js';
export { StorageTimeoutError } from './runtime/storage-deadline.js';
export { isResourceIdentifier } from './provider/resource-indicators.js';
