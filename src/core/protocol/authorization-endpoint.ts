import { sourceKeyOf } from '../runtime/attempt-source.js';
import { ClientMetadataError } from '../provider/client-metadata/client-metadata-error.js';
import { storedAuthentication } from '../provider/openid/sign-in-sessions.js';
import { clientIdUrlHost } from '../provider/client-metadata/client-id-url.js';
import { toModelClient, type OAuthModelClient } from '../provider/client-views.js';
import { isUserId, MAX_STATE_LENGTH } from '../provider/input-limits.js';
import type { LoginAttempt, OAuthClientInfo, OAuthUser, ValidateScope } from '../provider/application-callbacks.js';
import type { OAuthProvider } from '../oauth-provider.js';
import { decidePkce, type PkceMethod } from '../provider/pkce-policy.js';
import { credentialsOf } from '../provider/provider-link.js';
import { isRegisteredRedirectUri } from '../provider/redirect-uri.js';
import { flattenParameters } from './request-parameters.js';
import { lookUpResources, scopeForResources, scopeOutsideResources } from '../provider/resource-indicators.js';
import type { Authentication, ClientRecord, ResourceRecord } from '../storage/records.js';
import { defaultValidateScope, isScopeToken, isSubset, MISSING_SCOPE_REFUSED, parseScope } from '../provider/scope.js';
import { splitResourceParameter } from './resource-parameter.js';
import { readOpenIdParameters, type OpenIdAuthorizationParameters } from './openid-request-parameters.js';
import { bindHintedSubject, checkAuthorizationHint, isHintedUser } from './authorization-id-token-hint.js';

/** A validated authorization request (RFC 6749 §4.1.1), ready to show on a consent page. */
export interface AuthorizationRequest {
  client: OAuthClientInfo;
  /**
   * The host of the `client_id` when it is the URL of the client's metadata document
   * (draft-ietf-oauth-client-id-metadata-document-01 §6.4: "SHOULD display the hostname"): the one
   * fact about such a client the server checked, since it served the document. Its name is the
   * client's own claim. Null for clients registered with the server.
   */
  clientIdHost: string | null;
  /** Where the answer goes: the `redirect_uri` given, or the client's only registered one. */
  redirectUri: string;
  /** Whether `redirect_uri` was in the request; then the token request must repeat it (RFC 6749 §4.1.3). */
  redirectUriGiven: boolean;
  /** The scopes asked for, or undefined when the request named none. */
  requestedScope: string[] | undefined;
  /**
   * The resources the token is asked for (RFC 8707 §2.1), registered ones, in the order the
   * request named them, with the names to show for consent; empty when it named none. The code
   * carries them as its audience.
   */
  resources: AuthorizationResource[];
  /**
   * The scopes the approval will grant: what to show for consent (RFC 6749 §3.3). The endpoint's
   * scope policy decides them (`validateScope`, the same the server's model uses, else
   * `defaultValidateScope`), asked with no user: none has signed in yet.
   */
  scope: string[];
  state: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: PkceMethod | null;
  /**
   * The OpenID Connect parameters (OIDC Core §3.1.2.1) of a request with the `openid` scope on a
   * provider with the `openid` option; null for a plain OAuth request (none of them is read then).
   */
  openid: OpenIdAuthorizationParameters | null;
}

/**
 * How and when the user approving was authenticated (OIDC Core §2), for the ID token: kept with
 * the code.
 */
export interface ApprovalAuthentication {
  /** When the user authenticated (the sign-in session's `auth_time`, or now for a fresh sign-in). */
  authTime: Date;
  /** Authentication context class reference, when the application names one. */
  acr?: string | null;
  /** Authentication method references (RFC 8176), e.g. `['pwd']`. */
  amr?: readonly string[];
}

/** What an approval granted, for remembering consent (OIDC Core §3.1.2.4). */
export interface AuthorizationGrant {
  /** The scopes the code carries. */
  scope: string[];
  /** The resources the code carries as its audience (RFC 8707). */
  resources: string[];
}

/**
 * The errors an authorization request with `prompt=none` ends with when the server would have to
 * show a page (OIDC Core §3.1.2.6).
 */
export type InteractionRequiredError = 'login_required' | 'consent_required' | 'interaction_required' | 'account_selection_required';

/** A resource an authorization request names (RFC 8707 §2.1). */
export interface AuthorizationResource {
  /** The resource identifier, as the request named it. */
  id: string;
  /** Its registered name, for the consent page. */
  name: string;
}

/** The outcome of validating an authorization request. */
export type AuthorizationRequestCheck =
  | { ok: true; request: AuthorizationRequest }
  | {
      ok: false;
      error: string;
      errorDescription: string;
      /**
       * Where to send the user-agent with the error, or null when the client or its redirect URI
       * could not be established: then show the error and never redirect (RFC 6749 §4.1.2.1).
       */
      redirectTo: string | null;
      /**
       * Present when the client's metadata document was not fetched because its source asked for
       * too many lately (`busy` false: answer 429) or too many fetches are in flight (`busy` true:
       * 503); answer with `Retry-After`. The error is then `temporarily_unavailable`.
       */
      throttled?: { retryAfterSeconds: number; busy: boolean };
    };

/** Options of {@link createAuthorizationEndpoint}. */
export interface AuthorizationEndpointOptions {
  provider: OAuthProvider;
  /**
   * The same scope policy the server's model uses. The default grants requested scopes the client
   * may have, and the client's default scopes when none is requested (refusing when it has none).
   */
  validateScope?: ValidateScope;
}

/** The framework-free half of the authorization endpoint; the page (login, consent) is the binding's. */
export interface AuthorizationEndpoint {
  /**
   * Validates the request parameters (query of a GET, or body of the consent POST). `resource`
   * (RFC 8707 §2.1) may be repeated, an array of strings; the resources it names are read with one
   * storage call; a malformed or unregistered one, or more than 16, is redirected `invalid_target`.
   * An OpenID request's `id_token_hint` must be an ID token this provider issued to the client
   * (its expiry aside), else the request is redirected `invalid_request` (OIDC Core §3.1.2.1).
   * Pass the request's source address (the Koa page passes `ctx.ip`), so that the metadata
   * documents it (and `approve` of its request) fetch count against it
   * (`clientMetadataDocuments.throttle`); without one they share the bound of unknown sources.
   */
  validate(parameters: Record<string, unknown>, attempt?: LoginAttempt): Promise<AuthorizationRequestCheck>;
  /**
   * Issues a code for an approved request (one produced by `validate`) and returns where to send
   * the user-agent: the redirect URI with `code` and `state` (RFC 6749 §4.1.2), or with
   * `invalid_scope` when the scope policy refuses this user. The code carries what the policy
   * grants this user, which is `request.scope` unless the policy looks at the user; a grant beyond
   * `request.scope`, which the user was not shown, is refused with `invalid_scope`.
   *
   * `authentication` says how and when the user authenticated (OIDC Core §2); the code keeps it,
   * with the request's `nonce`, for the ID token. Without it they are unknown (null). `granted`
   * is what the code carries, for remembering consent; absent when the approval was refused.
   * A user other than the one the request's `id_token_hint` identifies gets `login_required`
   * (OIDC Core §3.1.2.1); check first with `AuthorizationSessions.isHintedUser` to ask again instead.
   */
  approve(
    request: AuthorizationRequest,
    user: OAuthUser,
    authentication?: ApprovalAuthentication,
  ): Promise<{ redirectTo: string; granted?: AuthorizationGrant }>;
  /** Where to send the user-agent when the user declines: `access_denied` (RFC 6749 §4.1.2.1). */
  deny(request: AuthorizationRequest): { redirectTo: string };
  /**
   * Where to send the user-agent when the request said `prompt=none` and the server would need to
   * show a page: `login_required`, `consent_required`… (OIDC Core §3.1.2.6), with `state`.
   */
  interactionRequired(request: AuthorizationRequest, error: InteractionRequiredError): { redirectTo: string };
}

const INTERACTION_REQUIRED: Record<InteractionRequiredError, string> = {
  login_required: 'The user must sign in: there is no usable sign-in session',
  consent_required: 'The user must approve this request: consent has not been given for all of it',
  interaction_required: 'The user must interact with the authorization server',
  account_selection_required: 'The user must select an account',
};

/** RFC 6749 Appendix A.5: state is VSCHAR. */
export const STATE = /^[\x20-\x7E]+$/;

function redirectWith(redirectUri: string, values: Record<string, string | null>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) if (value !== null) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * Builds the authorization endpoint's checks on a provider. Validation order follows RFC 6749
 * §4.1.2.1: problems with the client or redirect URI are shown, never redirected; everything
 * after is redirected to the client with `state`.
 */
export function createAuthorizationEndpoint(options: AuthorizationEndpointOptions): AuthorizationEndpoint {
  const credentials = credentialsOf(options.provider);
  const validateScope = options.validateScope ?? defaultValidateScope;
  /** The requests `validate` returned, with the records of their resources and the key of their source (for `approve`). */
  const validated = new WeakMap<AuthorizationRequest, { resources: ResourceRecord[]; source: string | null }>();

  /**
   * The one scope decision of the endpoint, for the consent page and the approval alike: what the
   * configured policy grants within what the resources accept, or why nothing is. Whatever the
   * policy returns, a scope the client may not have is never granted.
   */
  async function grantedScope(
    user: OAuthUser | null,
    client: OAuthModelClient,
    record: ClientRecord,
    requested: string[] | undefined,
    resources: readonly ResourceRecord[],
  ): Promise<{ ok: true; scope: string[] } | { ok: false; description: string }> {
    const granted = await validateScope(user, client, requested);
    if (!Array.isArray(granted) || !granted.every(isScopeToken) || !isSubset(granted, record.scopes)) {
      return { ok: false, description: requested === undefined ? MISSING_SCOPE_REFUSED : 'Invalid scope: Requested scope is invalid' };
    }
    // RFC 8707 §2: the resources bound the scope; a default scope is narrowed to what they accept.
    const bounded = scopeForResources([...new Set(granted)], requested !== undefined, resources);
    return bounded ? { ok: true, scope: bounded } : { ok: false, description: scopeOutsideResources(requested !== undefined) };
  }

  /** The client, or why its metadata document cannot be used. */
  async function findClient(clientId: string, source: string | null): Promise<ClientRecord | ClientMetadataError | null> {
    try {
      return await credentials.authenticateClient(clientId, null, source);
    } catch (error) {
      if (error instanceof ClientMetadataError) return error;
      throw error;
    }
  }

  const shown = (error: string, errorDescription: string): AuthorizationRequestCheck => ({
    ok: false,
    error,
    errorDescription,
    redirectTo: null,
  });

  /**
   * A document not fetched for want of room is `temporarily_unavailable` (RFC 6749 §4.1.2.1), to
   * be retried; any other failure names a client this server cannot use.
   */
  function metadataRefusal(error: ClientMetadataError): AuthorizationRequestCheck {
    const busy = error.code === 'client_metadata_busy';
    if (!busy && error.code !== 'client_metadata_throttled') return shown('invalid_client', `Invalid client: ${error.message}`);
    return {
      ok: false,
      error: 'temporarily_unavailable',
      errorDescription: error.message,
      redirectTo: null,
      throttled: { retryAfterSeconds: error.retryAfterSeconds ?? 1, busy },
    };
  }

  async function validate(input: Record<string, unknown>, attempt?: LoginAttempt): Promise<AuthorizationRequestCheck> {
    const source = sourceKeyOf(attempt?.sourceAddress);
    // `resource` may be repeated (RFC 8707 §2.1); every other parameter must not (RFC 6749 §3.1).
    const { resources: named, rest } = splitResourceParameter(input);
    const flat = flattenParameters(rest);
    if (!flat.ok) return shown('invalid_request', flat.description);
    const p = flat.parameters;

    const clientId = p['client_id'];
    if (!clientId) return shown('invalid_request', 'Missing parameter: `client_id`');
    // A lookup, not an authentication: the user-agent carries no client secret (docs/adr/0004).
    // A metadata document that cannot be used is shown, never redirected: its redirect URIs are
    // not established (draft §4.3, RFC 6749 §4.1.2.1).
    const record = await findClient(clientId, source);
    if (record instanceof ClientMetadataError) return metadataRefusal(record);
    if (!record) return shown('invalid_client', 'Invalid client: unknown `client_id`');
    const client: OAuthModelClient = toModelClient(record, credentials.lifetimesOf(record));

    const given = p['redirect_uri'];
    let redirectUri: string;
    if (given !== undefined) {
      // Exact string comparison (RFC 9700 §4.1.3), but any port for a loopback IP URI (RFC 8252 §7.3).
      if (!isRegisteredRedirectUri(record.redirectUris, given)) {
        return shown('invalid_request', 'Invalid request: `redirect_uri` is not registered for this client');
      }
      // The answer goes where the request said, a loopback URI's ephemeral port included.
      redirectUri = given;
    } else if (record.redirectUris.length === 1 && record.redirectUris[0] !== undefined) {
      redirectUri = record.redirectUris[0];
    } else {
      return shown('invalid_request', 'Missing parameter: `redirect_uri` (the client has several or none registered)');
    }

    const rawState = p['state'];
    const stateValid = rawState === undefined || (rawState.length <= MAX_STATE_LENGTH && STATE.test(rawState));
    const state = stateValid && rawState !== undefined && rawState !== '' ? rawState : null;
    const redirected = (error: string, errorDescription: string): AuthorizationRequestCheck => ({
      ok: false,
      error,
      errorDescription,
      redirectTo: redirectWith(redirectUri, { error, error_description: errorDescription, state }),
    });
    if (!stateValid) return redirected('invalid_request', 'Invalid parameter: `state`');

    const responseType = p['response_type'];
    if (!responseType) return redirected('invalid_request', 'Missing parameter: `response_type`');
    if (responseType !== 'code') return redirected('unsupported_response_type', 'Unsupported response type: only `code` is supported');
    if (!record.grants.includes('authorization_code')) {
      return redirected('unauthorized_client', 'Unauthorized client: the authorization_code grant is not allowed');
    }

    // RFC 8707 §2: a malformed, unregistered or excessive `resource` is redirected `invalid_target`.
    if (!named.ok) return redirected(named.error, named.description);
    const lookup = await lookUpResources(credentials.storage, named.resources ?? []);
    if (!lookup.ok) return redirected('invalid_target', lookup.description);
    const { resources } = lookup;

    const requestedScope = parseScope(p['scope']);
    if (requestedScope === false) return redirected('invalid_scope', 'Invalid parameter: `scope`');
    // RFC 6749 §3.3: the consent page shows what the configured policy grants, the policy approval
    // asks again; no user is signed in yet.
    const scope = await grantedScope(null, client, record, requestedScope, resources);
    if (!scope.ok) return redirected('invalid_scope', scope.description);
    // OIDC Core §3.1.2.1: the `openid` scope makes it an OpenID Connect request; without it the
    // OpenID parameters are unknown parameters, ignored (RFC 6749 §3.1). Decided on the scope the
    // code will carry, which the token endpoint issues an ID token for: `openid` granted as a
    // client's default scope makes an OpenID request too, held to every rule of one.
    let openid: OpenIdAuthorizationParameters | null = null;
    if (credentials.settings.openid !== null && scope.scope.includes('openid')) {
      // OIDC Core §3.1.2.1: redirect_uri is REQUIRED in an OpenID Connect request, even for a client
      // with one registered URI; shown, not redirected: the request did not name where to go.
      if (given === undefined) return shown('invalid_request', 'Missing parameter: `redirect_uri` (an OpenID Connect request names it, OIDC Core §3.1.2.1)');
      const read = readOpenIdParameters(p);
      if (!read.ok) return redirected(read.error, read.description);
      openid = read.openid;
      if (openid.idTokenHint !== null) {
        // OIDC Core §3.1.2.1: a hint this provider did not issue to this client is an invalid request.
        const hint = await checkAuthorizationHint(credentials, record, openid.idTokenHint);
        if (!hint.ok) return redirected('invalid_request', hint.description);
        openid = { ...openid, hintedSubject: hint.subject };
      }
    }

    const pkce = decidePkce(client, p['code_challenge'], p['code_challenge_method']);
    if (!pkce.ok) return redirected('invalid_request', pkce.reason);

    const request: AuthorizationRequest = {
      clientIdHost: clientIdUrlHost(client.id),
      client: {
        id: client.id,
        name: client.name,
        grants: client.grants,
        redirectUris: client.redirectUris,
        scopes: client.scopes,
        defaultScopes: client.defaultScopes,
        isPublic: client.isPublic,
      },
      redirectUri,
      redirectUriGiven: given !== undefined,
      requestedScope,
      resources: resources.map((resource) => ({ id: resource.id, name: resource.name })),
      scope: scope.scope,
      state,
      codeChallenge: pkce.codeChallenge,
      codeChallengeMethod: pkce.codeChallengeMethod,
      openid,
    };
    validated.set(request, { resources, source });
    if (openid !== null && openid.hintedSubject !== null) bindHintedSubject(request, record, openid.hintedSubject, credentials);
    return { ok: true, request };
  }

  async function approve(
    request: AuthorizationRequest,
    user: OAuthUser,
    authentication?: ApprovalAuthentication,
  ): Promise<{ redirectTo: string; granted?: AuthorizationGrant }> {
    const { resources, source } = validated.get(request) ?? {};
    if (!resources) throw new TypeError('approve() takes a request returned by validate()');
    if (!isUserId(user?.id)) throw new TypeError('the user has no valid string `id`');
    if (authentication !== undefined && !(authentication.authTime instanceof Date && Number.isFinite(authentication.authTime.getTime()))) {
      throw new TypeError('the authentication has no valid `authTime` Date');
    }
    const refused = (error: string, description: string) => ({
      redirectTo: redirectWith(request.redirectUri, { error, error_description: description, state: request.state }),
    });
    // OIDC Core §3.1.2.1: with an id_token_hint, a code is only for the End-User it identifies.
    if (!isHintedUser(request, user.id)) {
      return refused('login_required', 'The user signed in is not the one the id_token_hint identifies');
    }
    // Re-read the client: it may have changed or gone while the user was deciding.
    const record = await findClient(request.client.id, source ?? null);
    if (!record || record instanceof ClientMetadataError || !record.grants.includes('authorization_code') || !isRegisteredRedirectUri(record.redirectUris, request.redirectUri)) {
      return refused('unauthorized_client', 'Unauthorized client: the client changed during authorization');
    }
    const client = toModelClient(record, credentials.lifetimesOf(record));
    const pkce = decidePkce(client, request.codeChallenge, request.codeChallengeMethod);
    if (!pkce.ok) return refused('invalid_request', pkce.reason);
    // The policy again, now with the user; never more than the page showed, which is what the user
    // consented to (RFC 6749 §3.3).
    const granted = await grantedScope(user, client, record, request.requestedScope, resources);
    if (!granted.ok) return refused('invalid_scope', granted.description);
    if (!isSubset(granted.scope, request.scope)) {
      return refused('invalid_scope', request.requestedScope === undefined ? MISSING_SCOPE_REFUSED : 'Invalid scope: Requested scope is invalid');
    }
    const { code } = await credentials.issueAuthorizationCode({
      client: record,
      userId: user.id,
      redirectUri: request.redirectUriGiven ? request.redirectUri : null,
      scope: granted.scope,
      audience: resources.map((resource) => resource.id),
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      // OIDC Core §3.1.3.6: the nonce and the authentication reach the ID token through the code.
      nonce: request.openid?.nonce ?? null,
      ...(authentication === undefined ? {} : { authentication: storedAuthentication(authentication) }),
    });
    validated.delete(request);
    return {
      redirectTo: redirectWith(request.redirectUri, { code, state: request.state }),
      granted: { scope: granted.scope, resources: resources.map((resource) => resource.id) },
    };
  }

  function deny(request: AuthorizationRequest): { redirectTo: string } {
    if (!validated.has(request)) throw new TypeError('deny() takes a request returned by validate()');
    validated.delete(request);
    return {
      redirectTo: redirectWith(request.redirectUri, {
        error: 'access_denied',
        error_description: 'The resource owner denied the request',
        state: request.state,
      }),
    };
  }

  function interactionRequired(request: AuthorizationRequest, error: InteractionRequiredError): { redirectTo: string } {
    if (!validated.has(request)) throw new TypeError('interactionRequired() takes a request returned by validate()');
    if (!Object.hasOwn(INTERACTION_REQUIRED, error)) throw new TypeError(`not an OpenID Connect interaction error: ${String(error)}`);
    validated.delete(request);
    return {
      redirectTo: redirectWith(request.redirectUri, { error, error_description: INTERACTION_REQUIRED[error], state: request.state }),
    };
  }

  return { validate, approve, deny, interactionRequired };
}

