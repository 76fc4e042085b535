import type OAuth2Server from '@node-oauth/oauth2-server';
import type { OAuthProvider } from '../oauth-provider.js';
import { credentialsOf } from '../provider/provider-link.js';
import type { Credentials } from '../provider/credentials.js';
import { parseAudience } from '../provider/resource-indicators.js';
import { parseStoredScope } from '../provider/scope.js';
import { classifyFailure, protocolFailure } from './error-responses.js';
import type { TokenLookup } from '../storage/records.js';
import { audienceRefusal, checkOf, guardBase, guardInteractor, holdsScopes, keptTokenCandidate, refusal, startGuardCheck, type StartedCheck } from './guard-check.js';
import type { OAuthHttpRequest } from './http.js';
import type { GuardCheckOptions, OAuth2GuardInteractor, OAuthGuardOutcome } from './interactors.js';
import type { ProtectedResource } from './protected-resource.js';

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
   * `resourceMetadata` when that is a description. A guard bound to no resource admits only tokens
   * asked for no resource (audience empty): a token issued for a resource is refused 401
   * `invalid_token` ("access token was issued for another resource"), unless
   * {@link GuardOptions.acceptAnyAudience}. A check's own `resource` ({@link GuardCheckOptions})
   * takes its place.
   */
  resource?: string;
  /**
   * Admit a valid token whatever its audience, the resources it was issued for included: the
   * behaviour of a guard bound to no resource before it refused tokens minted for a resource. Only
   * for a resource server that stands for every resource of its authorization server (a gateway
   * that checks the audience itself, an introspection-like service); a guard that protects one API
   * should name it with `resource` instead. Cannot be combined with `resource` or a described
   * `resourceMetadata` (TypeError when the guard is built). Default false. A check's own
   * `resource` or `acceptAnyAudience` ({@link GuardCheckOptions}) takes its place.
   */
  acceptAnyAudience?: boolean;
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
 * With `resourceMetadata`, every challenge also names the resource's metadata (RFC 9728 §5.1).
 * A token must have been issued for the guard's resource, `resource` or a described
 * `resourceMetadata` (RFC 8707 §2); a guard without one admits only tokens asked for no resource,
 * unless built with `acceptAnyAudience: true`.
 */
export function createGuard(options: GuardOptions): OAuth2GuardInteractor {
  const credentials = guardCredentials(options);
  const base = guardBase(options);

  /** The answer to a check whose token is this issuance, active now (null: unknown, revoked, expired). */
  function judged(check: StartedCheck, found: TokenLookup | null): OAuthGuardOutcome {
    // Unknown, revoked and expired alike: the client learns only that it needs a new token.
    if (!found) return refusal(check, protocolFailure('invalid_token', 'Invalid token: access token is invalid', 401));
    const audience = parseAudience(found.audience);
    // RFC 8707 §2: a token is good only at the resources it was issued for.
    const misdirected = audienceRefusal(check, audience);
    if (misdirected !== undefined) return refusal(check, misdirected);
    const scope = parseStoredScope(found.scope);
    if (!holdsScopes(scope, check.required)) {
      return refusal(check, protocolFailure('insufficient_scope', 'Insufficient scope: authorized scope is insufficient', 403));
    }
    return {
      ok: true,
      oauth: {
        // A Date of its own: the row may be a cached one that every hit shares.
        token: { id: found.id, accessTokenExpiresAt: new Date(found.accessTokenExpiresAt) },
        client: { id: found.clientId, name: found.clientName },
        user: found.userId === null ? null : found.username !== null ? { id: found.userId, username: found.username } : { id: found.userId },
        scope,
        audience,
      },
    };
  }

  async function storedCheck(check: StartedCheck): Promise<OAuthGuardOutcome> {
    try {
      return judged(check, await credentials.findActiveAccessToken(check.token));
    } catch (error) {
      return refusal(check, classifyFailure(error), error);
    }
  }

  /** The kept issuance of `token` (null: no longer active), undefined when storage must answer; or the refusal a failure makes. */
  function kept(check: StartedCheck, token: string): TokenLookup | null | undefined | { refused: OAuthGuardOutcome } {
    try {
      return credentials.keptActiveAccessToken(token);
    } catch (error) {
      return { refused: refusal(check, classifyFailure(error), error) };
    }
  }

  function checkEagerly(request: OAuthHttpRequest, checkOptions: GuardCheckOptions = {}): OAuthGuardOutcome | Promise<OAuthGuardOutcome> {
    // A token the cache holds is judged from memory, its request read without a pattern match.
    const candidate = keptTokenCandidate(request);
    if (candidate !== undefined) {
      const check = checkOf(base, checkOptions);
      const found = kept(check, candidate);
      if (found !== undefined) {
        if (found !== null && 'refused' in found) return found.refused;
        check.token = candidate;
        return judged(check, found);
      }
    }
    const started = startGuardCheck(base, request, checkOptions);
    if (!started.ok) return started.outcome;
    const { check } = started;
    // The candidate, when there was one, is this token, and was looked for already.
    const found = candidate === undefined ? kept(check, check.token) : undefined;
    if (found === undefined) return storedCheck(check);
    return found !== null && 'refused' in found ? found.refused : judged(check, found);
  }

  return guardInteractor(checkEagerly);
}

function guardCredentials(options: GuardOptions): Credentials {
  if (options.provider !== undefined) return credentialsOf(options.provider);
  if (options.server !== undefined) {
    const model = (options.server as unknown as { options?: { model?: unknown } }).options?.model;
    return credentialsOf(model, "server's model");
  }
  throw new TypeError('createGuard needs the provider whose tokens it accepts: createGuard({ provider })');
}
