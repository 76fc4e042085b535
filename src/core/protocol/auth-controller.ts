import type OAuth2Server from '@node-oauth/oauth2-server';
import type { OAuthProvider } from '../oauth-provider.js';
import { runTokenHandler, type BasicClientCredentials } from '../oauth2-server/token-request.js';
import { offeredGrants, PASSWORD_GRANT_NOT_OFFERED } from '../provider/grant-policy.js';
import { credentialsOf } from '../provider/provider-link.js';
import {
  assertRealm,
  classifyFailure,
  endpointErrorResponse,
  NO_STORE,
  protocolFailure,
  type ErrorResponseSettings,
  type Failure,
  type Reporter,
} from './error-responses.js';
import type { OAuthHttpRequest, OAuthHttpResponse } from './http.js';
import type { AuthControllerCallOptions, AuthControllerInteractor } from './interactors.js';
import { introspectPresentedToken } from './introspection.js';
import { readClientCredentials } from './presented-client-credentials.js';
import { flattenHeaders, flattenParameters } from './request-parameters.js';
import { splitResourceParameter } from './resource-parameter.js';
import { revokePresentedToken } from './revocation.js';

/** Options of {@link createAuthController}. */
export interface AuthControllerOptions {
  /** The server whose model came from `provider.clientModel()` or `provider.userModel()`. */
  server: OAuth2Server;
  /** The provider behind that model; revocation and introspection read it directly. */
  provider: OAuthProvider;
  /** Realm of the Basic challenge sent with 401 `invalid_client`. Default `oauth2`. */
  realm?: string;
  /** Answer every error with 403, as the ancestor library did. Off by default. */
  legacyForbiddenErrors?: boolean;
  /**
   * Told about failures that are not protocol errors (storage unavailable, bugs), and about why a
   * client's metadata document could not be fetched (a `ClientMetadataError` saying what the
   * client is not told: where its host resolved, why it did not answer), for logging. The error
   * may carry driver details: log it, never send it. A call's own `onError`
   * ({@link AuthControllerCallOptions}) takes its place for that call; without either, the call's
   * `fallbackOnError` is told.
   */
  onError?: (error: unknown) => void;
}

/**
 * The token (RFC 6749 §3.2), revocation (RFC 7009) and introspection (RFC 7662) endpoints,
 * framework-free. The token endpoint runs every grant the server's model supports through
 * oauth2-server (docs/adr/0006); revocation and introspection are the kit's own.
 */
export function createAuthController(options: AuthControllerOptions): AuthControllerInteractor {
  const { server } = options;
  const credentials = credentialsOf(options.provider);
  // Checked here, not at the first token request, which would otherwise fail with a bare TypeError (500).
  if (typeof (server as { token?: unknown } | undefined)?.token !== 'function') {
    throw new TypeError(
      'createAuthController needs the OAuth2Server its token endpoint runs: { server: new OAuth2Server({ model: provider.userModel(getUser, login) }), provider } (or createOAuthRouter({ provider, server }))',
    );
  }
  const settings: ErrorResponseSettings = {
    legacyForbiddenErrors: options.legacyForbiddenErrors === true,
    realm: options.realm ?? 'oauth2',
  };
  assertRealm(settings.realm);
  const reporterOf = (callOptions: AuthControllerCallOptions | undefined): Reporter => callOptions?.onError ?? options.onError ?? callOptions?.fallbackOnError;

  /** Runs an endpoint, turning a refusal or anything it throws into an RFC 6749 §5.2 answer. */
  async function answering(
    request: OAuthHttpRequest,
    callOptions: AuthControllerCallOptions | undefined,
    run: () => Promise<{ ok: true; response: OAuthHttpResponse } | { ok: false; failure: Failure }>,
  ): Promise<OAuthHttpResponse> {
    const report = reporterOf(callOptions);
    try {
      const outcome = await run();
      return outcome.ok ? outcome.response : endpointErrorResponse(outcome.failure, settings, report);
    } catch (error) {
      return endpointErrorResponse(classifyFailure(error), settings, report, error);
    }
  }
  const refused = (description: string) => ({ ok: false as const, failure: protocolFailure('invalid_request', description) });
  const ok = (body: unknown) => ({ ok: true as const, response: { status: 200, headers: { ...NO_STORE }, body } });

  const { allowPasswordGrant } = credentials.settings;
  return {
    grantTypesSupported: offeredGrants(allowPasswordGrant),
    clientIdMetadataDocumentSupported: credentials.metadataDocumentClients !== null,

    token: (request: OAuthHttpRequest, callOptions?: AuthControllerCallOptions) =>
      answering(request, callOptions, async () => {
        const headers = flattenHeaders(request);
        if (!headers.ok) return refused(headers.description);
        // `resource` may be repeated (RFC 8707 §2.2); every other parameter must not (RFC 6749 §3.1).
        const { resources, rest } = splitResourceParameter(request.body);
        const body = flattenParameters(rest);
        if (!body.ok) return refused(body.description);
        const query = flattenParameters(request.query);
        if (!query.ok) return refused(query.description);
        // RFC 6749 §2.3.1, §2.3: the client authenticates as at revocation and introspection — Basic
        // form-urlencoded-decoded, and never Basic together with `client_secret` or another
        // `client_id` in the body. Without an Authorization header the body's client_id and
        // client_secret go to the library as they are (it applies `requireClientAuthentication`).
        let basic: BasicClientCredentials | undefined;
        if (headers.headers['authorization'] !== undefined) {
          const presented = readClientCredentials(headers.headers, body.parameters);
          if (!presented.ok) return { ok: false as const, failure: protocolFailure(presented.error, presented.description) };
          basic = { clientId: presented.clientId, clientSecret: presented.clientSecret ?? '' };
        }
        // RFC 9700 §2.4, RFC 6749 §5.2: a grant the server does not offer is `unsupported_grant_type`,
        // whatever a client's registration says, and decided before any storage is read.
        if (body.parameters['grant_type'] === 'password' && !allowPasswordGrant) {
          return { ok: false as const, failure: protocolFailure('unsupported_grant_type', PASSWORD_GRANT_NOT_OFFERED) };
        }
        // RFC 8707 §2: malformed or too many resources are refused before anything is read; whether
        // they are registered, and granted, the model decides.
        if (!resources.ok) return { ok: false as const, failure: protocolFailure(resources.error, resources.description) };
        // The query is not handed on: grant parameters are read from the body only (RFC 6749 §3.2).
        const method = request.method.toUpperCase();
        const now = () => credentials.now();
        // Every authentication the request makes, the library's calls into the model included, is
        // counted against the address it came from.
        const context = { basicCredentials: basic, resources: resources.resources, sourceAddress: request.sourceAddress };
        return ok(await runTokenHandler(server, now, method, headers.headers, body.parameters, context));
      }),

    revoke: (request: OAuthHttpRequest, callOptions?: AuthControllerCallOptions) =>
      answering(request, callOptions, async () => {
        const outcome = await revokePresentedToken(credentials, request);
        // RFC 7009 §2.2: the content of a successful response is ignored; send none.
        return outcome.ok ? ok('') : outcome;
      }),

    introspect: (request: OAuthHttpRequest, callOptions?: AuthControllerCallOptions) =>
      answering(request, callOptions, async () => {
        const outcome = await introspectPresentedToken(credentials, request);
        return outcome.ok ? ok(outcome.value) : outcome;
      }),
  };
}
