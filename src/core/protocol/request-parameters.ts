import type { OAuthHttpRequest } from './http.js';

/**
 * Request parameters as the OAuth endpoints consume them: one string per name. RFC 6749 §3.1:
 * "Request and response parameters MUST NOT be included more than once", so a repeated parameter
 * (an array after parsing) refuses the whole request.
 */

/** Parameters of one request, each a single string. */
export type Parameters = Record<string, string>;

/** Either the flattened parameters, or why the request is refused. */
export type ParametersOutcome = { ok: true; parameters: Parameters } | { ok: false; description: string };

/**
 * Flattens parsed query or body parameters. Repeated names are refused. Values that are neither
 * strings nor arrays (a JSON body may carry numbers, objects, null) are refused too when they are
 * OAuth parameters; of other names they are dropped, as unknown parameters are ignored
 * (RFC 6749 §3.1).
 */
export function flattenParameters(input: Record<string, unknown> | undefined | null): ParametersOutcome {
  const parameters: Parameters = Object.create(null) as Parameters;
  if (input === undefined || input === null) return { ok: true, parameters };
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, description: 'Invalid request: parameters must be name/value pairs' };
  }
  for (const [name, value] of Object.entries(input)) {
    if (Array.isArray(value)) {
      return { ok: false, description: `Invalid request: parameter \`${printable(name)}\` is repeated` };
    }
    if (typeof value === 'string') parameters[name] = value;
    else if (value !== undefined && KNOWN_PARAMETERS.has(name)) {
      return { ok: false, description: `Invalid request: parameter \`${name}\` must be a string` };
    }
  }
  return { ok: true, parameters };
}

/** Names the token, revocation, introspection and authorization endpoints read. */
const KNOWN_PARAMETERS = new Set([
  'grant_type',
  'client_id',
  'client_secret',
  'scope',
  'code',
  'redirect_uri',
  'code_verifier',
  'refresh_token',
  'username',
  'password',
  'token',
  'token_type_hint',
  'access_token',
  'response_type',
  'state',
  'code_challenge',
  'code_challenge_method',
]);

/** A parameter name fit to appear in an error_description (RFC 6749 §5.2 character set). */
function printable(name: string): string {
  return /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/.test(name) ? name : '(unprintable)';
}

/** Headers flattened to single strings; a repeated header (an array) is refused. */
export type HeadersOutcome = { ok: true; headers: Record<string, string> } | { ok: false; description: string };

export function flattenHeaders(request: OAuthHttpRequest): HeadersOutcome {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length === 1 && typeof value[0] === 'string') headers[name.toLowerCase()] = value[0];
      else return { ok: false, description: `Invalid request: header \`${printable(name)}\` is repeated` };
    } else if (typeof value === 'string') {
      headers[name.toLowerCase()] = value;
    }
  }
  return { ok: true, headers };
}

/**
 * Only the headers `names` (lower-case), flattened as {@link flattenHeaders} does: for a check that
 * reads a handful of headers on every request (the guard), without copying every header the
 * request carries. Names are looked up as Node gives them (lower-case); unless the first of them is
 * found so, every name is also compared case-insensitively, for adapters that keep names as sent. A repeated header among `names` is
 * refused; other headers are not read at all.
 */
export function pickHeaders(request: OAuthHttpRequest, names: readonly string[]): HeadersOutcome {
  const source = request.headers ?? {};
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = source[name];
    if (value !== undefined && !takeHeader(headers, name, value)) return repeatedHeader(name);
  }
  // The first name found as given (a guarded request's Authorization): the others are absent.
  if (names[0] !== undefined && names[0] in headers) return { ok: true, headers };
  for (const [name, value] of Object.entries(source)) {
    const lower = name.toLowerCase();
    if (lower === name || value === undefined || !names.includes(lower) || lower in headers) continue;
    if (!takeHeader(headers, lower, value)) return repeatedHeader(name);
  }
  return { ok: true, headers };
}

/** Stores a single header value; false for a repeated one. */
function takeHeader(headers: Record<string, string>, name: string, value: unknown): boolean {
  if (Array.isArray(value)) {
    if (value.length !== 1 || typeof value[0] !== 'string') return false;
    headers[name] = value[0];
  } else if (typeof value === 'string') {
    headers[name] = value;
  }
  return true;
}

function repeatedHeader(name: string): HeadersOutcome {
  return { ok: false, description: `Invalid request: header \`${printable(name)}\` is repeated` };
}
