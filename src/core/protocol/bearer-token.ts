import type { Parameters } from './request-parameters.js';

/**
 * Where a protected-resource request carries its access token (RFC 6750 §2): the `Authorization:
 * Bearer` header (§2.1), the `access_token` form parameter of a body (§2.2), or, only when the
 * resource allows it, the `access_token` query parameter (§2.3). A request uses exactly one method
 * (§2: "Clients MUST NOT use more than one method"). The decisions and messages are those of
 * oauth2-server 5.3's AuthenticateHandler, which test/oauth2-server/guard-reference.test.ts holds
 * this module to.
 */

/** RFC 6750 §2.1 `b64token`. */
const BEARER = /^Bearer ([0-9a-zA-Z-._~+/]+=*)$/;

/** The token a request presents, or why the request is refused (with no token: 401 without error). */
export type PresentedBearerToken =
  | { ok: true; token: string }
  | { ok: false; error: 'invalid_request'; description: string }
  | { ok: false; error: 'no_credentials' };

export function presentedBearerToken(
  method: string,
  headers: Record<string, string>,
  query: Parameters,
  body: Parameters,
  allowQuery: boolean,
): PresentedBearerToken {
  const header = headers['authorization'];
  const inQuery = query['access_token'];
  const inBody = body['access_token'];
  // Empty values count as absent, as they carry no token.
  if (Number(Boolean(header)) + Number(Boolean(inQuery)) + Number(Boolean(inBody)) > 1) {
    return refuse('Invalid request: only one authentication method is allowed');
  }
  if (header) {
    const match = BEARER.exec(header);
    return match?.[1] ? { ok: true, token: match[1] } : refuse('Invalid request: malformed authorization header');
  }
  if (inQuery) {
    // §2.3: URLs end up in logs, histories and Referer headers; off unless the resource opts in.
    return allowQuery ? { ok: true, token: inQuery } : refuse('Invalid request: do not send bearer tokens in query URLs');
  }
  if (inBody) {
    // §2.2: only in a form-encoded body, and never with GET.
    if (method === 'GET') return refuse('Invalid request: token may not be passed in the body when using the GET verb');
    if (!isFormBody(headers)) return refuse('Invalid request: content must be application/x-www-form-urlencoded');
    return { ok: true, token: inBody };
  }
  return { ok: false, error: 'no_credentials' };
}

function refuse(description: string): PresentedBearerToken {
  return { ok: false, error: 'invalid_request', description };
}

/** A request with a body (RFC 9110 §8.6, §6.1) whose media type is `application/x-www-form-urlencoded`. */
function isFormBody(headers: Record<string, string>): boolean {
  const length = headers['content-length'];
  const hasBody = headers['transfer-encoding'] !== undefined || (length !== undefined && !Number.isNaN(Number(length)));
  const mediaType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  return hasBody && mediaType === 'application/x-www-form-urlencoded';
}
