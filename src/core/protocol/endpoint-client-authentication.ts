import { sourceKeyOf } from '../runtime/attempt-source.js';
import { protocolFailure, type Failure } from './error-responses.js';
import type { OAuthHttpRequest } from './http.js';
import { readClientCredentials } from './presented-client-credentials.js';
import type { Credentials } from '../provider/credentials.js';
import type { ClientRecord } from '../storage/records.js';
import { flattenHeaders, flattenParameters, type Parameters } from './request-parameters.js';

/** What an endpoint step produced, or why the request was refused. */
export type EndpointOutcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/** An authenticated request to the revocation or introspection endpoint, or why it was refused. */
export type AuthenticatedEndpointRequest =
  | { ok: true; client: ClientRecord; parameters: Parameters }
  | { ok: false; failure: Failure };

function refuse(error: string, description: string, status = 400): { ok: false; failure: Failure } {
  return { ok: false, failure: protocolFailure(error, description, status) };
}

/** A 400 `invalid_request` refusal. */
export function invalidRequest(description: string): { ok: false; failure: Failure } {
  return refuse('invalid_request', description);
}

/**
 * The common front half of RFC 7009 and RFC 7662 endpoints: POST, single-valued parameters, and an
 * authenticated client (a public client authenticates with its `client_id` alone).
 */
export async function authenticateEndpointRequest(
  credentials: Credentials,
  request: OAuthHttpRequest,
): Promise<AuthenticatedEndpointRequest> {
  if (request.method.toUpperCase() !== 'POST') return refuse('invalid_request', 'Invalid request: method must be POST');
  const headers = flattenHeaders(request);
  if (!headers.ok) return refuse('invalid_request', headers.description);
  const parameters = flattenParameters(request.body);
  if (!parameters.ok) return refuse('invalid_request', parameters.description);
  const query = flattenParameters(request.query);
  if (!query.ok) return refuse('invalid_request', query.description);
  const presented = readClientCredentials(headers.headers, parameters.parameters);
  if (!presented.ok) return refuse(presented.error, presented.description);
  // A wrong secret counts against the address the request came from.
  const client = await credentials.authenticateClient(presented.clientId, presented.clientSecret, sourceKeyOf(request.sourceAddress));
  if (!client) return refuse('invalid_client', 'Invalid client: client is invalid', 401);
  return { ok: true, client, parameters: parameters.parameters };
}
