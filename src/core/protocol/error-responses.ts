import OAuth2Server from '@node-oauth/oauth2-server';
import { StorageUnavailableError } from '../errors.js';
import { TooManyFailedAttemptsError } from '../runtime/failed-attempt-limiter.js';
import type { OAuthHttpResponse } from './http.js';

/**
 * Turns whatever a handler threw into an RFC 6749 §5.2 error response. Protocol errors keep their
 * code and description; a storage failure becomes 503 `temporarily_unavailable`; anything else a
 * generic 500 `server_error`. Internal messages (driver errors, stack traces) never reach the body.
 */

/** How a failure is answered. */
export type Failure =
  | { kind: 'protocol'; error: string; description: string; status: number; retryAfterSeconds?: number }
  | { kind: 'unavailable' }
  | { kind: 'internal' };

/** Settings shared by every error-answering interactor. */
export interface ErrorResponseSettings {
  /** Answer every error with 403, as the ancestor library did. */
  legacyForbiddenErrors: boolean;
  /** Told about failures that are not protocol errors (storage down, bugs), for logging. */
  onError: ((error: unknown) => void) | undefined;
}

function isStorageFailure(error: unknown, depth = 0): boolean {
  if (error instanceof StorageUnavailableError) return true;
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const { inner, cause } = error as { inner?: unknown; cause?: unknown };
  return isStorageFailure(inner, depth + 1) || isStorageFailure(cause, depth + 1);
}

/** The throttling refusal along an error's `inner` (oauth2-server wraps model errors) and `cause` links. */
function throttlingOf(error: unknown, depth = 0): TooManyFailedAttemptsError | undefined {
  if (error instanceof TooManyFailedAttemptsError) return error;
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const { inner, cause } = error as { inner?: unknown; cause?: unknown };
  return throttlingOf(inner, depth + 1) ?? throttlingOf(cause, depth + 1);
}

export function classifyFailure(error: unknown): Failure {
  if (isStorageFailure(error)) return { kind: 'unavailable' };
  const throttled = throttlingOf(error);
  if (throttled) {
    // 429 and Retry-After (RFC 6585 §4, RFC 9110 §10.2.3); the error code is the one RFC 6749
    // registers for "try again later", as the request itself may be well-formed.
    return {
      kind: 'protocol',
      error: 'temporarily_unavailable',
      description: 'Too many failed authentication attempts; retry later',
      status: 429,
      retryAfterSeconds: throttled.retryAfterSeconds,
    };
  }
  if (error instanceof OAuth2Server.OAuthError && error.code >= 400 && error.code < 500) {
    return { kind: 'protocol', error: error.name, description: error.message, status: error.code };
  }
  return { kind: 'internal' };
}

/** The JSON body of an error (RFC 6749 §5.2). */
export function errorBody(error: string, description: string): { error: string; error_description: string } {
  return { error, error_description: description };
}

/**
 * The response for a failure of the token, revocation or introspection endpoint.
 * `invalid_client` is 401 with a Basic challenge (RFC 6749 §5.2: the client authenticates with
 * HTTP Basic, so that is the scheme it is challenged to use).
 */
export function endpointErrorResponse(
  failure: Failure,
  settings: ErrorResponseSettings & { realm: string },
  error?: unknown,
): OAuthHttpResponse {
  const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache' };
  let status: number;
  let body: { error: string; error_description: string };
  switch (failure.kind) {
    case 'protocol':
      status = failure.error === 'invalid_client' ? 401 : failure.status;
      body = errorBody(failure.error, failure.description);
      if (status === 401) headers['www-authenticate'] = `Basic realm="${settings.realm}"`;
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      break;
    case 'unavailable':
      settings.onError?.(error);
      status = 503;
      body = errorBody('temporarily_unavailable', 'The authorization server is temporarily unavailable');
      break;
    case 'internal':
      settings.onError?.(error);
      status = 500;
      body = errorBody('server_error', 'The authorization server encountered an unexpected condition');
      break;
  }
  return { status: settings.legacyForbiddenErrors ? 403 : status, headers, body };
}

/** Throws unless `realm` can be quoted in a challenge as is (RFC 9110 §11.2 quoted-string). */
export function assertRealm(realm: string): void {
  if (typeof realm !== 'string' || !/^[\x20\x21\x23-\x5B\x5D-\x7E]{1,200}$/.test(realm)) {
    throw new TypeError('realm must be 1–200 printable ASCII characters without quotes or backslashes');
  }
}
