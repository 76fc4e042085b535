import OAuth2Server from '@node-oauth/oauth2-server';
import type { OAuthHttpRequest } from '../protocol/http.js';

/**
 * The guard's fast path: the overwhelmingly common request — one `Authorization: Bearer` header,
 * no token in the query or body, nothing repeated — answered with the same decisions and errors
 * oauth2-server's `AuthenticateHandler` would make (lib/handlers/authenticate-handler.js, 5.3),
 * without building its request, response and handler objects and copying every header and
 * parameter for each check. Every other request takes the full path, which stays the reference:
 * the fast path only ever declines, it never decides differently (test/performance proves the two
 * agree on the same inputs).
 */

const { InsufficientScopeError, InvalidTokenError, OAuthError, ServerError } = OAuth2Server;

/** RFC 6750 §2.1 `b64token`, matched exactly as oauth2-server matches it. */
const BEARER = /^Bearer ([0-9a-zA-Z-._~+/]+=*)$/;
const UPPER_CASE = /[A-Z]/;

/** The model methods the fast path calls, as oauth2-server's handler would. */
interface AuthenticatingModel {
  getAccessToken(token: string): Promise<unknown>;
  verifyScope?(token: unknown, scope: string[]): Promise<boolean>;
}

/**
 * True when every own value is a string (or undefined): then the full path's flattening would
 * accept the object and produce the same strings. Header names must also be lower-case, since the
 * full path folds them.
 */
function isFlatStrings(record: unknown, lowerCaseNames: boolean): boolean {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
  for (const name in record) {
    const value = (record as Record<string, unknown>)[name];
    if (typeof value !== 'string' && value !== undefined) return false;
    if (lowerCaseNames && UPPER_CASE.test(name)) return false;
  }
  return true;
}

/**
 * The bearer token of a request the fast path may take, or undefined when the full path must
 * judge it (no header, another scheme, a malformed value, a token also in the query or body, a
 * repeated header or parameter, …).
 */
export function plainBearerToken(request: OAuthHttpRequest): string | undefined {
  const { method, headers, query, body } = request;
  // The full path refuses a missing or non-string method; leave such requests to it.
  if (typeof method !== 'string' || method === '') return undefined;
  const authorization = headers?.authorization;
  if (typeof authorization !== 'string') return undefined;
  if (!isFlatStrings(headers, true) || !isFlatStrings(query, false) || !isFlatStrings(body, false)) return undefined;
  if (query.access_token !== undefined || body.access_token !== undefined) return undefined;
  return BEARER.exec(authorization)?.[1];
}

/**
 * The model of `server` when the fast path can stand in for `server.authenticate()` with the given
 * required scopes, or undefined. oauth2-server keeps its constructor options, model included, on
 * `server.options`; a server-wide default `scope` (applied when the guard requires none) is left
 * to the full path.
 */
export function fastPathModel(server: OAuth2Server, required: readonly string[]): AuthenticatingModel | undefined {
  const options = (server as unknown as { options?: { model?: Partial<AuthenticatingModel>; scope?: unknown } }).options;
  const model = options?.model;
  if (typeof model?.getAccessToken !== 'function') return undefined;
  if (required.length > 0 ? typeof model.verifyScope !== 'function' : options!.scope !== undefined) return undefined;
  return model as AuthenticatingModel;
}

/**
 * `AuthenticateHandler.handle` for a token taken from the Authorization header: the same checks in
 * the same order, the same error classes and messages, and anything that is not an OAuth error
 * wrapped in `ServerError` as it does.
 */
export async function authenticateBearer(
  model: AuthenticatingModel,
  token: string,
  required: string[],
): Promise<unknown> {
  try {
    const accessToken = (await model.getAccessToken(token)) as { user?: unknown; accessTokenExpiresAt?: unknown } | null;
    if (!accessToken) throw new InvalidTokenError('Invalid token: access token is invalid');
    if (!accessToken.user) throw new ServerError('Server error: `getAccessToken()` did not return a `user` object');
    if (!(accessToken.accessTokenExpiresAt instanceof Date)) {
      throw new ServerError('Server error: `accessTokenExpiresAt` must be a Date instance');
    }
    if (accessToken.accessTokenExpiresAt < new Date()) throw new InvalidTokenError('Invalid token: access token has expired');
    if (required.length > 0 && !(await model.verifyScope!(accessToken, required))) {
      throw new InsufficientScopeError('Insufficient scope: authorized scope is insufficient');
    }
    return accessToken;
  } catch (error) {
    if (!(error instanceof OAuthError)) throw new ServerError(error as Error);
    throw error;
  }
}
