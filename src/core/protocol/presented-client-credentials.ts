import type { Parameters } from './request-parameters.js';

/** Client credentials as presented on a request (RFC 6749 §2.3.1), not yet checked. */
export type PresentedClientCredentials =
  | { ok: true; clientId: string; clientSecret: string | undefined }
  | { ok: false; error: 'invalid_request' | 'invalid_client'; description: string };

/**
 * Reads client credentials from HTTP Basic or from the `client_id`/`client_secret` parameters, for
 * every endpoint that authenticates clients (token, revocation, introspection), so that one client
 * authenticates identically at each.
 *
 * - RFC 6749 §2.3.1: the client id and secret are encoded with application/x-www-form-urlencoded
 *   (Appendix B) before Basic, so they are decoded after it: `+` is a space, then percent-escapes
 *   are decoded (a client library sends `demo%2Dclient`). A malformed escape is `invalid_client`.
 *   Values without `%` or `+` are unchanged by decoding.
 * - RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request":
 *   Basic with a `client_secret` parameter, or with a `client_id` parameter naming another client,
 *   is `invalid_request`.
 */
export function readClientCredentials(
  headers: Record<string, string>,
  parameters: Parameters,
): PresentedClientCredentials {
  const authorization = headers['authorization'];
  if (authorization !== undefined) {
    const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(authorization.trim());
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const clientId = colon < 1 ? undefined : formDecode(decoded.slice(0, colon));
    const clientSecret = colon < 1 ? undefined : formDecode(decoded.slice(colon + 1));
    if (!match || clientId === undefined || clientId === '' || clientSecret === undefined) {
      return { ok: false, error: 'invalid_client', description: 'Invalid client: malformed Basic credentials' };
    }
    if (parameters['client_secret'] !== undefined) {
      return { ok: false, error: 'invalid_request', description: 'Invalid request: more than one client authentication method' };
    }
    if (parameters['client_id'] !== undefined && parameters['client_id'] !== clientId) {
      return { ok: false, error: 'invalid_request', description: 'Invalid request: `client_id` does not match the credentials' };
    }
    return { ok: true, clientId, clientSecret };
  }
  const clientId = parameters['client_id'];
  if (clientId === undefined || clientId === '') {
    return { ok: false, error: 'invalid_client', description: 'Invalid client: client authentication is required' };
  }
  return { ok: true, clientId, clientSecret: parameters['client_secret'] };
}

/**
 * application/x-www-form-urlencoded decoding of one value (RFC 6749 Appendix B, WHATWG URL
 * §5.1): `+` is a space, then percent-escapes are decoded as UTF-8. Undefined when an escape is
 * malformed or does not decode to UTF-8.
 */
export function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
