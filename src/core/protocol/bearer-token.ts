/**
 * Where a protected-resource request carries its access token (RFC 6750 §2): the `Authorization:
 * Bearer` header (§2.1), the `access_token` form parameter of a body (§2.2), or, only when the
 * resource allows it, the `access_token` query parameter (§2.3). A request uses exactly one method
 * (§2: "Clients MUST NOT use more than one method"). The decisions and messages are those of
 * oauth2-server 5.3's AuthenticateHandler, which test/oauth2-server/guard-reference.test.ts holds
 * this module to, except where that test lists a deliberate difference: the scheme is matched
 * case-insensitively, and a header of another scheme is no bearer credential (below).
 */

/**
 * RFC 6750 §2.1 `credentials = "Bearer" 1*SP b64token` with exactly one space, as the library
 * reads it. The scheme is matched case-insensitively (RFC 9110 §11.1: "It uses a case-insensitive
 * token to identify the authentication scheme"; RFC 6750 §2.1 uses that grammar).
 */
const BEARER = /^bearer ([0-9a-zA-Z-._~+/]+=*)$/i;
/** RFC 9110 §11.4 `credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`: its scheme, a `token` (§5.6.2). */
const AUTH_SCHEME = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(?: |$)/;

/** What an `Authorization` header value is to a protected resource. */
type AuthorizationHeader =
  | { kind: 'bearer'; token: string }
  /** Credentials of another scheme (`Basic`, `Digest`…): no bearer credentials (RFC 6750 §3.1). */
  | { kind: 'other-scheme' }
  /** A Bearer header whose token is not a b64token, or a value that is not credentials at all. */
  | { kind: 'malformed' };

function readAuthorizationHeader(value: string): AuthorizationHeader {
  const scheme = AUTH_SCHEME.exec(value)?.[1];
  if (scheme === undefined) return { kind: 'malformed' };
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'other-scheme' };
  const token = BEARER.exec(value)?.[1];
  return token ? { kind: 'bearer', token } : { kind: 'malformed' };
}

/**
 * Whether an `Authorization` header value carries credentials of a scheme other than Bearer
 * (RFC 9110 §11.4), which the guard treats as no bearer credentials at all (RFC 6750 §3.1). For
 * bindings that decide before calling the guard whether a request presents a token (the Koa
 * guard's `passthrough`).
 */
export function isOtherAuthenticationScheme(authorization: string): boolean {
  return readAuthorizationHeader(authorization).kind === 'other-scheme';
}

/** The token a request presents, or why the request is refused (with no token: 401 without error). */
export type PresentedBearerToken =
  | { ok: true; token: string }
  | { ok: false; error: 'invalid_request'; description: string }
  | { ok: false; error: 'no_credentials' };

/**
 * The token of a request whose `Authorization` header (in `headers`), `access_token` query
 * parameter (`inQuery`) and `access_token` body parameter (`inBody`) were read.
 */
export function presentedBearerToken(
  method: string,
  headers: Record<string, string>,
  inQuery: string | undefined,
  inBody: string | undefined,
  allowQuery: boolean,
): PresentedBearerToken {
  // Empty values count as absent, as they carry no token.
  const rawHeader = headers['authorization'];
  const authorization = rawHeader ? readAuthorizationHeader(rawHeader) : null;
  // RFC 6750 §3.1: credentials of another scheme are no bearer credentials, so a request with
  // only those is answered like one without any (401, a bare Bearer challenge, no error code),
  // which tells the client which scheme this resource wants. For the same reason such a header
  // does not count as a second method next to an `access_token` parameter (§2: "more than one
  // method to transmit the token"): that parameter is then the only bearer credential, and is
  // judged alone (a proxy or another layer may well use Basic on the same request).
  const header = authorization !== null && authorization.kind !== 'other-scheme' ? authorization : null;
  if (Number(header !== null) + Number(Boolean(inQuery)) + Number(Boolean(inBody)) > 1) {
    return refuse('Invalid request: only one authentication method is allowed');
  }
  if (header) {
    // A Bearer header with a token that is not a b64token stays 400 (§3.1 "otherwise malformed").
    return header.kind === 'bearer' ? { ok: true, token: header.token } : refuse('Invalid request: malformed authorization header');
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
