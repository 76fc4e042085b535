/**
 * The authorization server of the authorization-code tests (PGlite, the real oauth2-server, the
 * Koa router and its sign-in page, on a loopback port) with dynamic client registration on, and
 * the client's side of RFC 7591 and RFC 7592 over real HTTP.
 */
import type { ExecutionContext } from 'ava';
import type { DynamicRegistrationOptions, OAuthProviderOptions } from '../../../src/core/index.js';
import { startAuthorizationServer, type AuthorizationServer } from '../../authorize/support/authorization-server.js';
import { requestFrom, VICTIM, type Answer } from '../../throttling/support/from-address.js';

/** Open registration of public clients, unthrottled unless a test says otherwise. */
export const OPEN_REGISTRATION: DynamicRegistrationOptions = { policy: 'public-clients', throttle: false };

/** An initial access token (RFC 7591 §3) the tests configure. */
export const INITIAL_ACCESS_TOKEN = 'iat-0123456789abcdef0123456789abcdef';

export interface RegistrationServer extends AuthorizationServer {
  /** `${origin}/auth/register`. */
  registrationEndpoint: string;
}

/** A server with `dynamicRegistration` (default {@link OPEN_REGISTRATION}; null: off); the caller closes it. */
export async function startRegistrationServer(
  dynamicRegistration: DynamicRegistrationOptions | null = OPEN_REGISTRATION,
  providerOptions: OAuthProviderOptions = {},
): Promise<RegistrationServer> {
  const server = await startAuthorizationServer({
    providerOptions: { ...providerOptions, ...(dynamicRegistration === null ? {} : { dynamicRegistration }) },
  });
  return Object.assign(server, { registrationEndpoint: `${server.origin}/auth/register` });
}

/** {@link startRegistrationServer}, closed after the test. */
export async function registrationServer(
  t: ExecutionContext,
  dynamicRegistration: DynamicRegistrationOptions | null = OPEN_REGISTRATION,
  providerOptions: OAuthProviderOptions = {},
): Promise<RegistrationServer> {
  const server = await startRegistrationServer(dynamicRegistration, providerOptions);
  t.teardown(() => server.close());
  return server;
}

/** A public client's registration request for the server's callback (RFC 7591 §3.1), with `overrides`. */
export function publicClientMetadata(server: AuthorizationServer, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_name: 'Notes CLI',
    redirect_uris: [server.redirectUri],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    ...overrides,
  };
}

/** POSTs a registration request as JSON, from `from` (default 127.0.0.1). */
export function register(
  server: RegistrationServer,
  metadata: unknown,
  options: { headers?: Record<string, string>; from?: string } = {},
): Promise<Answer> {
  return requestFrom(options.from ?? VICTIM, server.registrationEndpoint, { json: metadata, ...(options.headers ? { headers: options.headers } : {}) });
}

/** A registration that must succeed (201); returns the client information response. */
export async function registered(server: RegistrationServer, metadata: unknown, headers?: Record<string, string>): Promise<Record<string, any>> {
  const answer = await register(server, metadata, headers ? { headers } : {});
  if (answer.status !== 201) throw new Error(`registration refused: ${answer.status} ${answer.text}`);
  return answer.json as Record<string, any>;
}

/**
 * A request to a client's configuration endpoint (RFC 7592 §2), reached on the server's own
 * origin (the `registration_client_uri` names the configured issuer's).
 */
export function manage(
  server: AuthorizationServer,
  method: 'GET' | 'PUT' | 'DELETE',
  clientId: string,
  token: string | null,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  return requestFrom(VICTIM, `${server.origin}/auth/register/${encodeURIComponent(clientId)}`, {
    method,
    headers,
    ...(body === undefined ? {} : { json: body }),
  });
}
