import { authenticateEndpointRequest, invalidRequest, type EndpointOutcome } from './endpoint-client-authentication.js';
import type { OAuthHttpRequest } from './http.js';
import { isAccessTokenActive, isRefreshTokenActive, type Credentials } from '../provider/credentials.js';
import { findPresentedToken } from './revocation.js';

/** An RFC 7662 §2.2 introspection response. */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      scope?: string;
      client_id: string;
      username?: string;
      /** `Bearer` for access tokens (RFC 6750), `refresh_token` for refresh tokens. */
      token_type: 'Bearer' | 'refresh_token';
      /** Seconds since the epoch. */
      exp: number;
      iat: number;
      /** The user, or the client itself for client_credentials tokens. */
      sub: string;
    };

const seconds = (instant: Date) => Math.floor(instant.getTime() / 1000);

/**
 * RFC 7662 token introspection, for confidential clients (typically resource servers): §2.1 asks
 * for authorization of the caller, and a public client proves nothing. Any token that is unknown,
 * revoked or expired is just `{ active: false }` (§2.2), with no reason given.
 */
export async function introspectPresentedToken(
  credentials: Credentials,
  request: OAuthHttpRequest,
): Promise<EndpointOutcome<IntrospectionResponse>> {
  const authenticated = await authenticateEndpointRequest(credentials, request);
  if (!authenticated.ok) return authenticated;
  const { client, parameters } = authenticated;
  if (client.secretHash === null) {
    return {
      ok: false,
      failure: { kind: 'protocol', error: 'invalid_client', description: 'Invalid client: introspection requires a confidential client', status: 401 },
    };
  }
  const value = parameters['token'];
  if (!value) return invalidRequest('Missing parameter: `token`');
  const found = await findPresentedToken(credentials, value, parameters['token_type_hint']);
  const now = credentials.now();
  if (!found) return { ok: true, value: { active: false } };
  const { kind, token } = found;
  const active = kind === 'access_token' ? isAccessTokenActive(token, now) : isRefreshTokenActive(token, now);
  const expiresAt = kind === 'access_token' ? token.accessTokenExpiresAt : token.refreshTokenExpiresAt;
  if (!active || !expiresAt) return { ok: true, value: { active: false } };
  return {
    ok: true,
    value: {
      active: true,
      ...(token.scope ? { scope: token.scope } : {}),
      client_id: token.clientId,
      ...(token.username !== null ? { username: token.username } : {}),
      token_type: kind === 'access_token' ? 'Bearer' : 'refresh_token',
      exp: seconds(expiresAt),
      iat: seconds(token.createdAt),
      sub: token.userId ?? token.clientId,
    },
  };
}
