import type { Parameters } from './request-parameters.js';

/** Client credentials as presented on a request (RFC 6749 §2.3.1), not yet checked. */
export type PresentedClientCredentials =
  | { ok: true; clientId: string; clientSecret: string | undefined }
  | { ok: false; error: 'invalid_request' | 'invalid_client'; description: string };

/**
 * Reads client credentials from HTTP Basic or from the `client_id`/`client_secret` parameters.
 * Using both is refused (RFC 6749 §2.3: "MUST NOT use more than one authentication method").
 * Like oauth2-server's token endpoint, Basic values are taken as they are, so that one client
 * authenticates identically at every endpoint.
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
    if (!match || colon < 1) {
      return { ok: false, error: 'invalid_client', description: 'Invalid client: malformed Basic credentials' };
    }
    if (parameters['client_secret'] !== undefined) {
      return { ok: false, error: 'invalid_request', description: 'Invalid request: more than one client authentication method' };
    }
    const clientId = decoded.slice(0, colon);
    if (parameters['client_id'] !== undefined && parameters['client_id'] !== clientId) {
      return { ok: false, error: 'invalid_request', description: 'Invalid request: `client_id` does not match the credentials' };
    }
    return { ok: true, clientId, clientSecret: decoded.slice(colon + 1) };
  }
  const clientId = parameters['client_id'];
  if (clientId === undefined || clientId === '') {
    return { ok: false, error: 'invalid_client', description: 'Invalid client: client authentication is required' };
  }
  return { ok: true, clientId, clientSecret: parameters['client_secret'] };
}
