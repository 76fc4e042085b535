import { sourceKeyOf } from '../runtime/attempt-source.js';
import type { OAuthProvider } from '../oauth-provider.js';
import { subjectFor } from '../provider/openid/subject-identifier.js';
import { releasedUserClaims } from '../provider/openid/user-claims.js';
import type { OpenIdSettings } from '../provider/openid/openid-options.js';
import { credentialsOf } from '../provider/provider-link.js';
import { assertRealm, bearerErrorResponse, classifyFailure, NO_STORE, protocolFailure, type BearerErrorSettings } from './error-responses.js';
import { createGuard } from './guard.js';
import type { OAuthHttpRequest, OAuthHttpResponse } from './http.js';
import type { AuthControllerCallOptions, OAuthGuardResult } from './interactors.js';

/** Options of {@link createUserInfoEndpoint}. */
export interface UserInfoEndpointOptions {
  /** The provider, built with the `openid` option. */
  provider: OAuthProvider;
  /** Realm of the Bearer challenges (RFC 6750 §3). Default `oauth2`. */
  realm?: string;
  /** Answer every error with 403, as the ancestor library did. Off by default. */
  legacyForbiddenErrors?: boolean;
  /** Accept the token as `?access_token=` (RFC 6750 §2.3). Off by default: URLs end up in logs and histories. */
  allowBearerTokensInQueryString?: boolean;
  /**
   * Told about failures that are not protocol errors (storage unavailable, a claims hook that
   * threw or returned a claim of the wrong type, bugs). The error may carry the application's
   * details: log it, never send it. A call's own `onError` takes its place for that call; without
   * either, the call's `fallbackOnError` is told.
   */
  onError?: (error: unknown) => void;
}

/** The UserInfo endpoint, framework-free (built by {@link createUserInfoEndpoint}). */
export interface UserInfoEndpoint {
  /**
   * Answers a UserInfo request (OIDC Core §5.3, GET or POST): the access token is read as a
   * protected resource reads it (RFC 6750 §2: the `Authorization: Bearer` header, or the
   * `access_token` parameter of a form-encoded POST body; the query only when allowed). 200 with
   * the user's claims as JSON and `Cache-Control: no-store`; otherwise the Bearer answers of
   * RFC 6750 §3.1 (OIDC Core §5.3.3), also `no-store`.
   */
  userinfo(request: OAuthHttpRequest, options?: AuthControllerCallOptions): Promise<OAuthHttpResponse>;
}

/** What the endpoint needs of the provider. */
interface UserInfoSources {
  settings: OpenIdSettings;
  credentials: ReturnType<typeof credentialsOf>;
}

/**
 * The UserInfo endpoint of a provider built with `openid` (OIDC Core §5.3). Throws a TypeError for
 * a provider without it.
 *
 * - The access token must be active and hold the `openid` scope (403 `insufficient_scope`
 *   otherwise, naming it). Unknown, expired and revoked tokens are 401 `invalid_token`; so is a
 *   client's own token (client credentials grant), which speaks for no user.
 * - The token must have been asked for no resource: one issued for a resource server (RFC 8707)
 *   is refused 401 `invalid_token` as at any guard bound to no resource, so that an API a client
 *   sends its token to cannot read the user's claims with it (RFC 9700 §4.10). A client that
 *   needs both asks for a second token without `resource` (with its refresh token).
 * - The answer holds `sub` (the one the ID tokens of this client carry, OIDC Core §5.3.2, public or
 *   pairwise per the client's subject type, §8) and the standard claims of OIDC Core §5.1 that the
 *   token's scopes allow (§5.4), from the `openid.claims` hook (see `releasedUserClaims`).
 */
export function createUserInfoEndpoint(options: UserInfoEndpointOptions): UserInfoEndpoint {
  const sources = userInfoSources(options.provider);
  const realm = options.realm ?? 'oauth2';
  assertRealm(realm);
  const settings: BearerErrorSettings = { realm, legacyForbiddenErrors: options.legacyForbiddenErrors === true };
  const guard = createGuard({
    provider: options.provider,
    realm,
    legacyForbiddenErrors: settings.legacyForbiddenErrors,
    allowBearerTokensInQueryString: options.allowBearerTokensInQueryString === true,
  });
  return {
    async userinfo(request, callOptions = {}) {
      const report = callOptions.onError ?? options.onError ?? callOptions.fallbackOnError;
      // OIDC Core §5.3.1: the token was issued for an OpenID request.
      const outcome = await guard.check(request, { scope: OPENID, ...(report === undefined ? {} : { onError: report }) });
      if (!outcome.ok) return withNoStore(outcome.response);
      try {
        return await answer(sources, outcome.oauth, sourceKeyOf(request.sourceAddress), settings);
      } catch (error) {
        return withNoStore(bearerErrorResponse(classifyFailure(error), OPENID, settings, report, error));
      }
    },
  };
}

/** Whether a provider was built with the `openid` option (OpenID Connect on). */
export function offersOpenIdConnect(provider: OAuthProvider): boolean {
  return credentialsOf(provider).settings.openid !== null;
}

const OPENID = Object.freeze(['openid']) as string[];

function userInfoSources(provider: OAuthProvider): UserInfoSources {
  const credentials = credentialsOf(provider);
  const settings = credentials.settings.openid;
  if (settings === null) throw new TypeError('createUserInfoEndpoint: the provider was built without the openid option');
  return { settings, credentials };
}

async function answer(sources: UserInfoSources, oauth: OAuthGuardResult, source: string | null, settings: BearerErrorSettings): Promise<OAuthHttpResponse> {
  // A client's own token describes no end-user (OIDC Core §5.3: "Claims about the authenticated End-User").
  if (oauth.user === null) return refuseToken('Invalid token: access token was issued to a client for itself, not for a user', settings);
  const client = await sources.credentials.authenticateClient(oauth.client.id, null, source);
  if (client === null) return refuseToken('Invalid token: access token is invalid', settings);
  const sub = subjectFor(oauth.user.id, client, sources.settings.pairwiseSecret);
  const claims = await releasedUserClaims(
    sources.settings,
    sources.credentials.storage.users,
    { userId: oauth.user.id, clientId: client.id, scope: oauth.scope, use: 'userinfo' },
    sub,
  );
  // OIDC Core §5.3.2: a JSON object, `application/json`.
  return { status: 200, headers: { 'content-type': 'application/json', ...NO_STORE }, body: claims };
}

function refuseToken(description: string, settings: BearerErrorSettings): OAuthHttpResponse {
  return withNoStore(bearerErrorResponse(protocolFailure('invalid_token', description, 401), OPENID, settings, undefined));
}

/** The claims of a user are not for caches, nor is an answer about a token (RFC 6749 §5.1 by analogy). */
function withNoStore(response: OAuthHttpResponse): OAuthHttpResponse {
  return { ...response, headers: { ...response.headers, ...NO_STORE } };
}
