import { isResourceIdentifier } from '../provider/resource-indicators.js';
import { isScopeToken } from '../provider/scope.js';
import { presentedBearerToken } from './bearer-token.js';
import { assertRealm, bearerErrorResponse, protocolFailure, type BearerErrorSettings, type Failure } from './error-responses.js';
import type { OAuthHttpRequest } from './http.js';
import type { GuardCheckOptions, OAuth2GuardInteractor, OAuthGuardOutcome } from './interactors.js';
import { resourceMetadataParameter, type ProtectedResource } from './protected-resource.js';
import { pickHeaders } from './request-parameters.js';

/**
 * What every guard does before it judges a token, whatever it judges it against (a database, a
 * signature): read the one bearer token of the request (RFC 6750 §2), refuse a malformed request,
 * and settle which resource and scope this check requires and how its refusals are answered.
 */

/** The headers a bearer token may depend on (RFC 6750 §2.1, and §2.2 for a form body). */
const BEARER_HEADERS = ['authorization', 'content-type', 'content-length', 'transfer-encoding'] as const;

/** The options every guard shares. */
export interface GuardBaseOptions {
  realm?: string;
  legacyForbiddenErrors?: boolean;
  allowBearerTokensInQueryString?: boolean;
  resourceMetadata?: string | ProtectedResource;
  resource?: string;
  acceptAnyAudience?: boolean;
  onError?: (error: unknown) => void;
}

/** A guard's settings, checked once when it is built. */
export interface GuardBase {
  settings: BearerErrorSettings;
  /** The resource a token must be for; none: the token must be for no resource, unless `anyAudience`. */
  resource: string | undefined;
  /** Admit a valid token whatever its audience (`acceptAnyAudience`). */
  anyAudience: boolean;
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
  const resource = protectedResourceOf(options.resource, options.resourceMetadata);
  return {
    settings,
    resource,
    anyAudience: acceptsAnyAudience(options.acceptAnyAudience, resource, false),
    allowQuery: options.allowBearerTokensInQueryString === true,
    onError: options.onError,
  };
}

/** A check that found a token to judge. */
export interface StartedCheck {
  token: string;
  /** The scopes the token must all hold. */
  required: readonly string[];
  /** The resource the token must be for (RFC 8707 §2); none: a token asked for no resource. */
  resource: string | undefined;
  /** Admit a valid token whatever its audience, in place of the `resource` rule. */
  anyAudience: boolean;
  /** How this check's refusals are answered. */
  settings: BearerErrorSettings;
  /** Who is told about this check's failures that are not protocol errors. */
  reporter: ((error: unknown) => void) | undefined;
}

/**
 * A check's settings, before its token is read: which scopes and resource it requires and how its
 * refusals are answered. Throws a TypeError for a required scope that is no scope-token: a
 * programming error, not a request's.
 */
export function checkOf(base: GuardBase, checkOptions: GuardCheckOptions): StartedCheck {
  const required = checkOptions.scope ?? NO_SCOPE;
  if (!checkedScopeLists.has(required)) assertScopeList(required);
  // Checked before the request is judged, so that a wrong option fails every check alike.
  const settings =
    checkOptions.resourceMetadata === undefined
      ? base.settings
      : { ...base.settings, resourceMetadata: checkedMetadataParameter(checkOptions.resourceMetadata) };
  const named =
    checkOptions.resource === undefined && checkOptions.resourceMetadata === undefined
      ? undefined
      : protectedResourceOf(checkOptions.resource, checkOptions.resourceMetadata);
  const resource = named ?? base.resource;
  // A check that names its resource is bound to it, whatever the guard accepts.
  const anyAudience = acceptsAnyAudience(checkOptions.acceptAnyAudience, named, named === undefined && base.anyAudience);
  // A plain record, no closures: this runs on every guarded request.
  return { token: '', required, resource, anyAudience, settings, reporter: checkOptions.onError ?? base.onError ?? checkOptions.fallbackOnError };
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
  const check = checkOf(base, checkOptions);
  const headers = pickHeaders(request, BEARER_HEADERS);
  if (!headers.ok) return { ok: false, outcome: refusal(check, protocolFailure('invalid_request', headers.description)) };
  // Only the token's own parameter: the rest of the query and body is the API's, free to repeat
  // names or carry any JSON.
  const inQuery = accessTokenParameter(request.query);
  if (typeof inQuery === 'object') return { ok: false, outcome: refusal(check, protocolFailure('invalid_request', inQuery.description)) };
  const inBody = accessTokenParameter(request.body);
  if (typeof inBody === 'object') return { ok: false, outcome: refusal(check, protocolFailure('invalid_request', inBody.description)) };
  const presented = presentedBearerToken(String(request.method).toUpperCase(), headers.headers, inQuery, inBody, base.allowQuery);
  if (!presented.ok) {
    const failure = presented.error === 'no_credentials' ? protocolFailure('no_credentials', '', 401) : protocolFailure('invalid_request', presented.description);
    return { ok: false, outcome: refusal(check, failure) };
  }
  check.token = presented.token;
  return { ok: true, check };
}

/**
 * The token of a request that presents one the usual way — a single `Authorization` header of the
 * Bearer scheme, no `access_token` parameter in its query or body, no repeated header the full
 * reading refuses — read without checking its syntax; undefined for any other request, which
 * {@link startGuardCheck} reads in full.
 *
 * Only for looking the token up among those a guard keeps after admitting them: tokens the kit
 * issues (random base64url, or a JWT's base64url segments) all fit the b64token grammar (RFC 6750
 * §2.1), so a string that breaks it finds none of them, and a hit is answered as the full reading
 * would answer; a miss goes on to that reading. It spares each request that presents a kept token
 * a pattern match over the whole token.
 */
export function keptTokenCandidate(request: OAuthHttpRequest): string | undefined {
  const headers = request.headers;
  const authorization = headers?.['authorization'];
  // A repeated header reaches the guard as an array (or joined with commas, which no token holds).
  if (typeof authorization !== 'string' || authorization.length <= BEARER_PREFIX.length) return undefined;
  if (!hasBearerPrefix(authorization)) return undefined;
  if (hasOwnAccessToken(request.query) || hasOwnAccessToken(request.body)) return undefined;
  // The other headers the full reading takes, refused there when repeated (Node never repeats them).
  if (Array.isArray(headers['content-type']) || Array.isArray(headers['content-length']) || Array.isArray(headers['transfer-encoding'])) {
    return undefined;
  }
  return authorization.slice(BEARER_PREFIX.length);
}

/**
 * The interactor of a guard whose checks may be answered at once: `check` is `checkEagerly` as a
 * promise. `checkEagerly` is not enumerable, so that a copy made to wrap `check`
 * (`{ ...guard, check: audited }`) does not keep it, and a binding that prefers it cannot pass the
 * wrapper by.
 */
export function guardInteractor(
  checkEagerly: (request: OAuthHttpRequest, options?: GuardCheckOptions) => OAuthGuardOutcome | Promise<OAuthGuardOutcome>,
): OAuth2GuardInteractor {
  const interactor: OAuth2GuardInteractor = {
    check(request, options) {
      try {
        return Promise.resolve(checkEagerly(request, options));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
  Object.defineProperty(interactor, 'checkEagerly', { value: checkEagerly, enumerable: false, writable: true, configurable: true });
  return interactor;
}

const BEARER_PREFIX = 'bearer ';

/** Whether `value` begins with `Bearer ` in any case (RFC 9110 §11.1), without lower-casing the whole value. */
function hasBearerPrefix(value: string): boolean {
  // | 0x20 lower-cases an ASCII letter and maps no other character onto a lower-case letter; the
  // space, which | 0x20 would confuse with NUL, is compared as it is.
  for (let index = 0; index < BEARER_PREFIX.length - 1; index++) {
    if ((value.charCodeAt(index) | 0x20) !== BEARER_PREFIX.charCodeAt(index)) return false;
  }
  return value.charCodeAt(BEARER_PREFIX.length - 1) === 0x20;
}

function hasOwnAccessToken(source: Record<string, unknown> | undefined | null): boolean {
  return typeof source === 'object' && source !== null && Object.hasOwn(source, 'access_token');
}

const REPEATED_ACCESS_TOKEN = { description: 'Invalid request: parameter `access_token` is repeated' };
const NON_STRING_ACCESS_TOKEN = { description: 'Invalid request: parameter `access_token` must be a string' };

/**
 * The `access_token` parameter of a parsed query or body (RFC 6750 §2.2, §2.3): its value, or
 * none, or why the request is refused: repeated (RFC 6749 §3.1, parameters "MUST NOT be included
 * more than once"), or not a string (a JSON body's number or object).
 */
function accessTokenParameter(source: Record<string, unknown> | undefined | null): string | undefined | { description: string } {
  if (typeof source !== 'object' || source === null || !Object.hasOwn(source, 'access_token')) return undefined;
  const value = source['access_token'];
  if (typeof value === 'string' || value === undefined) return value;
  return Array.isArray(value) ? REPEATED_ACCESS_TOKEN : NON_STRING_ACCESS_TOKEN;
}

/**
 * The check's answer to `failure`. A failure that is not a protocol error is told to the check's
 * reporter with `error`, unless `reported` says it was told already.
 */
export function refusal(check: StartedCheck, failure: Failure, error?: unknown, reported = false): OAuthGuardOutcome {
  return { ok: false, response: bearerErrorResponse(failure, check.required, check.settings, reported ? undefined : check.reporter, error) };
}

/**
 * Why the check refuses a token of this audience (RFC 8707 §2), or undefined when it admits it: a
 * check bound to a resource admits only tokens issued for it; one bound to none, only tokens asked
 * for none, so that a token minted for one resource is not replayed at another that names no
 * resource (RFC 9700 §4.10, MCP's token passthrough); one that accepts any audience, every token.
 */
export function audienceRefusal(check: StartedCheck, audience: readonly string[]): Failure | undefined {
  if (check.anyAudience) return undefined;
  if (check.resource === undefined) {
    return audience.length === 0 ? undefined : protocolFailure('invalid_token', 'Invalid token: access token was issued for another resource', 401);
  }
  return audience.includes(check.resource) ? undefined : protocolFailure('invalid_token', 'Invalid token: access token is not for this resource', 401);
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
  if (checkedResources.has(resource)) return resource;
  if (!isResourceIdentifier(resource)) {
    throw new TypeError(`guard resource must be an absolute URI without a fragment, of at most 512 characters (RFC 8707 §2), got ${JSON.stringify(resource)}`);
  }
  remember(checkedResources, resource);
  return resource;
}

const NO_SCOPE: readonly string[] = Object.freeze([]);

/**
 * Frozen scope lists found valid before: a route hands the same one with each of its requests
 * (the Koa guard freezes its copy), and checking it once spares every request a pattern match per
 * scope. Only frozen lists, which cannot have changed since; weakly held, so no route is kept alive.
 */
const checkedScopeLists = new WeakSet<readonly string[]>([NO_SCOPE]);

function assertScopeList(required: unknown): asserts required is string[] {
  if (!Array.isArray(required) || !required.every(isScopeToken)) {
    throw new TypeError('guard scope must be a list of scope-tokens (RFC 6749 §3.3)');
  }
  if (Object.isFrozen(required)) checkedScopeLists.add(required);
}

/**
 * Option values found valid before. A route's options (its `resource`, its metadata URL) come with
 * each of its requests, never from one: checking them once spares every guarded request a URL parse.
 * Bounded, though only code puts values here.
 */
const checkedResources = new Set<string>();
const checkedMetadataUrls = new Set<string>();
const MAX_CHECKED_VALUES = 256;

function remember(checked: Set<string>, value: string): void {
  if (checked.size < MAX_CHECKED_VALUES) checked.add(value);
}

/** `resourceMetadataParameter`, once per metadata URL given as a string. */
function checkedMetadataParameter(value: string | ProtectedResource): string {
  if (typeof value !== 'string') return resourceMetadataParameter(value);
  if (checkedMetadataUrls.has(value)) return value;
  const parameter = resourceMetadataParameter(value);
  remember(checkedMetadataUrls, value);
  return parameter;
}

/**
 * Whether a guard or a check admits every audience: its `acceptAnyAudience` when given (a boolean,
 * and never beside a resource it would contradict), else `inherited`. Throws a TypeError naming the
 * wrong option, when the guard is built or the check made.
 */
export function acceptsAnyAudience(option: unknown, resource: string | undefined, inherited: boolean): boolean {
  if (option === undefined) return inherited;
  if (typeof option !== 'boolean') throw new TypeError(`guard acceptAnyAudience must be true or false, got ${JSON.stringify(option)}`);
  if (option && resource !== undefined) {
    throw new TypeError(`guard acceptAnyAudience cannot be combined with resource ${JSON.stringify(resource)}: a guard bound to a resource admits only its tokens (RFC 8707 §2)`);
  }
  return option;
}
