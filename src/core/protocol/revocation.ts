import type { OAuthHttpRequest } from './http.js';
import { authenticateEndpointRequest, invalidRequest, type EndpointOutcome } from './endpoint-client-authentication.js';
import type { Credentials } from '../provider/credentials.js';
import type { TokenLookup } from '../storage/records.js';

/** A token found by value, with which of its two values matched. */
export interface PresentedToken {
  kind: 'access_token' | 'refresh_token';
  token: TokenLookup;
}

/**
 * Finds a presented token among access and refresh tokens, trying the hinted kind first
 * (RFC 7009 §2.1 and RFC 7662 §2.1: the hint only orders the search; unknown hints are ignored).
 */
export async function findPresentedToken(credentials: Credentials, value: string, hint: string | undefined): Promise<PresentedToken | null> {
  const order: Array<PresentedToken['kind']> =
    hint === 'refresh_token' ? ['refresh_token', 'access_token'] : ['access_token', 'refresh_token'];
  for (const kind of order) {
    const token = kind === 'access_token' ? await credentials.findAccessToken(value) : await credentials.findRefreshToken(value);
    if (token) return { kind, token };
  }
  return null;
}

/**
 * RFC 7009 token revocation. Succeeds whether or not the token was found (§2.2), and whether or
 * not it belonged to the authenticated client; only the client's own tokens are revoked (§2.1).
 * A refresh token takes its whole grant along (every token of its family, §2.1); an access token
 * goes with the refresh token issued beside it, as they share one issuance.
 */
export async function revokePresentedToken(credentials: Credentials, request: OAuthHttpRequest): Promise<EndpointOutcome<null>> {
  const authenticated = await authenticateEndpointRequest(credentials, request);
  if (!authenticated.ok) return authenticated;
  const { client, parameters } = authenticated;
  const value = parameters['token'];
  if (!value) return invalidRequest('Missing parameter: `token`');
  const found = await findPresentedToken(credentials, value, parameters['token_type_hint']);
  if (found && found.token.clientId === client.id) {
    const now = credentials.now();
    if (found.kind === 'refresh_token') await credentials.storage.runtime.revokeTokens({ familyId: found.token.familyId }, now);
    else await credentials.storage.runtime.claimToken(found.token.id, now);
  }
  return { ok: true, value: null };
}
