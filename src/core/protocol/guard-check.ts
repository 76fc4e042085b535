import { isResourceIdentifier } from '../provider/resource-indicators.js';
import { isScopeToken } from '../provider/scope.js';
import { presentedBearerToken } from './bearer-token.js';
import { assertRealm, bearerErrorResponse, protocolFailure, type BearerErrorSettings, type Failure } from './error-responses.js';
import type { OAuthHttpRequest } from './http.js';
import type { GuardCheckOptions, OAuthGuardOutcome } from './interactors.js';
import { resourceMetadataParameter, type ProtectedResource } from './protected-resource.js';
import { flattenHeaders, flattenParameters } from './request-parameters.js';

/**
 * What every guard does before it judges a token, whatever it judges it against (a database, a
 * signature): read the one bearer token of the request (RFC 6750 §2), refuse a malformed request,
 * and settle which resource and scope this check requires and how its refusals are answered.
 */

/** The options every guard shares. */
export interface GuardBaseOptions {
  realm?: string;
  legacyForbiddenErrors?: boolean;
  allowBearerTokensInQueryString?: boolean;
  resourceMetadata?: string | ProtectedResource;
  resource?: string;
  onError?: (error: unknown) => void;
}

/** A guard's settings, checked once when it is built. */
export interface GuardBase {
  settings: BearerErrorSettings;
  resource: string | undefined;
  allowQuery: boolean;
  onError: ((error: unknown) => void) | undefined;
}

/** Checks the shared options; throws a TypeError (or a `ProtectedResourceMetadataError`) naming a wrong one. */
export function guardBase(options: GuardBaseOptions): GuardBase {
  const settings: BearerErrorSettings = {
    realm: options.realm ?? 'oauth2',
    legacyForbiddenErrors: options.legacyForbiddenErrors === true,
    ...(options.resourceMetadata === undefined ? {} : { resourceMetadata: resourceMetadataParameter(options.resourceMetadata) }),
  };
  assertRealm(settings.realm);
  return {
    settings,
    resource: protectedResourceOf(options.resource, options.resourceMetadata),
    allowQuery: options.allowBearerTokensInQueryString === true,
    onError: options.onError,
  };
}

/** A check that found a token to judge. */
export interface StartedCheck {
  token: string;
  /** The scopes the token must all hold. */
  required: string[];
  /** The resource the token must be for (RFC 8707 §2), if any. */
  resource: string | undefined;
  /** How this check's refusals are answered. */
  settings: BearerErrorSettings;
  /** Who is told about this check's failures that are not protocol errors. */
  reporter: ((error: unknown) => void) | undefined;
}

/**
 * Starts a check: the request's token, or the refusal that ends the check (400 `invalid_request`,
 * or 401 without error code when no bearer credentials were sent, RFC 6750 §3.1). Throws a
 * TypeError for a required scope that is no scope-token: a programming error, not a request's.
 */
export function startGuardCheck(
  base: GuardBase,
  request: OAuthHttpRequest,
  checkOptions: GuardCheckOptions,
): { ok: true; check: StartedCheck } | { ok: false; outcome: OAuthGuardOutcome } {
  const required = checkOptions.scope ?? [];
  if (!Array.isArray(required) || !required.every(isScopeToken)) {
    throw new TypeError('guard scope must be a list of scope-tokens (RFC 6749 §3.3)');
  }
  // Checked before the request is judged, so that a wrong option fails every check alike.
  const settings =
    checkOptions.resourceMetadata === undefined
      ? base.settings
      : { ...base.settings, resourceMetadata: resourceMetadataParameter(checkOptions.resourceMetadata) };
  const resource =
    checkOptions.resource === undefined && checkOptions.resourceMetadata === undefined
      ? base.resource
      : (protectedResourceOf(checkOptions.resource, checkOptions.resourceMetadata) ?? base.resource);
  // A plain record, no closures: this runs on every guarded request.
  const check: StartedCheck = { token: '', required, resource, settings, reporter: checkOptions.onError ?? base.onError ?? checkOptions.fallbackOnError };
  const headers = flattenHeaders(request);
  if (!headers.ok) return { ok: false, outcome: refusal(check, protocolFailure('invalid_request', headers.description)) };
  const query = flattenParameters(request.query);
  if (!query.ok) return { ok: false, outcome: refusal(check, protocolFailure('invalid_request', query.description)) };
  const body = flattenParameters(request.body);
  if (!body.ok) return { ok: false, outcome: refusal(check, protocolFailure('invalid_request', body.description)) };
  const presented = presentedBearerToken(String(request.method).toUpperCase(), headers.headers, query.parameters, body.parameters, base.allowQuery);
  if (!presented.ok) {
    const failure = presented.error === 'no_credentials' ? protocolFailure('no_credentials', '', 401) : protocolFailure('invalid_request', presented.description);
    return { ok: false, outcome: refusal(check, failure) };
  }
  check.token = presented.token;
  return { ok: true, check };
}

/**
 * The check's answer to `failure`. A failure that is not a protocol error is told to the check's
 * reporter with `error`, unless `reported` says it was told already.
 */
export function refusal(check: StartedCheck, failure: Failure, error?: unknown, reported = false): OAuthGuardOutcome {
  return { ok: false, response: bearerErrorResponse(failure, check.required, check.settings, reported ? undefined : check.reporter, error) };
}

/** Whether `granted` holds every scope of `required`. */
export function holdsScopes(granted: readonly string[], required: readonly string[]): boolean {
  return required.every((name) => granted.includes(name));
}

/**
 * The resource a guard or a check protects: `resource` as given, else the described resource of
 * `resourceMetadata`. Checked here, so that a misspelt identifier fails when the guard is built.
 */
export function protectedResourceOf(resource: string | undefined, metadata: string | ProtectedResource | undefined): string | undefined {
  if (resource === undefined) return typeof metadata === 'object' ? metadata.resource : undefined;
  if (!isResourceIdentifier(resource)) {
    throw new TypeError(`guard resource must be an absolute URI without a fragment, of at most 512 characters (RFC 8707 §2), got ${JSON.stringify(resource)}`);
  }
  return resource;
}
