import OAuth2Server from '@node-oauth/oauth2-server';
import type { OAuthHttpRequest, OAuthHttpResponse } from './http.js';
import type { AuthControllerCallOptions, AuthControllerInteractor } from './interactors.js';
import type { OAuthProvider } from '../oauth-provider.js';
import {
  assertRealm,
  classifyFailure,
  endpointErrorResponse,
  type ErrorResponseSettings,
  type Failure,
} from './error-responses.js';
import { coreOf } from '../provider/credentials.js';
import { flattenHeaders, flattenParameters } from './request-parameters.js';
import { introspectPresentedToken } from './introspection.js';
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
   * Told about failures that are not protocol errors (storage unavailable, bugs), for logging.
   * The error may carry driver details: log it, never send it. A call's own `onError`
   * ({@link AuthControllerCallOptions}) takes its place for that call.
   */
  onError?: (error: unknown) => void;
}

type Reporter = ((error: unknown) => void) | undefined;

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

/**
 * The token (RFC 6749 §3.2), revocation (RFC 7009) and introspection (RFC 7662) endpoints,
 * framework-free. The token endpoint runs every grant the server's model supports through
 * oauth2-server; a JSON body the binding already parsed is presented to it as a form, which is
 * what it insists on.
 */
export function createAuthController(options: AuthControllerOptions): AuthControllerInteractor {
  const { server, provider } = options;
  const core = coreOf(provider);
  const realm = options.realm ?? 'oauth2';
  assertRealm(realm);
  const settings: ErrorResponseSettings & { realm: string } = {
    legacyForbiddenErrors: options.legacyForbiddenErrors === true,
    onError: options.onError,
    realm,
  };

  const fail = (failure: Failure, report: Reporter, error?: unknown) =>
    endpointErrorResponse(failure, report === settings.onError ? settings : { ...settings, onError: report }, error);
  // Protocol errors are never reported, so these need no reporter.
  const invalidRequest = (description: string) =>
    fail({ kind: 'protocol', error: 'invalid_request', description, status: 400 }, settings.onError);
  const reporterOf = (callOptions: AuthControllerCallOptions | undefined): Reporter =>
    callOptions?.onError ?? settings.onError;

  /** Runs an endpoint, turning anything it throws into an RFC 6749 §5.2 answer. */
  async function answering(report: Reporter, run: () => Promise<OAuthHttpResponse>): Promise<OAuthHttpResponse> {
    try {
      return await run();
    } catch (error) {
      return fail(classifyFailure(error), report, error);
    }
  }

  return {
    token: (request, callOptions) =>
      answering(reporterOf(callOptions), async () => {
        const headers = flattenHeaders(request);
        if (!headers.ok) return invalidRequest(headers.description);
        const body = flattenParameters(request.body);
        if (!body.ok) return invalidRequest(body.description);
        const query = flattenParameters(request.query);
        if (!query.ok) return invalidRequest(query.description);
        const { 'transfer-encoding': _chunked, ...rest } = headers.headers;
        const form = new URLSearchParams(body.parameters).toString();
        const serverRequest = new OAuth2Server.Request({
          method: request.method.toUpperCase(),
          headers: {
            ...rest,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(Buffer.byteLength(form)),
          },
          query: query.parameters,
          body: body.parameters,
        });
        const serverResponse = new OAuth2Server.Response({ headers: {} });
        await server.token(serverRequest, serverResponse);
        return { status: 200, headers: { ...NO_STORE }, body: serverResponse.body };
      }),

    revoke: (request: OAuthHttpRequest, callOptions?: AuthControllerCallOptions) => {
      const report = reporterOf(callOptions);
      return answering(report, async () => {
        const outcome = await revokePresentedToken(core, request);
        // RFC 7009 §2.2: the content of a successful response is ignored; send none.
        return outcome.ok ? { status: 200, headers: { ...NO_STORE }, body: '' } : fail(outcome.failure, report);
      });
    },

    introspect: (request: OAuthHttpRequest, callOptions?: AuthControllerCallOptions) => {
      const report = reporterOf(callOptions);
      return answering(report, async () => {
        const outcome = await introspectPresentedToken(core, request);
        return outcome.ok ? { status: 200, headers: { ...NO_STORE }, body: outcome.value } : fail(outcome.failure, report);
      });
    },
  };
}
