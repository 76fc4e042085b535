import { authenticateEndpointRequest, invalidRequest, type EndpointOutcome } from './endpoint-client-authentication.js';
import type { OAuthHttpRequest } from './http.js';
import { isAccessTokenActive, isRefreshTokenActive, type Credentials } from '../provider/credentials.js';
import { parseAudience } from '../provider/resource-indicators.js';
import { findPresentedToken, type PresentedToken } from './revocation.js';
import type { ClientRecord } from '../storage/records.js';

/** An RFC 7662 §2.2 introspection response. */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      scope?: string;
      client_id: string;
      username?: string;
      /**
       * The resources an access token is for (RFC 7662 §2.2, RFC 8707 §2): one identifier as a
       * string, several as an array; absent when it was asked for none, and for refresh tokens,
       * whose audience is this server.
       */
      aud?: string | string[];
      /** `Bearer` for access tokens (RFC 6750), `refresh_token` for refresh tokens. */
      token_type: 'Bearer' | 'refresh_token';
      /** Seconds since the epoch. */
      exp: number;
      iat: number;
      /**
       * The resource owner's user id (RFC 7662 §2.2); absent for a token issued to a client on its
       * own behalf (client_credentials), which has none: a client id is never presented as a
       * subject, where it could be taken for the user of the same id (RFC 9700 §4.15).
       */
      sub?: string;
    };

const seconds = (instant: Date) => Math.floor(instant.getTime() / 1000);

/**
 * Whether `caller` may learn about this token (RFC 7662 §4: the server should determine that the
 * caller is authorized to introspect, lest a client holding a stolen token learn whose it is and
 * what it may do). Every client may introspect the tokens issued to itself; a client registered
 * with `allowIntrospection` (a resource server) also the access tokens of every other client,
 * which is what it is presented. Another client's refresh token is never presented to a resource
 * server, so nobody but its client may introspect it.
 */
function mayIntrospect(caller: ClientRecord, found: PresentedToken): boolean {
  if (found.token.clientId === caller.id) return true;
  return found.kind === 'access_token' && caller.allowIntrospection;
}

/**
 * RFC 7662 token introspection, for confidential clients (typically resource servers): §2.1 asks
 * for authorization of the caller, and a public client proves nothing. Any token that is unknown,
 * revoked, expired or not the caller's to introspect is just `{ active: false }` (§2.2), with no
 * reason given: the answer does not tell a token the caller may not see from one that does not
 * exist.
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
  if (!found || !mayIntrospect(client, found)) return { ok: true, value: { active: false } };
  const { kind, token } = found;
  const active = kind === 'access_token' ? isAccessTokenActive(token, now) : isRefreshTokenActive(token, now);
  const expiresAt = kind === 'access_token' ? token.accessTokenExpiresAt : token.refreshTokenExpiresAt;
  if (!active || !expiresAt) return { ok: true, value: { active: false } };
  const audience = kind === 'access_token' ? parseAudience(token.audience) : [];
  return {
    ok: true,
    value: {
      active: true,
      ...(token.scope ? { scope: token.scope } : {}),
      client_id: token.clientId,
      ...(token.username !== null ? { username: token.username } : {}),
      ...(audience.length === 1 ? { aud: audience[0] } : audience.length > 1 ? { aud: audience } : {}),
      token_type: kind === 'access_token' ? 'Bearer' : 'refresh_token',
      exp: seconds(expiresAt),
      iat: seconds(token.createdAt),
      ...(token.userId !== null ? { sub: token.userId } : {}),
    },
  };
}
