import type { OAuthHttpResponse } from '../core/index.js';

/** How the bindings answer the errors they detect themselves. */
export interface BindingErrorSettings {
  /** Answer with 403 whatever the error, like the interactors' option of the same name. */
  legacyForbiddenErrors?: boolean;
}

/**
 * An error response in the shape of RFC 6749 §5.2 (`error`, `error_description`), for the failures
 * the bindings detect before or around any interactor (unreadable body, missing handler, unexpected
 * exception). `no-store` because these answers are per-request (RFC 6749 §5.1).
 */
export function oauthErrorResponse(
  status: number,
  error: string,
  description: string,
  settings: BindingErrorSettings = {},
): OAuthHttpResponse {
  return {
    status: settings.legacyForbiddenErrors === true ? 403 : status,
    headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    body: { error, error_description: description },
  };
}
