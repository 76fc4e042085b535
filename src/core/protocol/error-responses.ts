import { ClientMetadataError } from '../provider/client-metadata/client-metadata-error.js';
import { StorageUnavailableError } from '../errors.js';
import { libraryProtocolError } from '../oauth2-server/library-errors.js';
import { TooManyFailedAttemptsError } from '../runtime/attempt-throttle.js';
import { PasswordCheckBusyError } from '../runtime/password-check-gate.js';
import { bearerChallenge } from './bearer-challenge.js';
import { errorText } from './error-text.js';
import type { OAuthHttpResponse } from './http.js';

/**
 * Every error answer of the endpoints, in one place. Protocol errors keep their code and
 * description (RFC 6749 §5.2, RFC 6750 §3.1); a storage failure becomes 503
 * `temporarily_unavailable`; anything else a generic 500 `server_error`. Internal messages (driver
 * errors, stack traces) never reach a body: they go to the reporter, for logs.
 */

/** RFC 6749 §5.1: responses carrying tokens or credentials must not be cached. */
export const NO_STORE: Readonly<Record<string, string>> = Object.freeze({ 'cache-control': 'no-store', pragma: 'no-cache' });

/** How a failure is answered. */
export type Failure =
  | {
      kind: 'protocol';
      error: string;
      description: string;
      status: number;
      retryAfterSeconds?: number;
      /** Why, in words the client is not told: the error is given to the reporter, for logs. */
      withheld?: Error;
    }
  | { kind: 'unavailable' }
  | { kind: 'internal' };

/**
 * Told about failures that are not protocol errors (storage down, bugs), and about the causes a
 * refusal keeps from the client (why a client metadata document could not be fetched), for logging.
 */
export type Reporter = ((error: unknown) => void) | undefined;

/** Settings shared by every error-answering endpoint. */
export interface ErrorResponseSettings {
  /** Answer every error with 403, as the ancestor library did. */
  legacyForbiddenErrors: boolean;
  /** Realm of the `WWW-Authenticate` challenges. */
  realm: string;
}

/** A protocol refusal. */
export function protocolFailure(error: string, description: string, status = 400): Failure {
  return { kind: 'protocol', error, description, status };
}

/** Follows an error's `inner` (oauth2-server wraps model errors) and `cause` links, a few deep. */
function findAlong<T>(error: unknown, match: (candidate: unknown) => candidate is T, depth = 0): T | undefined {
  if (match(error)) return error;
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const { inner, cause } = error as { inner?: unknown; cause?: unknown };
  return findAlong(inner, match, depth + 1) ?? findAlong(cause, match, depth + 1);
}

const isStorageFailure = (error: unknown): error is StorageUnavailableError => error instanceof StorageUnavailableError;
const isThrottling = (error: unknown): error is TooManyFailedAttemptsError => error instanceof TooManyFailedAttemptsError;
const isBusy = (error: unknown): error is PasswordCheckBusyError => error instanceof PasswordCheckBusyError;
const isClientMetadataFailure = (error: unknown): error is ClientMetadataError => error instanceof ClientMetadataError;

/** How whatever a handler threw is answered. */
export function classifyFailure(error: unknown): Failure {
  if (findAlong(error, isStorageFailure)) return { kind: 'unavailable' };
  const throttled = findAlong(error, isThrottling);
  if (throttled) {
    // 429 and Retry-After (RFC 6585 §4, RFC 9110 §10.2.3) with a code RFC 6749 §5.2 registers for
    // the token endpoint (`temporarily_unavailable` is the authorization endpoint's, §4.1.2.1): a
    // client throttled after a wrong secret did fail to authenticate (`invalid_client`); a password
    // attempt refused unchecked is a request this server will not process now (`invalid_request`).
    return {
      kind: 'protocol',
      error: throttled.subject === 'client' ? 'invalid_client' : 'invalid_request',
      description: `Too many failed attempts from this address; retry in ${throttled.retryAfterSeconds} s`,
      status: 429,
      retryAfterSeconds: throttled.retryAfterSeconds,
    };
  }
  const busy = findAlong(error, isBusy);
  if (busy) {
    return busy.reason === 'source'
      ? {
          kind: 'protocol',
          error: 'invalid_request',
          description: 'Too many sign-in attempts in progress from this address; retry in a moment',
          status: 429,
          retryAfterSeconds: busy.retryAfterSeconds,
        }
      : {
          kind: 'protocol',
          error: 'temporarily_unavailable',
          description: 'The authorization server is busy; retry in a moment',
          status: 503,
          retryAfterSeconds: busy.retryAfterSeconds,
        };
  }
  // A client_id whose metadata document cannot be used names no client this server knows. The
  // description is the error's message: what is wrong with a document that was served (it is
  // public), and for one that could not be fetched from a public address nothing more than that —
  // where its host resolved or why it did not answer would map the server's network for whoever
  // asks (draft-ietf-oauth-client-id-metadata-document-01 §6.5). That cause goes to the reporter.
  const metadata = findAlong(error, isClientMetadataFailure);
  if (metadata) return metadataFailure(metadata);
  const protocol = libraryProtocolError(error);
  return protocol ? { kind: 'protocol', ...protocol } : { kind: 'internal' };
}

/**
 * A document that could not be used is `invalid_client`. One that was not fetched at all is a
 * request this server will not process now, answered as the throttle answers one (RFC 6585 §4,
 * RFC 9110 §10.2.3): 429 `invalid_request` for a source past its fetches, 503
 * `temporarily_unavailable` while too many are in flight, each with `Retry-After`.
 */
function metadataFailure(error: ClientMetadataError): Failure {
  const retryAfterSeconds = error.retryAfterSeconds ?? 1;
  // The messages cite the draft's sections and quote what a document holds: RFC 6749 §5.2 allows
  // neither a section sign nor a quotation mark in an error_description.
  const description = errorText(error.message);
  if (error.code === 'client_metadata_throttled') {
    return { kind: 'protocol', error: 'invalid_request', description, status: 429, retryAfterSeconds };
  }
  if (error.code === 'client_metadata_busy') {
    return { kind: 'protocol', error: 'temporarily_unavailable', description, status: 503, retryAfterSeconds };
  }
  return {
    kind: 'protocol',
    error: 'invalid_client',
    description: `Invalid client: ${description}`,
    status: 401,
    // Reported with the cause as its message: what a log prints of an error is its message and stack.
    ...(error.detail === undefined ? {} : { withheld: new ClientMetadataError(error.code, error.detail, { cause: error.cause }) }),
  };
}

/** The JSON body of an error (RFC 6749 §5.2). */
export function errorBody(error: string, description: string): { error: string; error_description: string } {
  return { error, error_description: description };
}

/**
 * An RFC 6749 §5.2 error answer with `no-store` (§5.1), for the failures a framework binding
 * detects itself, before or around an endpoint (an unreadable body, a missing handler, an
 * unexpected exception): the same shape and headers the endpoints answer with.
 */
export function oauthErrorResponse(
  status: number,
  error: string,
  description: string,
  options: { legacyForbiddenErrors?: boolean } = {},
): OAuthHttpResponse {
  return {
    status: options.legacyForbiddenErrors === true ? 403 : status,
    headers: { ...NO_STORE },
    body: errorBody(error, description),
  };
}

/**
 * The answer of the token, revocation or introspection endpoint to a failure. `invalid_client` is
 * 401 with a Basic challenge (RFC 6749 §5.2: the client authenticates with HTTP Basic, so that is
 * the scheme it is challenged to use).
 */
export function endpointErrorResponse(failure: Failure, settings: ErrorResponseSettings, report: Reporter, error?: unknown): OAuthHttpResponse {
  const headers: Record<string, string> = { ...NO_STORE };
  let status: number;
  let body: { error: string; error_description: string };
  switch (failure.kind) {
    case 'protocol':
      // A throttled `invalid_client` keeps its 429 (RFC 6585 §4) and gets no challenge.
      status = failure.error === 'invalid_client' && failure.status !== 429 ? 401 : failure.status;
      body = errorBody(failure.error, failure.description);
      if (failure.withheld !== undefined) report?.(failure.withheld);
      if (status === 401) headers['www-authenticate'] = `Basic realm="${settings.realm}"`;
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      break;
    case 'unavailable':
      report?.(error);
      status = 503;
      body = errorBody('temporarily_unavailable', 'The authorization server is temporarily unavailable');
      break;
    case 'internal':
      report?.(error);
      status = 500;
      body = errorBody('server_error', 'The authorization server encountered an unexpected condition');
      break;
  }
  return { status: settings.legacyForbiddenErrors ? 403 : status, headers, body };
}

/** Settings of the guard's answers: those of every endpoint, and the resource's metadata URL. */
export interface BearerErrorSettings extends ErrorResponseSettings {
  /**
   * The URL of the resource's metadata (RFC 9728 §5.1), named in every Bearer challenge; with it,
   * a 401 also names the scope the resource requires, which MCP (2025-11-25, "Protected Resource
   * Metadata Discovery Requirements") asks for so that a client knows what to request.
   */
  resourceMetadata?: string;
}

/**
 * The guard's answer to a failure (RFC 6750 §3): 401 without error information when no bearer
 * credentials were presented (§3.1: none, or only those of another scheme such as `Basic`), 401
 * `invalid_token`, 403 `insufficient_scope` naming the scope needed, 400 `invalid_request`, each
 * with its Bearer challenge (and `resource_metadata`, RFC 9728 §5.1, when configured); 503 or 500
 * otherwise.
 */
export function bearerErrorResponse(
  failure: Failure,
  required: readonly string[],
  settings: BearerErrorSettings,
  report: Reporter,
  error?: unknown,
): OAuthHttpResponse {
  const respond = (status: number, challenge: string | null, body: unknown): OAuthHttpResponse => ({
    status: settings.legacyForbiddenErrors ? 403 : status,
    headers: challenge === null ? {} : { 'www-authenticate': challenge },
    body,
  });
  const advertised = settings.resourceMetadata === undefined ? {} : { resourceMetadata: settings.resourceMetadata };
  // A 401 names the required scope only alongside the metadata URL, so that the challenges of a
  // guard without `resourceMetadata` stay exactly what they were.
  const scopeOf401 = settings.resourceMetadata === undefined ? [] : required;
  const challenge = (code: string, description: string, scope: readonly string[] = []) =>
    bearerChallenge({ realm: settings.realm, error: { code, description }, scope, ...advertised });
  if (failure.kind !== 'protocol') {
    report?.(error);
    return failure.kind === 'unavailable'
      ? respond(503, null, errorBody('temporarily_unavailable', 'The server is temporarily unavailable'))
      : respond(500, null, errorBody('server_error', 'The server encountered an unexpected condition'));
  }
  switch (failure.error) {
    case 'no_credentials':
      return respond(401, bearerChallenge({ realm: settings.realm, scope: scopeOf401, ...advertised }), '');
    case 'insufficient_scope':
      return respond(403, challenge('insufficient_scope', failure.description, required), errorBody('insufficient_scope', failure.description));
    case 'invalid_token':
      return respond(401, challenge('invalid_token', failure.description, scopeOf401), errorBody('invalid_token', failure.description));
    default:
      return respond(400, challenge('invalid_request', failure.description), errorBody('invalid_request', failure.description));
  }
}

/** Throws unless `realm` can be quoted in a challenge as is (RFC 9110 §11.2 quoted-string). */
export function assertRealm(realm: string): void {
  if (typeof realm !== 'string' || !/^[\x20\x21\x23-\x5B\x5D-\x7E]{1,200}$/.test(realm)) {
    throw new TypeError('realm must be 1–200 printable ASCII characters without quotes or backslashes');
  }
}
