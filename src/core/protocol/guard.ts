import type OAuth2Server from '@node-oauth/oauth2-server';
import type { OAuthProvider } from '../oauth-provider.js';
import { credentialsOf } from '../provider/provider-link.js';
import type { Credentials } from '../provider/credentials.js';
import { isResourceIdentifier, parseAudience } from '../provider/resource-indicators.js';
import { isScopeToken, parseStoredScope } from '../provider/scope.js';
import { presentedBearerToken } from './bearer-token.js';
import { assertRealm, bearerErrorResponse, classifyFailure, protocolFailure, type BearerErrorSettings, type Failure } from './error-responses.js';
import type { GuardCheckOptions, OAuth2GuardInteractor, OAuthGuardOutcome } from './interactors.js';
import { resourceMetadataParameter, type ProtectedResource } from './protected-resource.js';
import { flattenHeaders, flattenParameters } from './request-parameters.js';

/** Options of {@link createGuard}. */
export interface GuardOptions {
  /** The provider whose tokens the guard accepts. */
  provider?: OAuthProvider;
  /**
   * @deprecated Pass `provider`. A server whose model came from `provider.userModel()` or
   * `provider.clientModel()` still works: the guard finds the provider through the model
   * (`server.options.model`, where oauth2-server keeps it). oauth2-server itself no longer takes
   * part in bearer validation (docs/adr/0006).
   */
  server?: OAuth2Server;
  /** Realm of the Bearer challenge (RFC 6750 §3). Default `oauth2`. */
  realm?: string;
  /** Answer every error with 403, as the ancestor library did. Off by default. */
  legacyForbiddenErrors?: boolean;
  /** Accept `?access_token=` (RFC 6750 §2.3). Off by default: URLs end up in logs and histories. */
  allowBearerTokensInQueryString?: boolean;
  /**
   * The resource's metadata (RFC 9728), to name in every Bearer challenge as
   * `resource_metadata="…"` (§5.1), so that a client that has never met the resource can find its
   * authorization server from the first 401: a description from `protectedResourceMetadata()`
   * (its `metadataUrl` is named) or that URL itself. A 401 then also names the scope the check
   * requires. A check's own `resourceMetadata` ({@link GuardCheckOptions}) takes its place.
   *
   * A description also sets {@link GuardOptions.resource}: the guard then admits only tokens
   * issued for that resource.
   */
  resourceMetadata?: string | ProtectedResource;
  /**
   * The identifier of the resource this guard protects (RFC 8707 §2): only an access token whose
   * audience includes it is admitted; a token issued for another resource, or for none, is refused
   * 401 `invalid_token`, so that a token a client obtained for one API cannot be replayed at another
   * (the confused deputy of RFC 9700 §4.10, MCP's "token passthrough"). Default: the `resource` of
   * `resourceMetadata` when that is a description; none otherwise (every valid token passes). A
   * check's own `resource` ({@link GuardCheckOptions}) takes its place.
   */
  resource?: string;
  /**
   * Told about failures that are not protocol errors (storage unavailable, bugs), for logging.
   * A check's own `onError` ({@link GuardCheckOptions}) takes its place for that check; without
   * either, the check's `fallbackOnError` is told.
   */
  onError?: (error: unknown) => void;
}

/**
 * Bearer-token validation for protected resources (RFC 6750), framework-free: the token is taken
 * from the one place the request carries it (§2), looked up by digest in one storage call (or
 * found in the validated-token cache), checked for revocation and expiry against the provider's
 * clock, then for the required scopes. Errors follow §3.1: 401 without an `error` attribute when
 * no bearer credentials were sent (none, or only an `Authorization` header of another scheme),
 * 401 `invalid_token`, 400 `invalid_request`, 403 `insufficient_scope` with the needed `scope`.
 * With `resourceMetadata`, every challenge also names the resource's metadata (RFC 9728 §5.1);
 * with `resource` (or a described `resourceMetadata`), a token must have been issued for that
 * resource (RFC 8707 §2).
 */
export function createGuard(options: GuardOptions): OAuth2GuardInteractor {
  const credentials = guardCredentials(options);
  const settings: BearerErrorSettings = {
    realm: options.realm ?? 'oauth2',
    legacyForbiddenErrors: options.legacyForbiddenErrors === true,
    ...(options.resourceMetadata === undefined ? {} : { resourceMetadata: resourceMetadataParameter(options.resourceMetadata) }),
  };
  assertRealm(settings.realm);
  const resource = protectedResourceOf(options.resource, options.resourceMetadata);
  const allowQuery = options.allowBearerTokensInQueryString === true;

  return {
    async check(request, checkOptions = {}): Promise<OAuthGuardOutcome> {
      const required = checkOptions.scope ?? [];
      if (!Array.isArray(required) || !required.every(isScopeToken)) {
        throw new TypeError('guard scope must be a list of scope-tokens (RFC 6749 §3.3)');
      }
      // Checked before the request is judged, so that a wrong option fails every check alike.
      const checkSettings =
        checkOptions.resourceMetadata === undefined ? settings : { ...settings, resourceMetadata: resourceMetadataParameter(checkOptions.resourceMetadata) };
      const checkResource =
        checkOptions.resource === undefined && checkOptions.resourceMetadata === undefined
          ? resource
          : protectedResourceOf(checkOptions.resource, checkOptions.resourceMetadata) ?? resource;
      const fail = (failure: Failure, error?: unknown): OAuthGuardOutcome => ({
        ok: false,
        response: bearerErrorResponse(failure, required, checkSettings, checkOptions.onError ?? options.onError ?? checkOptions.fallbackOnError, error),
      });
      const headers = flattenHeaders(request);
      if (!headers.ok) return fail(protocolFailure('invalid_request', headers.description));
      const query = flattenParameters(request.query);
      if (!query.ok) return fail(protocolFailure('invalid_request', query.description));
      const body = flattenParameters(request.body);
      if (!body.ok) return fail(protocolFailure('invalid_request', body.description));
      const presented = presentedBearerToken(String(request.method).toUpperCase(), headers.headers, query.parameters, body.parameters, allowQuery);
      if (!presented.ok) {
        return fail(presented.error === 'no_credentials' ? protocolFailure('no_credentials', '', 401) : protocolFailure('invalid_request', presented.description));
      }
      try {
        const found = await credentials.findActiveAccessToken(presented.token);
        // Unknown, revoked and expired alike: the client learns only that it needs a new token.
        if (!found) return fail(protocolFailure('invalid_token', 'Invalid token: access token is invalid', 401));
        const audience = parseAudience(found.audience);
        // RFC 8707 §2: a token is good only at the resources it was issued for.
        if (checkResource !== undefined && !audience.includes(checkResource)) {
          return fail(protocolFailure('invalid_token', 'Invalid token: access token is not for this resource', 401));
        }
        const scope = parseStoredScope(found.scope);
        if (!required.every((name) => scope.includes(name))) {
          return fail(protocolFailure('insufficient_scope', 'Insufficient scope: authorized scope is insufficient', 403));
        }
        return {
          ok: true,
          oauth: {
            token: { id: found.id, accessTokenExpiresAt: found.accessTokenExpiresAt },
            client: { id: found.clientId, name: found.clientName },
            user: found.userId === null ? null : { id: found.userId, ...(found.username !== null ? { username: found.username } : {}) },
            scope,
            audience,
          },
        };
      } catch (error) {
        return fail(classifyFailure(error), error);
      }
    },
  };
}

/**
 * The resource a guard or a check protects: `resource` as given, else the described resource of
 * `resourceMetadata`. Checked here, so that a misspelt identifier fails when the guard is built.
 */
function protectedResourceOf(resource: string | undefined, metadata: string | ProtectedResource | undefined): string | undefined {
  if (resource === undefined) return typeof metadata === 'object' ? metadata.resource : undefined;
  if (!isResourceIdentifier(resource)) {
    throw new TypeError(`guard resource must be an absolute URI without a fragment, of at most 512 characters (RFC 8707 §2), got ${JSON.stringify(resource)}`);
  }
  return resource;
}

function guardCredentials(options: GuardOptions): Credentials {
  if (options.provider !== undefined) return credentialsOf(options.provider);
  if (options.server !== undefined) {
    const model = (options.server as unknown as { options?: { model?: unknown } }).options?.model;
    return credentialsOf(model, "server's model");
  }
  throw new TypeError('createGuard needs the provider whose tokens it accepts: createGuard({ provider })');
}
