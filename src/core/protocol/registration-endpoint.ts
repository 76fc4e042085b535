import type { OAuthProvider } from '../oauth-provider.js';
import { credentialsOf } from '../provider/provider-link.js';
import { RegistrationError } from '../provider/registration-error.js';
import { RegistrationUnauthorizedError, TooManyRegistrationsError } from '../provider/registration-errors.js';
import type { ClientInformation, RegistrationRequestContext } from '../provider/dynamic-registrar.js';
import { bearerChallenge } from './bearer-challenge.js';
import { assertRealm, classifyFailure, endpointErrorResponse, errorBody, NO_STORE, type ErrorResponseSettings } from './error-responses.js';
import { errorText } from './error-text.js';
import type { OAuthHttpRequest, OAuthHttpResponse } from './http.js';
import type { AuthControllerCallOptions } from './interactors.js';
import { flattenHeaders } from './request-parameters.js';

/** Options of {@link createClientRegistrationEndpoint}. */
export interface ClientRegistrationEndpointOptions {
  /** A provider built with the `dynamicRegistration` option. */
  provider: OAuthProvider;
  /** Realm of the `WWW-Authenticate: Bearer` challenges. Default `oauth2`. */
  realm?: string;
  /** Answer every error with 403, as the ancestor library did. Off by default. */
  legacyForbiddenErrors?: boolean;
  /**
   * Told about failures that are not protocol errors (storage unavailable, a policy that threw,
   * bugs). The error may carry driver details: log it, never send it. A call's own `onError`
   * takes its place for that call; without either, the call's `fallbackOnError` is told.
   */
  onError?: (error: unknown) => void;
}

/** Options of one call to a {@link ClientRegistrationInteractor} endpoint. */
export interface ClientRegistrationCallOptions extends AuthControllerCallOptions {
  /**
   * The URL of a client's configuration endpoint (RFC 7592 §1), where it reads, updates and
   * deletes its registration: the `registration_client_uri` of the answers. The Koa router gives
   * `{issuer origin}{prefix}/register/{client_id}`.
   */
  clientUri(clientId: string): string;
}

/**
 * The client registration endpoint (RFC 7591 §3) and the client configuration endpoint
 * (RFC 7592 §2), framework-free; built by {@link createClientRegistrationEndpoint}. Bodies are
 * JSON objects, already parsed by the binding; answers are JSON with `Cache-Control: no-store`.
 */
export interface ClientRegistrationInteractor {
  /** `POST` to the registration endpoint: 201 with the client information (RFC 7591 §3.2.1). */
  register(request: OAuthHttpRequest, options: ClientRegistrationCallOptions): Promise<OAuthHttpResponse>;
  /** `GET` of a client's configuration endpoint (RFC 7592 §2.1): 200. */
  read(request: OAuthHttpRequest, clientId: string, options: ClientRegistrationCallOptions): Promise<OAuthHttpResponse>;
  /** `PUT` to a client's configuration endpoint (RFC 7592 §2.2): 200. */
  update(request: OAuthHttpRequest, clientId: string, options: ClientRegistrationCallOptions): Promise<OAuthHttpResponse>;
  /** `DELETE` of a client's configuration endpoint (RFC 7592 §2.3): 204. */
  delete(request: OAuthHttpRequest, clientId: string, options: ClientRegistrationCallOptions): Promise<OAuthHttpResponse>;
}

/** Whether the provider lets clients register themselves (its `dynamicRegistration` option). */
export function offersDynamicRegistration(provider: OAuthProvider): boolean {
  return credentialsOf(provider).registrar !== null;
}

const BEARER = /^bearer ([0-9a-zA-Z-._~+/]+=*)$/i;
const JSON_MEDIA_TYPE = /^application\/json\s*(?:;|$)/i;

/**
 * Dynamic client registration (RFC 7591) and registration management (RFC 7592) on a provider
 * built with `dynamicRegistration`; throws a `TypeError` for one built without it.
 *
 * Refusals: 400 with an RFC 7591 §3.2.2 error (`invalid_redirect_uri`, `invalid_client_metadata`,
 * `invalid_software_statement`, `unapproved_software_statement`); 401 `invalid_token` with a
 * Bearer challenge for a missing or wrong initial or registration access token, the same whether
 * or not the client exists (RFC 7592 §2); 415 for a body that is not JSON; 429 with `Retry-After`
 * for a source past its registrations. No secret or token appears in a log or an error.
 */
export function createClientRegistrationEndpoint(options: ClientRegistrationEndpointOptions): ClientRegistrationInteractor {
  const credentials = credentialsOf(options.provider);
  const registrar = credentials.registrar;
  if (registrar === null) {
    throw new TypeError('this provider does not offer dynamic client registration: build it with the dynamicRegistration option');
  }
  const settings: ErrorResponseSettings = {
    legacyForbiddenErrors: options.legacyForbiddenErrors === true,
    realm: options.realm ?? 'oauth2',
  };
  assertRealm(settings.realm);

  type Step = (context: RegistrationRequestContext, body: Record<string, unknown>) => Promise<OAuthHttpResponse>;

  /** Reads what every request brings, runs `step`, and answers whatever it throws. */
  async function answering(request: OAuthHttpRequest, callOptions: ClientRegistrationCallOptions, withBody: boolean, step: Step): Promise<OAuthHttpResponse> {
    const report = callOptions.onError ?? options.onError ?? callOptions.fallbackOnError;
    try {
      const headers = flattenHeaders(request);
      if (!headers.ok) return refusal(400, 'invalid_request', headers.description, settings);
      if (withBody && !JSON_MEDIA_TYPE.test(headers.headers['content-type'] ?? '')) {
        return refusal(415, 'invalid_request', 'the body must be a JSON object sent as application/json (RFC 7591 section 3.1)', settings);
      }
      const authorization = headers.headers['authorization'];
      const bearer = authorization === undefined || authorization === '' ? null : (BEARER.exec(authorization)?.[1] ?? '');
      const context: RegistrationRequestContext = {
        bearer,
        sourceAddress: typeof request.sourceAddress === 'string' && request.sourceAddress !== '' ? request.sourceAddress : null,
        clientUri: (clientId) => callOptions.clientUri(clientId),
      };
      return await step(context, request.body ?? {});
    } catch (error) {
      return failure(error, settings, report);
    }
  }

  const json = (status: number, body: ClientInformation): OAuthHttpResponse => ({ status, headers: { ...NO_STORE }, body });

  return {
    register: (request, callOptions) =>
      answering(request, callOptions, true, async (context, body) => json(201, await registrar.register(body, context))),
    read: (request, clientId, callOptions) =>
      answering(request, callOptions, false, async (context) => json(200, await registrar.read(clientId, context))),
    update: (request, clientId, callOptions) =>
      answering(request, callOptions, true, async (context, body) => json(200, await registrar.update(clientId, body, context))),
    delete: (request, clientId, callOptions) =>
      answering(request, callOptions, false, async (context) => {
        await registrar.delete(clientId, context);
        return { status: 204, headers: { ...NO_STORE }, body: null };
      }),
  };
}

/** How whatever a registration step threw is answered. */
function failure(error: unknown, settings: ErrorResponseSettings, report: ((error: unknown) => void) | undefined): OAuthHttpResponse {
  if (error instanceof RegistrationError) return refusal(400, error.code, error.description, settings);
  if (error instanceof RegistrationUnauthorizedError) {
    // RFC 6750 §3.1: no error code in the challenge of a request that presented no token.
    const code = { code: 'invalid_token', description: error.description };
    const challenge = bearerChallenge({ realm: settings.realm, ...(error.presented ? { error: code } : {}) });
    const response = refusal(401, 'invalid_token', error.description, settings);
    return { ...response, headers: { ...response.headers, 'www-authenticate': challenge } };
  }
  if (error instanceof TooManyRegistrationsError) {
    const response = refusal(429, 'invalid_request', `Too many client registrations from this address; retry in ${error.retryAfterSeconds} s`, settings);
    return { ...response, headers: { ...response.headers, 'retry-after': String(error.retryAfterSeconds) } };
  }
  return endpointErrorResponse(classifyFailure(error), settings, report, error);
}

function refusal(status: number, error: string, description: string, settings: ErrorResponseSettings): OAuthHttpResponse {
  return {
    status: settings.legacyForbiddenErrors ? 403 : status,
    headers: { ...NO_STORE },
    body: errorBody(error, errorText(description)),
  };
}
